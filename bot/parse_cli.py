"""`python -m bot parse`: what the bot would understand of a message, in Vietnamese; no database is touched.

    python -m bot parse [--config PATH] [--today YYYY-MM-DD] TEXT
    python -m bot parse [--config PATH] --today YYYY-MM-DD --jsonl   < {"text": "…"} lines

With --jsonl every input line gets exactly one output line, in order:
{"day": "YYYY-MM-DD", "figures": {metric: count}, "note": str|null, "off": bool, "questions": [str], "error": str|null}
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from typing import IO

from domain.reading import Choice, Policy, Refusal, Question, Reading, read, vocabulary_for
from domain.settings import CampaignRules
from handlers.wording import worded

LANGUAGE = "vi"


def register(subparsers) -> None:
    p = subparsers.add_parser("parse", help="show how a message would be read (writes nothing)")
    p.add_argument("--config", default=argparse.SUPPRESS, help="path to config.toml (default: the one beside the code)")
    p.add_argument("--today", help="the day the message is read on, YYYY-MM-DD (default: today, campaign time zone)")
    p.add_argument("--jsonl", action="store_true",
                   help='read JSON lines {"text": "…"} on stdin, write one JSON line for each')
    p.add_argument("text", nargs="?", help="the message (quote it)")
    p.set_defaults(handler=_command)


async def _command(args, settings) -> int:
    try:
        rules = settings.campaign_rules()
    except ValueError as exc:  # a config problem is the operator's to fix: one clear sentence, no traceback
        print(f"config: {exc}", file=sys.stderr)
        return 2
    return main(args, rules, sys.stdin, sys.stdout)


def main(args, rules: CampaignRules, stdin: IO[str], stdout: IO[str]) -> int:
    if args.today:
        try:
            today = date.fromisoformat(args.today)
        except ValueError:
            print(f"--today {args.today!r}: use YYYY-MM-DD", file=sys.stderr)
            return 2
    else:
        today = datetime.now(rules.campaign.tz).date()
    reader = Reader(rules, today)
    if args.jsonl:
        for line in stdin:
            if line.strip():
                stdout.write(json.dumps(reader.line(line), ensure_ascii=False) + "\n")
                stdout.flush()
        return 0
    if args.text is None:
        print("give the message to read, or --jsonl to read JSON lines on stdin", file=sys.stderr)
        return 2
    stdout.write(reader.describe(reader.read(args.text)) + "\n")
    return 0


class Reader:
    """Reads messages as the bot would for one campaign and day, and says the result in the reader's language
    (Vietnamese for the command; the conversation words questions and choices the same way)."""

    def __init__(self, rules: CampaignRules, today: date, language: str = LANGUAGE) -> None:
        from domain.i18n import Translator, load_catalogs

        self.rules, self.today, self.language = rules, today, language
        self.vocab = vocabulary_for(rules.metrics)
        self.policy = Policy(days_back=rules.campaign.days_back)
        self.t = Translator(load_catalogs()).for_language(language)

    def read(self, text: str) -> Reading:
        return read(text, self.vocab, self.today, self.policy)

    def line(self, line: str) -> dict:
        """One JSON line in, one JSON object out; never raises."""
        try:
            data = json.loads(line)
            text = data["text"] if isinstance(data, dict) else None
        except (ValueError, KeyError):
            text = None
        if not isinstance(text, str):
            return self._refused(self.t("reading.cli.bad_json"))
        try:
            return self.as_json(self.read(text))
        except Exception:  # a bug must not stop the lines after it: that line says so
            return self._refused(self.t("reading.cli.failed"))

    def _refused(self, why: str) -> dict:
        return {"day": self.today.isoformat(), "figures": {}, "note": None, "off": False, "questions": [],
                "error": why}

    def as_json(self, r: Reading) -> dict:
        return {"day": r.day.isoformat(), "figures": dict(r.figures), "note": r.note, "off": r.off,
                "questions": [self.question(q, with_choices=True) for q in r.questions],
                "error": None if r.error is None else self.problem(r.error)}

    # --- wording (the conversation needs the same, per reader's language)
    def values(self, values) -> dict[str, str]:
        return worded(values, self.rules, self.language, self.t)

    def problem(self, p: Refusal) -> str:
        return self.t(p.key, **self.values(p.values))

    def question(self, q: Question, with_choices: bool = False) -> str:
        text = self.t(q.key, **self.values(q.values))
        if not with_choices:
            return text
        return text + " " + self.t("reading.show.choices", choices=" / ".join(self.choices(q)))

    def choices(self, q: Question) -> list[str]:
        return [self.choice(c) for c in q.choices]

    def choice(self, c: Choice) -> str:
        return self.t(c.key, **self.values(c.values))

    def describe(self, r: Reading) -> str:
        """The reading as an admin reads it: the day, each figure, the note, the day off, questions, refusal."""
        key = "reading.show.day_today" if r.day == self.today else "reading.show.day"
        lines = [self.t(key, day=self.t.day(r.day))]
        for m in self.rules.metrics:
            if m.key in r.figures:
                lines.append(self.t("reading.show.figure", label=m.label(self.language),
                                    value=self.t.num(r.figures[m.key])))
        if r.off:
            lines.append(self.t("reading.show.off", reason=r.off_reason or ""))
        if r.note:
            lines.append(self.t("reading.show.note", note=r.note))
        if r.mode == "add":
            lines.append(self.t("reading.show.mode_add"))
        elif r.mode == "replace":
            lines.append(self.t("reading.show.mode_replace"))
        for q in r.questions:
            lines.append(self.t("reading.show.question", question=self.question(q)))
            for n, c in enumerate(self.choices(q), 1):
                lines.append(f"  {n}. {c}")
        if r.error is not None:
            lines.append(self.t("reading.show.error", error=self.problem(r.error)))
        elif not r.is_report:
            lines.append(self.t("reading.show.not_a_report"))
        elif r.complete and (r.figures or r.off):
            lines.append(self.t("reading.show.ready"))
        elif not r.figures and not r.questions:
            lines.append(self.t("reading.show.no_figures"))
        return "\n".join(lines)
