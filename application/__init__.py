"""What the scheduler and the conversations share: who is missing, what a cut-off sends, summaries, progress."""
