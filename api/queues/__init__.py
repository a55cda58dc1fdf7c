"""Staff queues, memberships and category → queue routing."""
