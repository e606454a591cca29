"""The Telegram channel: python-telegram-bot's HTTP stack in front of the platform-free core."""
