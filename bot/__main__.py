"""The command line: run, chat, units import, export, db upgrade, parse."""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

from bot.config import Settings, load_settings
from bot.logs import quiet_http_loggers

ROLE_WORDS = ("volunteer", "team_leader", "leader", "admin")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="baocao — the field-team reporting bot")
    parser.add_argument("--config", help="path to config.toml (default: $BAOCAO_CONFIG, else the bot's own)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot on the configured channels")
    chat = sub.add_parser("chat", help="chat with the bot in this terminal, no token needed")
    chat.add_argument("--as", dest="who", default="admin",
                      help="who you are: a role word (volunteer, team_leader, leader, admin) for a demo member, "
                           "or any name to join with /start CODE")
    units = sub.add_parser("units", help="manage the unit tree")
    units_sub = units.add_subparsers(dest="units_command", required=True)
    imp = units_sub.add_parser("import", help="import units from CSV or XLSX")
    imp.add_argument("file", type=Path)
    exp = sub.add_parser("export", help="a unit's report over a period: workbook, CSV or JSON",
                         description="The report /export gives in the chat, for a day (default today), a range or "
                                     "a month. CSV has a byte-order mark (Excel reads Vietnamese right) and "
                                     "numbers only.")
    when = exp.add_mutually_exclusive_group()
    when.add_argument("--date", help="one day: DD/MM/YYYY, YYYY-MM-DD, DD/MM or hom qua (default today)")
    when.add_argument("--from", dest="first", help="the first day of a range (with --to)")
    when.add_argument("--month", help="a calendar month: MM/YYYY, YYYY-MM, 'thang 11' or 'thang nay'")
    exp.add_argument("--to", dest="last", help="the last day of a range (default today)")
    exp.add_argument("--unit", help="this unit's subtree (default everything, streamed a province at a time)")
    exp.add_argument("--format", choices=("xlsx", "csv", "json"),
                     help="default: from -o's extension, else csv")
    exp.add_argument("--table", choices=("days", "summary", "missing", "notes"), default="days",
                     help="CSV: which table (default days: per team per day)")
    exp.add_argument("--lang", choices=("vi", "en"), default="vi", help="headers' language (default vi)")
    exp.add_argument("-o", "--output", type=Path, help="write here (default stdout; a workbook: its own name here)")
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply migrations")
    from bot.parse_cli import register as register_parse

    register_parse(sub)
    args = parser.parse_args(argv)

    try:
        settings = load_settings(args.config)
    except Exception as exc:  # a config problem is the user's to fix: one clear sentence, no traceback
        print(f"config: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    quiet_http_loggers()
    handler = globals().get(f"_cmd_{args.command}") or args.handler
    try:
        return asyncio.run(handler(args, settings)) or 0
    except Exception as exc:  # a storage fault (units import, export, db upgrade): one sentence, no traceback
        from storage.faults import said

        sentence = said(exc, settings.database.url)
        if sentence is None:
            raise
        print(sentence, file=sys.stderr)
        return 2


async def _cmd_run(args, settings: Settings) -> int:
    from bot.runner import run

    return await run(settings)


async def _cmd_chat(args, settings: Settings) -> int:
    from bot.console import run_console
    from bot.demo import demo_identity

    who = args.who
    if who in ROLE_WORDS:
        who = await demo_identity(settings, who)
        if who is None:
            print("Import units first: python -m bot units import FILE (see README: the import file format).",
                  file=sys.stderr)
            return 2
    await run_console(settings, who, None)
    return 0


async def _cmd_units(args, settings: Settings) -> int:
    from bot.units_import import ImportError_, import_units
    from storage.migrate import upgrade
    from storage.store import SqlStore

    store = SqlStore.from_url(settings.database.url)
    try:
        await upgrade(store.engine)
        changed, unchanged = await import_units(store, settings.campaign_rules(), args.file,
                                                progress=sys.stderr.isatty())
    except FileNotFoundError:
        print(f"{args.file}: no such file", file=sys.stderr)
        return 2
    except ImportError_ as exc:
        print(f"{args.file}: nothing imported, the file has problems:", file=sys.stderr)
        for p in exc.problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    finally:
        await store.close()
    print(f"{args.file}: {changed} units created or updated, {unchanged} unchanged", file=sys.stderr)
    return 0


async def _cmd_export(args, settings: Settings) -> int:
    from bot.export import Asked, export
    from domain.clock import SystemClock, local_day
    from storage.migrate import upgrade
    from storage.store import SqlStore

    rules = settings.campaign_rules()
    try:
        period = _export_period(args, local_day(SystemClock().now(), rules.campaign.tz))
    except ValueError as exc:
        print(exc.args[0], file=sys.stderr)
        return 2
    fmt = args.format or (args.output.suffix.lstrip(".").lower() if args.output is not None else "csv")
    if fmt not in ("xlsx", "csv", "json"):
        print(f"-o {args.output}: say --format xlsx, csv or json", file=sys.stderr)
        return 2
    asked = Asked(args.unit, period, fmt, args.lang, args.table, args.output)
    store = SqlStore.from_url(settings.database.url)
    try:
        await upgrade(store.engine)
        written = await export(store, rules, asked, progress=sys.stderr.isatty())
    except LookupError as exc:
        print(exc.args[0], file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{asked.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    finally:
        await store.close()
    if written is not None:
        print(f"written: {written}", file=sys.stderr)
    return 0


def _export_period(args, today: date):
    """The period the export options name, read as the chat reads them (domain.dates.read_period: 20/11/2026,
    2026-11-20, 20/11, hôm qua; months 11/2026, 2026-11, tháng 11, tháng này); ValueError saying which option is
    wrong, in one line."""
    from domain.dates import Period, PeriodKind, UnreadablePeriod, read_period

    def read(option: str, text: str, kind: PeriodKind, forms: str) -> Period:
        try:
            found = read_period(text, today)
        except UnreadablePeriod as problem:
            raise ValueError(f"{option} {text!r}: {problem.problem.value.replace('_', ' ')}; use {forms}") from None
        if found is None or found.kind != kind:
            raise ValueError(f"{option} {text!r}: use {forms}")
        return found

    days = "20/11/2026, 2026-11-20, 20/11 or hôm qua"
    if args.month:
        return read("--month", args.month, PeriodKind.MONTH, "11/2026, 2026-11, tháng 11 or tháng này")  # so far
    if args.first:
        first = read("--from", args.first, PeriodKind.DAY, days).first
        last = read("--to", args.last, PeriodKind.DAY, days).first if args.last else today
        if last < first:
            raise ValueError(f"--to {args.last or today}: before --from {args.first}")
        return Period.between(first, last)
    if args.last:
        raise ValueError("--to needs --from")
    return read("--date", args.date, PeriodKind.DAY, days) if args.date else Period.day(today)


async def _cmd_db(args, settings: Settings) -> int:
    from storage.migrate import upgrade
    from storage.store import SqlStore

    store = SqlStore.from_url(settings.database.url)
    try:
        await upgrade(store.engine)
    finally:
        await store.close()
    print("database is up to date", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
