"""Progress charts as PNG, readable on a phone: the running total against the target with the pace still needed,
the period's daily bars, and the child units ranked.

matplotlib draws them off-screen (Agg, no pyplot, no global state) in DejaVu Sans, the font matplotlib ships:
it has every Vietnamese letter, so no system font is needed. Text is NFC-normalized first: a name typed with
combining accents would otherwise lose them.
"""
from __future__ import annotations

import io
import textwrap
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Sequence

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, DateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from domain.exports import Report, ranking
from domain.i18n import Messages, Translator
from bot.files.texts import messages, period_text, unit_name

FONT_FAMILY = "DejaVu Sans"
DPI = 150
SIZES = {"cumulative": (1200, 800), "daily": (1200, 800), "ranking": (1200, 1200)}  # pixels: Telegram keeps 1280
TITLE_WIDTH = 44  # characters of the title a line holds at 19 pt
NAME_WIDTH = 30  # characters of a unit's name beside its bar
MAX_BARS = 20  # more units: the first and the last ten
BLUE, GREEN, ORANGE, RED, GREY = "#1f6fb4", "#2e8b57", "#e8871e", "#c0392b", "#7f7f7f"
STYLE = {"font.family": FONT_FAMILY, "font.size": 14, "axes.titlesize": 19, "axes.labelsize": 14,
         "xtick.labelsize": 13, "ytick.labelsize": 13, "legend.fontsize": 13, "axes.spines.top": False,
         "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.3}


@dataclass(frozen=True)
class Picture:
    kind: str  # "cumulative", "daily", "ranking"
    png: bytes
    width: int
    height: int


def font_path() -> Path:
    """The file DejaVu Sans is drawn from; raises if matplotlib would fall back to another font."""
    return Path(font_manager.findfont(font_manager.FontProperties(family=FONT_FAMILY), fallback_to_default=False))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _short(name: str) -> str:
    """A bar's name, cut to what the axis can hold beside the bars."""
    name = _nfc(name)
    return name if len(name) <= NAME_WIDTH else name[:NAME_WIDTH - 1].rstrip() + "…"


def _frame(kind: str, title: str, report: Report, t: Messages, note: str = ""):
    """A figure of the kind's size: a header band the full width (the title, wrapped; the period and a note in
    grey) over the plot, so long unit names on the plot's axis never push the title off the picture."""
    w, h = SIZES[kind]
    if len(title) > TITLE_WIDTH:  # the unit's name on a line of its own
        title = title.replace(" — ", "\n", 1)
    title = "\n".join(textwrap.fill(line, TITLE_WIDTH) for line in _nfc(title).split("\n"))
    sub = t("files.period_line", period=period_text(report.period, t)) + ("\n" + note if note else "")
    sub = _nfc(sub)
    header = 30 + 50 * (title.count("\n") + 1) + 32 * (sub.count("\n") + 1)  # pixels: 19 pt lines, 13 pt lines
    fig = Figure(figsize=(w / DPI, h / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    top, body = fig.subfigures(2, 1, height_ratios=[header, h - header])
    top.text(0.02, 1 - 14 / header, title, fontsize=19, fontweight="bold", va="top", ha="left")
    top.text(0.02, 8 / header, sub, fontsize=13, color=GREY, va="bottom", ha="left")
    return fig, body, body.add_subplot()


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _legend(fig, ax) -> None:
    """Under the plot, where it hides no line."""
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=2, frameon=False)


def _numbers(ax, axis: str, t: Messages) -> None:
    formatter = FuncFormatter(lambda v, _: t.num(int(v)) if v == int(v) else "")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def _dates(ax) -> None:
    ax.xaxis.set_major_locator(AutoDateLocator(minticks=4, maxticks=8))
    ax.xaxis.set_major_formatter(DateFormatter("%d/%m"))


def cumulative_chart(report: Report, *, translator: Translator | None = None) -> bytes:
    """The running total day by day against the target, and the straight line still to climb to reach it."""
    t = messages(report.language, translator)
    tr = report.trend
    with matplotlib.rc_context(STYLE):
        fig, body, ax = _frame("cumulative", t("files.chart.cumulative.title", metric=tr.metric.label if tr else "",
                                                unit=unit_name(report, t)), report, t)
        if tr is None or not tr.days:
            _empty(ax, t)
            return _png(fig)
        ax.plot(tr.days, tr.cumulative, color=BLUE, linewidth=3, marker="o", markersize=4,
                label=t("files.chart.cumulative.actual"))
        last_day, last = tr.days[-1], tr.cumulative[-1]
        ax.annotate(t.num(last), (last_day, last), textcoords="offset points", xytext=(-8, 10), ha="right",
                    fontsize=14, fontweight="bold", color=BLUE)
        note = ""
        if tr.target is not None and tr.target_day is not None:
            ax.axhline(tr.target, color=RED, linestyle="--", linewidth=2,
                       label=t("files.chart.cumulative.target", target=t.num(tr.target), day=t.day(tr.target_day)))
            pace = tr.pace_needed[-1] if tr.pace_needed else None
            if last >= tr.target:
                note = t("files.chart.met")
            elif pace is not None and tr.target_day > last_day:
                ax.plot([last_day, tr.target_day], [last, tr.target], color=ORANGE, linestyle=":", linewidth=3,
                        label=t("files.chart.cumulative.needed", pace=t.num(pace)))
            elif pace is None and tr.target_day <= last_day:
                note = t("files.chart.missed", remaining=t.num(tr.target - last))
            ax.set_xlim(tr.days[0] - timedelta(days=1), max(tr.target_day, last_day) + timedelta(days=1))
        else:
            note = t("files.chart.no_target")
        if note:
            ax.text(0.02, 0.95, _nfc(note), transform=ax.transAxes, fontsize=15, fontweight="bold", va="top",
                    color=GREEN if last >= (tr.target or 0) and tr.target is not None else GREY)
        ax.set_ylim(bottom=0, top=max(last, tr.target or 0) * 1.12 or 1)
        _numbers(ax, "y", t)
        _dates(ax)
        _legend(body, ax)
        return _png(fig)


def daily_chart(report: Report, *, translator: Translator | None = None) -> bytes:
    """The period's figure per day as bars, the daily quota and the pace still needed per day as lines."""
    t = messages(report.language, translator)
    tr = report.trend
    with matplotlib.rc_context(STYLE):
        fig, body, ax = _frame("daily", t("files.chart.daily.title", metric=tr.metric.label if tr else "",
                                           unit=unit_name(report, t)), report, t)
        if tr is None or not tr.days:
            _empty(ax, t)
            return _png(fig)
        ax.bar(tr.days, tr.daily, color=BLUE, width=0.75, label=t("files.chart.daily.figures"))
        if len(tr.days) <= 14:
            for d, v in zip(tr.days, tr.daily):
                ax.annotate(t.num(v), (d, v), textcoords="offset points", xytext=(0, 4), ha="center", fontsize=12)
        _step(ax, tr.days, tr.daily_quota, GREEN, "--", t("files.chart.daily.quota"))
        _step(ax, tr.days, tr.pace_needed, ORANGE, "-", t("files.chart.daily.pace"))
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        _numbers(ax, "y", t)
        _dates(ax)
        _legend(body, ax)
        return _png(fig)


def _step(ax, days: tuple[date, ...], values: tuple[int | None, ...], color: str, style: str, label: str) -> None:
    """A line through each day's value, broken where there is none."""
    if not values or all(v is None for v in values):
        return
    edges = [d - timedelta(hours=9) for d in days] + [days[-1] + timedelta(hours=9)]
    ys = [float("nan") if v is None else v for v in values]
    ax.stairs(ys, edges, color=color, linestyle=style, linewidth=3, label=label, baseline=None)


def ranking_chart(report: Report, *, translator: Translator | None = None) -> bytes:
    """The child units by the ranking metric over the period, highest on top; behind their quota in orange."""
    t = messages(report.language, translator)
    index = report.rank_index
    metric = report.metrics[index]
    ranked = ranking(report.rows, index)
    note = ""
    if len(ranked) > MAX_BARS:
        half = MAX_BARS // 2
        note = t("files.chart.ranking.some", shown=t.num(half), count=t.num(len(ranked)))
        ranked = ranked[:half] + ranked[-half:]
    with matplotlib.rc_context(STYLE):
        fig, body, ax = _frame("ranking", t("files.chart.ranking.title", metric=metric.label,
                                             unit=unit_name(report, t)), report, t, note)
        if not ranked:
            _empty(ax, t)
            return _png(fig)
        ys = list(range(len(ranked)))[::-1]
        colors = [BLUE if r.goal is None else GREEN if r.value >= r.goal else ORANGE for r in ranked]
        ax.barh(ys, [r.value for r in ranked], color=colors, height=0.7)
        ax.set_yticks(ys, [_short(f"{r.rank}. {r.name}") for r in ranked], fontsize=13 if len(ranked) <= 12 else 11)
        top = max(r.value for r in ranked) or 1
        for y, r in zip(ys, ranked):
            text = _nfc(t.num(r.value) if not r.goal else t("files.chart.ranking.of_quota", value=t.num(r.value),
                                                              pct=t.pct(r.value / r.goal)))
            if r.value >= top * 0.55:  # a long bar holds its figure; a short one has room after it
                ax.text(r.value - top * 0.01, y, text, va="center", ha="right", fontsize=12, color="white",
                        fontweight="bold")
            else:
                ax.text(r.value + top * 0.01, y, text, va="center", ha="left", fontsize=12)
        ax.set_xlim(0, top * 1.02)
        ax.grid(axis="y", visible=False)
        _numbers(ax, "x", t)
        return _png(fig)


def _empty(ax, t: Messages) -> None:
    ax.text(0.5, 0.5, _nfc(t("files.chart.empty")), transform=ax.transAxes, ha="center", va="center", fontsize=18,
            color=GREY)
    ax.set_xticks([])
    ax.set_yticks([])


def charts(report: Report, *, translator: Translator | None = None,
           kinds: Sequence[str] = ("cumulative", "daily", "ranking")) -> list[Picture]:
    """Every chart of `kinds` the report has data for: the two progress charts with a trend, the ranking with rows."""
    made = []
    if report.trend is not None:
        if "cumulative" in kinds:
            made.append(Picture("cumulative", cumulative_chart(report, translator=translator), *SIZES["cumulative"]))
        if "daily" in kinds:
            made.append(Picture("daily", daily_chart(report, translator=translator), *SIZES["daily"]))
    if "ranking" in kinds:
        made.append(Picture("ranking", ranking_chart(report, translator=translator), *SIZES["ranking"]))
    return made
