"""Routers, one per flow."""
