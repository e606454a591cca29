"""The questions the reader asks, each with its choices and exactly what choosing one does."""
from __future__ import annotations

from datetime import date

from domain.reading.result import Choice, Figures, MetricName, Question

# kinds
WHICH_METRIC = "which_metric"  # "KH 15": activations of level 1 or 2?
TWO_NUMBERS = "two_numbers"  # "sáng 10 hộ chiều 15 hộ", "mức 1 10 12"
SEVERAL_PEOPLE = "several_people"  # "Lan: 10 hộ … Hùng: 12 hộ"
TOO_MANY = "too_many_numbers"  # seven bare numbers for six metrics
STRAY = "stray_number"  # a number no label claims
DATE_OR_FIGURES = "date_or_figures"  # "mức 1 15/12"
WHICH_DAY = "which_day"  # "hôm qua … hôm nay …"
DAY_OR_TEAM = "day_or_team"  # "T6": thứ 6 or tổ 6?
APPROXIMATE = "approximate"  # "khoảng 20 hộ"
LABELS_ONE_NUMBER = "labels_one_number"  # "ĐK/KH mức 1: 15"
NO_FIGURES = "no_figures"  # only a running total, a target, a count of people: which are today's figures?
UNCLEAR = "unclear"  # numbers beside labels, none of them read as a figure
BARE_NUMBERS = "bare_numbers"  # "25 18": two numbers and no label, in the configured order?
WHOSE = "whose_figures"  # "c Mai 15 hộ": someone else's figures
TOMORROW_OR_NAME = "tomorrow_or_name"  # "Mai 10 hộ": tomorrow's plan, or Mai's figures?


def retype() -> Choice:
    return Choice("reading.choice.retype", retype=True)


def figures_choice(figures: dict[str, int], key: str = "reading.choice.figures") -> Choice:
    return Choice(key, {"figures": Figures(tuple(figures.items()))}, figures=figures)


def which_metric(words: str, number: int, metrics: list[str]) -> Question:
    return Question(WHICH_METRIC, "reading.ask.which_metric", {"words": words, "number": number},
                    (*(figures_choice({m: number}) for m in metrics), retype()))


def labels_one_number(words: str, number: int, metrics: list[str]) -> Question:
    return Question(LABELS_ONE_NUMBER, "reading.ask.labels_one_number", {"words": words, "number": number},
                    (*(figures_choice({m: number}) for m in metrics), retype()))


def two_numbers(metric: str, numbers: list[int], words: str, add: bool = True) -> Question:
    """Either number, or (`add`, when they may be parts of the day: "sáng 10 hộ, chiều 15 hộ") their sum."""
    choices = [figures_choice({metric: sum(numbers)}, "reading.choice.sum")] if add else []
    for n in dict.fromkeys(numbers):
        choices.append(figures_choice({metric: n}, "reading.choice.only"))
    return Question(TWO_NUMBERS, "reading.ask.two_numbers",
                    {"metric": MetricName(metric), "numbers": ", ".join(str(n) for n in numbers), "words": words},
                    (*choices, retype()))


def several_people(names: str, totals: dict[str, int]) -> Question:
    return Question(SEVERAL_PEOPLE, "reading.ask.several_people", {"names": names},
                    (figures_choice(totals, "reading.choice.sum_people"), retype()))


def too_many(numbers: list[int], metrics: list[str]) -> Question:
    n = len(metrics)
    first = dict(zip(metrics, numbers[:n]))
    last = dict(zip(metrics, numbers[-n:]))
    choices = [figures_choice(last, "reading.choice.drop_first")]
    if len(numbers) == n + 1:
        choices.append(figures_choice(first, "reading.choice.drop_last"))
    return Question(TOO_MANY, "reading.ask.too_many_numbers",
                    {"count": len(numbers), "metrics": n, "numbers": " ".join(str(x) for x in numbers)},
                    (*choices, retype()))


def stray(words: str, number: int, metrics: list[str]) -> Question:
    return Question(STRAY, "reading.ask.stray_number", {"words": words, "number": number},
                    (*(figures_choice({m: number}) for m in metrics), Choice("reading.choice.not_a_figure"),
                     retype()))


def date_or_figures(words: str, token: str, pair: dict[str, int] | None, day: date | None) -> Question:
    choices = []
    if pair:
        choices.append(figures_choice(pair))
    if day is not None:
        choices.append(Choice("reading.choice.day", {"day": day}, day=day))
    return Question(DATE_OR_FIGURES, "reading.ask.date_or_figures", {"words": words, "token": token},
                    (*choices, retype()))


def which_day(words: str, days: list[date]) -> Question:
    return Question(WHICH_DAY, "reading.ask.which_day", {"words": words},
                    (*(Choice("reading.choice.day", {"day": d}, day=d) for d in days), retype()))


def day_or_team(token: str, day: date | None, today: date) -> Question:
    choices = []
    if day is not None:
        choices.append(Choice("reading.choice.weekday", {"day": day}, day=day))
    choices.append(Choice("reading.choice.team_today", {"day": today}, day=today))
    return Question(DAY_OR_TEAM, "reading.ask.day_or_team", {"token": token}, (*choices, retype()))


def approximate(words: str, number: int, metric: str) -> Question:
    return Question(APPROXIMATE, "reading.ask.approximate", {"words": words, "number": number},
                    (figures_choice({metric: number}), retype()))


def bare_numbers(numbers: list[int], in_order: dict[str, int]) -> Question:
    return Question(BARE_NUMBERS, "reading.ask.bare_numbers", {"numbers": " ".join(str(n) for n in numbers)},
                    (figures_choice(in_order), retype()))


def whose(names: str, figures: dict[str, int]) -> Question:
    return Question(WHOSE, "reading.ask.whose_figures", {"names": names},
                    (figures_choice(figures, "reading.choice.mine"), retype()))


def tomorrow_or_name(words: str, token: str, figures: dict[str, int]) -> Question:
    return Question(TOMORROW_OR_NAME, "reading.ask.tomorrow_or_name", {"words": words, "token": token},
                    (figures_choice(figures, "reading.choice.today_figures"), Choice("reading.choice.plan"),
                     retype()))
