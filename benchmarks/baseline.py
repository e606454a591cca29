"""The old alias parser, `parse_tally`, as the reading benchmark's baseline: from domain/ while it is there, else
from the copy kept in benchmarks/ once it is removed from the bot."""
from __future__ import annotations

try:
    from benchmarks.baseline_parsing import parse_tally
except ImportError:  # not moved yet
    from domain.parsing import parse_tally

__all__ = ["parse_tally"]
