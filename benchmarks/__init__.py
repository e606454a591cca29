"""The benchmark: a generated campaign, then reports, latency, summaries, memory and fan-out, measured."""
