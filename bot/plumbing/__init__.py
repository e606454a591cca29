"""What every channel does the same way: per-sender order, the inbox, handle-then-reply, retry, intake health."""
