"""Benchmarks: each module measures one area against a baseline in the same run."""
