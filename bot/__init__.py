"""The running bot: configuration, channel adapters (Telegram, Zalo, console), the web server and the CLI."""
