"""Registers `python -m bot bench` (the measurements live in bot/bench/, apart from the bot itself)."""
from __future__ import annotations


def register(subparsers) -> None:
    from bot.bench.run import add_arguments

    p = subparsers.add_parser("bench", help="generate a campaign; measure reports/s, latency, summaries, memory, fan-out")
    add_arguments(p)
    p.set_defaults(handler=_bench)


async def _bench(args, settings) -> int:
    import logging

    from bot.bench.run import main

    logging.getLogger("handlers").setLevel(logging.ERROR)
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.WARNING)  # (e) counts its 429s itself
    return await main(args)
