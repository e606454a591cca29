"""End-to-end tests of the Telegram channel against a Bot API double."""
