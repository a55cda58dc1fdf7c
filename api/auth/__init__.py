"""Accounts, passwords, bearer tokens and the bot's service token."""
