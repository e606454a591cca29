"""Benchmarks: each module's run(quick) measures one thing against a baseline in the same run."""
