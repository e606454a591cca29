"""The Zalo channel: the Zalo Bot API client and the channel that serves the core."""
