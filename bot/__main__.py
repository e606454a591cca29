"""The command line: run, chat, units import, export, db upgrade, parse."""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys
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
    exp = sub.add_parser("export", help="per-team totals of one day, to stdout")
    exp.add_argument("--date", required=True, help="YYYY-MM-DD")
    exp.add_argument("--unit", help="only this unit's subtree")
    exp.add_argument("--format", choices=("csv", "json"), default="csv")
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
    return asyncio.run(handler(args, settings)) or 0


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
    from bot.export import team_totals, write
    from storage.migrate import upgrade
    from storage.store import SqlStore

    try:
        day = date.fromisoformat(args.date)
    except ValueError:
        print(f"--date {args.date!r}: use YYYY-MM-DD", file=sys.stderr)
        return 2
    store = SqlStore.from_url(settings.database.url)
    try:
        await upgrade(store.engine)
        rows = await team_totals(store, settings.campaign_rules(), day, args.unit)
    except LookupError as exc:
        print(exc.args[0], file=sys.stderr)
        return 1
    finally:
        await store.close()
    write(rows, args.format, settings.campaign_rules())
    return 0


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
