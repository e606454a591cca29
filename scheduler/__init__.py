"""Scheduled work: reminders before cut-offs and summaries pushed at them, through the neutral outbox."""
