"""`python -m benchmarks`: the measurements, run from a checkout (they are not part of the installed bot)."""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from benchmarks.run import add_arguments, main


def cli(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="generate a campaign; measure reports/s, latency, summaries, memory, fan-out")
    add_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from bot.logs import quiet_http_loggers

    quiet_http_loggers()
    logging.getLogger("handlers").setLevel(logging.ERROR)
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.WARNING)  # (e) counts its 429s itself
    return asyncio.run(main(args, argv))


if __name__ == "__main__":
    sys.exit(cli())
