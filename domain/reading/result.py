"""What reading a message gives: figures for a day, a note, a day off, and what is unsure as typed questions.

Nothing here is user-facing text: questions, choices and problems carry a message key of `reading.po` and the
values for its placeholders. A value is the user's own words (str), a count (int), a day (date), a metric
(`MetricName`, shown as its label) or figures (`Figures`, shown as "label: count, …").
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType
from typing import Literal, Mapping, Union

Mode = Literal["add", "replace"]


@dataclass(frozen=True)
class MetricName:
    """A metric, to be shown as its label in the reader's language."""

    key: str


@dataclass(frozen=True)
class Figures:
    """Figures, to be shown as "label: count, label: count" in the metrics' order as given."""

    items: tuple[tuple[str, int], ...]

    def as_dict(self) -> dict[str, int]:
        return dict(self.items)


Value = Union[str, int, date, MetricName, Figures]


def _frozen(d: Mapping | None) -> Mapping:
    return MappingProxyType(dict(d or {}))


@dataclass(frozen=True)
class Refusal:
    """Why the message is refused: `key` (reading.po) and its placeholders' values."""

    key: str
    values: Mapping[str, Value] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", _frozen(self.values))


@dataclass(frozen=True)
class Choice:
    """One answer to a question: its button text (`key`, `values`) and exactly what choosing it does.

    `figures` are set on the reading (a metric → its count); `day` sets the day; `retype` means the volunteer
    will send the report again (nothing is applied).
    """

    key: str
    values: Mapping[str, Value] = field(default_factory=dict)
    figures: Mapping[str, int] = field(default_factory=dict)
    day: date | None = None
    retype: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", _frozen(self.values))
        object.__setattr__(self, "figures", _frozen(self.figures))


@dataclass(frozen=True)
class Question:
    """What is unsure: `kind` (questions.py), the sentence to ask (`key`, `values`: the user's own words of the
    unsure part) and the choices. The figures a question is about are not in the reading's figures until the
    answer sets them."""

    kind: str
    key: str
    values: Mapping[str, Value] = field(default_factory=dict)
    choices: tuple[Choice, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", _frozen(self.values))


@dataclass(frozen=True)
class Reading:
    """A message as understood. With no question and no error, `figures` for `day` are what the bot previews."""

    figures: Mapping[str, int]
    day: date
    day_stated: bool = False
    note: str | None = None
    off: bool = False
    off_reason: str | None = None
    mode: Mode | None = None
    questions: tuple[Question, ...] = ()
    error: Refusal | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "figures", _frozen(self.figures))

    @property
    def complete(self) -> bool:
        """Nothing to ask and nothing refused: the figures (or the day off) can be previewed as they are."""
        return not self.questions and self.error is None

    @property
    def is_report(self) -> bool:
        """Whether the message reads as a report at all (figures, a day off, a note, a question or a refusal)."""
        return bool(self.figures or self.off or self.note or self.questions or self.error)

    def answer(self, question: int, choice: int) -> "Reading":
        """The reading once `choice` of `questions[question]` is chosen: its figures set, its day set, the
        question gone. A `retype` choice applies nothing (the conversation asks for the report again)."""
        q = self.questions[question]
        c = q.choices[choice]
        figures = dict(self.figures)
        figures.update(c.figures)
        rest = self.questions[:question] + self.questions[question + 1:]
        return replace(self, figures=figures, questions=rest, day=c.day or self.day,
                       day_stated=self.day_stated or c.day is not None)

    # --- kept in a conversation's state between messages
    def to_dict(self) -> dict:
        return {"figures": dict(self.figures), "day": self.day.isoformat(), "day_stated": self.day_stated,
                "note": self.note, "off": self.off, "off_reason": self.off_reason, "mode": self.mode,
                "questions": [_question_dict(q) for q in self.questions],
                "error": None if self.error is None else {"key": self.error.key,
                                                          "values": _values_dict(self.error.values)}}

    @classmethod
    def from_dict(cls, d: dict) -> "Reading":
        err = d.get("error")
        return cls(figures={k: int(v) for k, v in d["figures"].items()}, day=date.fromisoformat(d["day"]),
                   day_stated=bool(d.get("day_stated")), note=d.get("note"), off=bool(d.get("off")),
                   off_reason=d.get("off_reason"), mode=d.get("mode"),
                   questions=tuple(_question_from(q) for q in d.get("questions", ())),
                   error=None if err is None else Refusal(err["key"], _values_from(err["values"])))


def _values_dict(values: Mapping[str, Value]) -> dict:
    out = {}
    for k, v in values.items():
        if isinstance(v, MetricName):
            out[k] = {"metric": v.key}
        elif isinstance(v, Figures):
            out[k] = {"figures": [list(i) for i in v.items]}
        elif isinstance(v, date):
            out[k] = {"date": v.isoformat()}
        else:
            out[k] = v
    return out


def _values_from(d: dict) -> dict[str, Value]:
    out: dict[str, Value] = {}
    for k, v in d.items():
        if isinstance(v, dict) and "metric" in v:
            out[k] = MetricName(v["metric"])
        elif isinstance(v, dict) and "figures" in v:
            out[k] = Figures(tuple((a, int(b)) for a, b in v["figures"]))
        elif isinstance(v, dict) and "date" in v:
            out[k] = date.fromisoformat(v["date"])
        else:
            out[k] = v
    return out


def _question_dict(q: Question) -> dict:
    return {"kind": q.kind, "key": q.key, "values": _values_dict(q.values),
            "choices": [{"key": c.key, "values": _values_dict(c.values), "figures": dict(c.figures),
                         "day": None if c.day is None else c.day.isoformat(), "retype": c.retype}
                        for c in q.choices]}


def _question_from(d: dict) -> Question:
    return Question(kind=d["kind"], key=d["key"], values=_values_from(d["values"]),
                    choices=tuple(Choice(key=c["key"], values=_values_from(c["values"]),
                                         figures={k: int(v) for k, v in c["figures"].items()},
                                         day=None if c["day"] is None else date.fromisoformat(c["day"]),
                                         retype=bool(c["retype"])) for c in d["choices"]))
