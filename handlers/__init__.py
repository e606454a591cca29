"""Conversations, one per module: each takes a neutral message in a transaction and returns replies."""
