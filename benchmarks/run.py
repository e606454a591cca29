"""`python -m benchmarks`: generate (or reuse) a campaign, run every measurement, print one table."""
from __future__ import annotations

import gc
import json
import math
import os
import platform
import re
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.campaign import Campaign, Shape, generate
from benchmarks.reports import MODES, Volunteers, open_loop, throughput
from benchmarks.summaries import time_summary
from benchmarks.timing import Time, WallTime
from domain.settings import CampaignRules
from storage.migrate import upgrade
from storage.store import SqlStore

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ("reports", "latency", "summaries", "memory", "fanout", "ptb", "parse", "files")
DEFAULT_SECTIONS = SECTIONS[:-1]  # files (benchmarks/files.py, quick: about a minute) when named
QUICK = {"members": 600, "days": 5, "reports": 200, "rounds": 1, "concurrency": 50, "latency_seconds": 2.0,
         "conversations": 300, "repeat": 3, "fanout_seconds": 1.0, "tokens": "1,4"}
FULL = {"members": 400_000, "days": 30, "reports": 3000, "rounds": 3, "concurrency": 200, "latency_seconds": 30.0,
        "conversations": 10_000, "repeat": 5, "fanout_seconds": 10.0, "tokens": "1,4,16"}
RESULTS_START, RESULTS_END = "<!-- bench:results -->", "<!-- /bench:results -->"


def add_arguments(p) -> None:
    p.add_argument("--quick", action="store_true", help="a small campaign and short runs: a smoke test in seconds")
    p.add_argument("--members", type=int, help="members in the campaign (default 400,000; quick 600)")
    p.add_argument("--days", type=int, help="days of entries already in the database (default 30)")
    p.add_argument("--team-size", type=int, default=5, help="members per team (default 5)")
    p.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench",
                   help="where the generated database lives (reused while its shape matches)")
    p.add_argument("--fresh", action="store_true", help="generate the campaign again even if one matches")
    p.add_argument("--reports", type=int, help="reports per store and round in (a) (default 3,000)")
    p.add_argument("--rounds", type=int, help="rounds in (a); the stores take turns each round (default 3)")
    p.add_argument("--concurrency", type=int, help="volunteers reporting at once in (a) (default 200)")
    p.add_argument("--rate", type=float, default=220.0, help="reports/s arriving in (b) (default 220)")
    p.add_argument("--latency-seconds", type=float, help="length of (b) (default 30)")
    p.add_argument("--max-batch", type=int, help="writes per group commit in (b) (default: the store's)")
    p.add_argument("--conversations", type=int, help="conversations in progress in (d) (default 10,000)")
    p.add_argument("--repeat", type=int, help="runs of each summary in (c), the median counts (default 5)")
    p.add_argument("--send-rate", type=float, default=28.0,
                   help="configured reminder rate per bot token in (e), under Telegram's 30/s (default 28)")
    p.add_argument("--fanout-seconds", type=float, help="length of each fan-out run in (e) (default 10)")
    p.add_argument("--tokens", help="comma-separated numbers of bot tokens fanning out side by side (default 1,4,16)")
    p.add_argument("--api-latency", type=float, default=0.1,
                   help="seconds the Bot API double takes to answer a call in (e) and (f) (default 0.1, a round "
                        "trip to api.telegram.org)")
    p.add_argument("--postgres", metavar="URL",
                   help="also copy the campaign into PostgreSQL (a schema of its own, dropped after) and measure "
                        "(a) and (b) there; meant for province-size campaigns")
    p.add_argument("--pg-rate", type=float, default=100.0,
                   help="reports/s arriving in (g)'s latency run (default 100: one PostgreSQL process on 2 cores "
                        "answers about 120-150)")
    p.add_argument("--sections", default=",".join(DEFAULT_SECTIONS),
                   help=f"comma-separated subset of {', '.join(SECTIONS)} (default: all but files)")
    p.add_argument("--write-doc", type=Path, metavar="MD",
                   help="also put the results into this Markdown file (between its bench:results markers)")


@dataclass
class Bench:
    lines: list[str] = field(default_factory=list)
    targets: list[tuple[str, bool, str]] = field(default_factory=list)
    results: dict = field(default_factory=dict)

    def say(self, line: str = "") -> None:
        self.lines.append(line)
        print(line, flush=True)

    def target(self, name: str, met: bool, measured: str) -> None:
        self.targets.append((name, met, measured))


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "system": f"{platform.system()} {platform.release()}",
            "load": os.getloadavg() if hasattr(os, "getloadavg") else None}


def _n(x: float) -> str:
    return f"{x:,.0f}"


async def prepare(shape: Shape, workdir: Path, fresh: bool, bench: Bench) -> Campaign:
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"campaign-{shape.members}x{shape.days}.db"
    campaign = None if fresh else Campaign.load(path, shape)
    if campaign is not None:
        bench.say(f"campaign: reusing {path.name}")
        store = SqlStore.from_url(f"sqlite:///{path}")
        await upgrade(store.engine)  # a campaign generated before the newest migrations gets them, as a bot would
        await store.close()
    else:
        for stale in workdir.glob(path.name + "*"):
            stale.unlink()
        store = SqlStore.from_url(f"sqlite:///{path}")
        await upgrade(store.engine)
        await store.close()
        t = time.perf_counter()
        campaign = generate(path, shape)
        bench.say(f"campaign: generated {path.name} in {time.perf_counter() - t:,.0f} s (bulk SQL)")
    bench.say(f"  {_n(campaign.members)} members in {_n(campaign.teams)} teams "
              f"({_n(shape.province_teams)} teams a province), {shape.days} days, {_n(campaign.entries)} entries")
    return campaign


async def run(args, timer: Time = WallTime()) -> Bench:
    """The sections `args` asks for. `timer` is what the timed sections ((b), (e) and (f)) wait on and measure
    with: the wall clock; the smoke test gives one that moves only when slept on."""
    size = QUICK if args.quick else FULL
    pick = lambda name: getattr(args, name) if getattr(args, name) is not None else size[name]  # noqa: E731
    shape = Shape(members=pick("members"), days=pick("days"), team_size=args.team_size)
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise SystemExit(f"--sections: unknown {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}")
    bench = Bench()
    info = machine()
    bench.results["machine"] = info
    bench.say("baocao benchmark")
    bench.say(f"machine: {info['cpu']}, {info['cores']} cores, Python {info['python']}, SQLite {info['sqlite']}, "
              f"{info['system']}" + (f", load average {info['load'][0]:.1f} at start" if info["load"] else ""))
    campaign = await prepare(shape, args.workdir, args.fresh, bench)
    url = f"sqlite:///{campaign.path}"
    clock = campaign.clock()
    volunteers = Volunteers(campaign.reporters())
    bench.say(f"  the bench day is {clock.now().date()}; reports land on it, summaries read {campaign.summary_day}")

    if "reports" in sections:
        await _reports(bench, url, clock, volunteers, pick)
    if "latency" in sections:
        await _latency(bench, url, clock, volunteers, args.rate, pick("latency_seconds"), args.max_batch, timer)
    if "summaries" in sections:
        await _summaries(bench, url, campaign, pick("repeat"))
    if "memory" in sections:
        _memory(bench, campaign, pick("conversations"))
    if "fanout" in sections:
        await _fanout(bench, args.send_rate, pick("fanout_seconds"), [int(t) for t in pick("tokens").split(",")],
                      args.api_latency, timer)
    if "ptb" in sections:
        await _ptb(bench, campaign, clock, volunteers, pick, args.api_latency, timer)
    if "parse" in sections:
        _parse(bench, args.quick)
    if "files" in sections:
        _files(bench)
    if args.postgres:
        await _postgres(bench, args.postgres, campaign, clock, volunteers, pick, args.pg_rate)
    bench.say()
    bench.say("targets (issue 6)")
    for name, met, measured in bench.targets:
        bench.say(f"  {'met   ' if met else 'MISSED'}  {name}: {measured}")
    if info["load"]:
        bench.say(f"load average at the end: {os.getloadavg()[0]:.1f}")
    return bench


async def _reports(bench: Bench, url, clock, volunteers, pick) -> None:
    reports, rounds, concurrency = pick("reports"), pick("rounds"), pick("concurrency")
    bench.say()
    bench.say("(a) reports through the full stack (parse, authorize, de-duplicate, write, reply; report + confirm),")
    bench.say(f"    {rounds} round(s) × {_n(reports)} reports per store, {concurrency} volunteers at once, stores taking turns")
    res = await throughput(url, clock, volunteers, reports=reports, rounds=rounds, concurrency=concurrency)
    base = res["baseline"].per_second
    bench.say(f"    {'store':44s} {'reports/s':>10s} {'× baseline':>11s} {'CPU ms/report':>14s} {'writes/commit':>14s} {'failed':>7s}")
    for name, (label, _) in MODES.items():
        r = res[name]
        bench.say(f"    {label:44s} {r.per_second:10,.0f} {r.per_second / base if base else 0:10.2f}× "
                  f"{r.cpu_ms_per_report:14.2f} {r.writes_per_commit:14.1f} {r.failed:7d}")
    bot = res["bot"]
    bench.results["reports"] = {n: {"per_second": r.per_second, "cpu_ms": r.cpu_ms_per_report, "failed": r.failed,
                                    "rounds": r.rounds} for n, r in res.items()}
    ratio = bot.per_second / base if base else 0
    bench.target("reports/s ≥ 3× the one-transaction-per-message baseline", ratio >= 3, f"{ratio:.2f}×")
    bench.target("reports/s ≥ 2,000", bot.per_second >= 2000, f"{bot.per_second:,.0f}/s")


async def _latency(bench: Bench, url, clock, volunteers, rate: float, seconds: float, max_batch,
                   timer: Time) -> None:
    bench.say()
    bench.say(f"(b) reply latency while {rate:g} reports/s arrive (Poisson, open loop) for {seconds:g} s; "
              "every message's reply")
    lat = await open_loop(url, clock, volunteers, rate=rate, seconds=seconds, max_batch=max_batch, timer=timer)
    bench.say(f"    {_n(lat.reports)} reports, {_n(2 * lat.reports)} replies, {lat.failed} failed; "
              f"achieved {lat.achieved_rate:,.0f} reports/s")
    bench.say(f"    p50 {lat.p50_ms:,.1f} ms   p99 {lat.p99_ms:,.1f} ms   max {lat.max_ms:,.1f} ms")
    bench.results["latency"] = lat.__dict__
    bench.target(f"p99 reply latency ≤ 100 ms at {rate:g} reports/s", lat.p99_ms <= 100, f"{lat.p99_ms:,.1f} ms")


async def _summaries(bench: Bench, url, campaign: Campaign, repeat: int) -> None:
    bench.say()
    bench.say(f"(c) daily summary of {campaign.summary_day} (a full campaign day), median of {repeat}: "
              "application.summaries.collect against one hand-tuned query on plain sqlite3")
    store = SqlStore.from_url(url)
    rules = CampaignRules()
    try:
        rows = [await time_summary(store, str(campaign.path), rules, code, campaign.summary_day, repeat)
                for code in (campaign.ward_code, campaign.province_code)]
    finally:
        await store.close()
    bench.say(f"    {'scope':24s} {'teams':>7s} {'bot ms':>9s} {'SQL ms':>9s} {'ratio':>7s}")
    for label, t in zip(("ward", "province"), rows):
        bench.say(f"    {label + ' ' + t.scope:24s} {t.teams:7,d} {t.bot_ms:9.1f} {t.sql_ms:9.1f} {t.ratio:6.2f}×")
        bench.target(f"{label} summary within 2× of hand-tuned SQL", t.ratio <= 2, f"{t.ratio:.2f}×")
    bench.results["summaries"] = [t.__dict__ for t in rows]


def _memory(bench: Bench, campaign: Campaign, conversations: int) -> None:
    bench.say()
    bench.say(f"(d) resident memory of a fresh bot process: {_n(campaign.members)} members in the database, "
              f"{_n(conversations)} conversations in progress")
    out = subprocess.run([sys.executable, "-m", "benchmarks.memory", str(campaign.path), str(conversations)],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    mem = json.loads(out.stdout.strip().splitlines()[-1])
    bench.say(f"    RSS {mem['rss_mb']:,.1f} MB (peak {mem['peak_mb']:,.1f} MB; {mem['before_conversations_mb']:,.1f} MB "
              f"before the conversations); {_n(mem['conversations'])} conversations open")
    bench.results["memory"] = mem
    bench.target("resident memory < 300 MB", mem["peak_mb"] < 300, f"{mem['peak_mb']:,.1f} MB peak")


async def _fanout(bench: Bench, rate: float, seconds: float, token_counts: list[int], latency: float,
                  timer: Time) -> None:
    from benchmarks.fanout import NATIONAL_DMS, fan_out

    per_token = max(1, round(rate * seconds))
    bench.say()
    bench.say(f"(e) reminder fan-out: scheduler.jobs.deliver → App.send → one Telegram channel per bot token, against the "
              f"Bot API double ({latency * 1000:g} ms round trip, 30/s bulk per token, in a process of its own): {per_token:,} "
              f"reminders per token; national time = {NATIONAL_DMS:,} DMs at the rate held")
    bench.say(f"    {'pacing':30s} {'tokens':>6s} {'sent/s per token':>17s} {'held':>7s} {'429s':>5s} {'national':>10s} "
              f"{'CPU ms/message':>15s} {'failed':>7s}")
    runs = []
    for tokens, pacing in [(1, "aiolimiter")] + [(n, "even") for n in token_counts]:
        gc.collect()  # one run's garbage is not the next run's pause
        runs.append(await fan_out(tokens, per_token, rate, pacing, latency, timer=timer))
    for f in runs:
        hours, rest = divmod(f.national_seconds, 3600)
        national = f"{int(hours):4d} h {int(rest // 60):02d}" if math.isfinite(hours) else f"{'-':>9s}"
        bench.say(f"    {f.pacing:30s} {f.tokens:6d} {f.rate_per_token:17.1f} {f.held:6.1%} {f.too_many:5d} "
                  f"{national} {f.cpu_ms_per_message:15.2f} {f.failed:7d}")
    bench.results["fanout"] = [{**f.__dict__, "held": f.held, "national_seconds": f.national_seconds} for f in runs]
    single = runs[1]
    bench.target("reminder fan-out holds ≥ 95 % of the configured rate, no 429 (even pacing, 1 token)",
                 single.held >= 0.95 and single.too_many == 0, f"{single.held:.1%}, {single.too_many} × 429")


async def _ptb(bench: Bench, campaign: Campaign, clock, volunteers: Volunteers, pick, latency: float,
               timer: Time) -> None:
    from benchmarks import ptb

    reports, concurrency = pick("reports"), pick("concurrency")
    baseline_reports = min(reports, max(10, reports // 10), 100)  # it answers a few a second: keep it short
    bench.say()
    bench.say(f"(f) reports through python-telegram-bot (the Telegram channel long-polling the Bot API double, "
              f"{latency * 1000:g} ms a call; the double and the people in a process of their own): report + confirm, one person's steps "
              f"in order, {concurrency} people at once")
    runs = []
    for baseline, count in ((True, baseline_reports), (False, reports)):
        people = [volunteers.next() for _ in range(count)]
        try:
            runs.append(await ptb.ptb_reports(str(campaign.path), clock, people, concurrency=concurrency,
                                              baseline=baseline, latency=latency, timer=timer))
        except Exception as exc:  # report, do not lose the other sections
            bench.say(f"    failed: {exc.__class__.__name__}: {exc}")
            bench.target("≥ 200 reports/s answered through python-telegram-bot", False, "failed")
            return
    base, bot = runs
    bench.say(f"    {'bot':68s} {'answered':>11s} {'reports/s':>10s} {'× baseline':>11s} {'CPU ms/report':>14s} "
              f"{'API calls':>10s} {'429s':>5s}")
    for r in runs:
        bench.say(f"    {r.bot:68s} {f'{r.answered:,}/{r.reports:,}':>11s} {r.per_second:10,.1f} "
                  f"{r.per_second / base.per_second if base.per_second else 0:10.1f}× {r.cpu_ms_per_report:14.2f} "
                  f"{r.api_calls:10,d} {r.too_many:5d}")
    bench.results["ptb"] = [{**r.__dict__, "per_second": r.per_second} for r in runs]
    bench.target("≥ 200 reports/s answered through python-telegram-bot", bot.per_second >= 200,
                 f"{bot.per_second:,.0f}/s ({bot.per_second / base.per_second if base.per_second else 0:.0f}× "
                 f"a straightforward PTB bot's {base.per_second:.1f}/s)")


def _parse(bench: Bench, quick: bool) -> None:
    from benchmarks import parse

    bench.say()
    bench.say("(h) reading one message (domain.reading.read) against the old alias parser, in this process")
    res = parse.run(quick, say=lambda line: bench.say("    " + line))
    bench.results["parse"] = res
    bench.target(f"reading one message under {parse.TARGET_P99_MS:g} ms at p99", res["meets_target"],
                 f"{res['reader']['p99_ms']:.3f} ms")


def _files(bench: Bench) -> None:
    from benchmarks import files

    bench.say()
    bench.say("(i) leaders' files, quick (a ward's month; python -m benchmarks.files for the province): see below")
    bench.results["files"] = files.run(quick=True)


async def _postgres(bench: Bench, url: str, campaign: Campaign, clock, volunteers: Volunteers, pick,
                    rate: float) -> None:
    from benchmarks.postgres import copy_campaign, drop_schema
    from benchmarks.reports import PG_MODES

    t = time.perf_counter()
    schema = await copy_campaign(str(campaign.path), url)
    bench.say()
    bench.say(f"(g) PostgreSQL, one process: the campaign copied into schema {schema} in "
              f"{time.perf_counter() - t:,.0f} s")
    try:
        reports, rounds, concurrency = pick("reports"), pick("rounds"), pick("concurrency")
        res = await throughput(url, clock, volunteers, reports=reports, rounds=rounds, concurrency=concurrency,
                               modes=PG_MODES, schema=schema)
        bench.say(f"    {'store':50s} {'reports/s':>10s} {'CPU ms/report':>14s} {'writes/commit':>14s} {'failed':>7s}")
        for name, (label, _) in PG_MODES.items():
            r = res[name]
            bench.say(f"    {label:50s} {r.per_second:10,.0f} {r.cpu_ms_per_report:14.2f} {r.writes_per_commit:14.1f} "
                      f"{r.failed:7d}")
        for processes in (2, 3):
            per_process = max(1, reports // processes)
            procs = [subprocess.Popen([sys.executable, "-m", "benchmarks.postgres", url, schema, str(campaign.path),
                                       str(i), str(processes), str(per_process), str(concurrency // processes)],
                                      cwd=ROOT, stdout=subprocess.PIPE, text=True) for i in range(processes)]
            outs = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
            total = sum(o["reports"] for o in outs)
            span = max(o["start"] + o["wall"] for o in outs) - min(o["start"] for o in outs)
            bench.say(f"    {processes} processes, one transaction per message: {total / span:,.0f} reports/s together "
                      f"({sum(o['failed'] for o in outs)} failed)")
        lat = await open_loop(url, clock, volunteers, rate=rate, seconds=pick("latency_seconds"), schema=schema)
        bench.say(f"    latency at {rate:g} reports/s (one transaction per message): p50 {lat.p50_ms:,.1f} ms, "
                  f"p99 {lat.p99_ms:,.1f} ms, achieved {lat.achieved_rate:,.0f} reports/s, {lat.failed} failed")
        bench.results["postgres"] = {"throughput": {n: r.per_second for n, r in res.items()}, "latency": lat.__dict__}
    finally:
        await drop_schema(url, schema)


def write_doc(path: Path, bench: Bench, argv: list[str]) -> None:
    block = "\n".join([RESULTS_START, "", "Command: `python -m benchmarks " + " ".join(argv) + "`", "",
                       "```", *bench.lines, "```", "", RESULTS_END])
    text = path.read_text() if path.exists() else f"# Benchmarks\n\n{RESULTS_START}\n{RESULTS_END}\n"
    if RESULTS_START not in text:
        text += f"\n{RESULTS_START}\n{RESULTS_END}\n"
    text = re.sub(re.escape(RESULTS_START) + ".*?" + re.escape(RESULTS_END), lambda _: block, text, flags=re.S)
    path.write_text(text)


async def main(args, argv: list[str]) -> int:
    """Every section `args` asks for; with --write-doc the results go into that file under the command `argv`."""
    bench = await run(args)
    if args.write_doc:
        write_doc(args.write_doc, bench, argv)
    return 0
