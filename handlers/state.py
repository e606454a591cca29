"""Each conversation's typed state, to and from the JSON the conversations table keeps: the one place it is done.

A state is a frozen dataclass of plain fields: int, str, bool, date, an Enum, `X | None`, `dict[str, int]`. A
conversation with several kinds of state (a quota set, split or target) names them as a union; a kind with a
class attribute `op` is stored with that tag, and only a stored shape with the same tag reads as it. A field may
be stored under another key (`stored_as`), so that the names of shapes stored before still read.

Reading never raises: a stored shape that does not fit (a missing field, a wrong type, a date that is none, an
unknown tag, state left by an older version) reads as None, and the dispatcher drops that conversation.
"""
from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from enum import Enum
from functools import cache
from typing import Any, TypeVar, Union

S = TypeVar("S")
StateType = Any  # a dataclass type, or a union of them
_MISSING = object()


def stored_as(key: str) -> dict:
    """Field metadata: keep this field under `key` in the stored JSON."""
    return {"stored_as": key}


def encode(state: Any) -> dict:
    """The state as JSON-ready data: dates as ISO strings, enums as their values, the kind's tag as "op"."""
    out: dict[str, Any] = {}
    op = getattr(type(state), "op", None)
    if op is not None:
        out["op"] = op
    for f in dataclasses.fields(state):
        out[_key(f)] = _plain(getattr(state, f.name))
    return out


def decode(kind: StateType, data: Any) -> Any | None:
    """The state of `kind` (or of the first kind of a union that fits) read from stored data; None if none fits."""
    if not isinstance(data, dict):
        return None
    for cls in _members(kind):
        found = _read(cls, data)
        if found is not None:
            return found
    return None


def _members(kind: StateType) -> tuple[type, ...]:
    if typing.get_origin(kind) in (Union, types.UnionType):
        return typing.get_args(kind)
    return (kind,)


def _key(f: dataclasses.Field) -> str:
    return f.metadata.get("stored_as", f.name)


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _read(cls: type, data: dict) -> Any | None:
    op = getattr(cls, "op", None)
    if op is not None and data.get("op") != op:
        return None
    hints = _hints(cls)
    values = {}
    for f in dataclasses.fields(cls):
        raw = data.get(_key(f), _MISSING)
        if raw is _MISSING:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                return None
            continue
        value = _value(hints[f.name], raw)
        if value is _MISSING:
            return None
        values[f.name] = value
    return cls(**values)


def _value(hint: Any, raw: Any) -> Any:
    """`raw` as a value of type `hint`, or _MISSING when it is not one."""
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        args = typing.get_args(hint)
        if raw is None and type(None) in args:
            return None
        for arg in args:
            if arg is not type(None) and (value := _value(arg, raw)) is not _MISSING:
                return value
        return _MISSING
    if origin is dict:
        key_type, value_type = typing.get_args(hint)
        if not isinstance(raw, dict):
            return _MISSING
        out = {}
        for k, v in raw.items():
            key, value = _value(key_type, k), _value(value_type, v)
            if key is _MISSING or value is _MISSING:
                return _MISSING
            out[key] = value
        return out
    if hint is bool:
        return raw if isinstance(raw, bool) else _MISSING
    if hint is int:
        return raw if isinstance(raw, int) and not isinstance(raw, bool) else _MISSING
    if hint is str:
        return raw if isinstance(raw, str) else _MISSING
    if hint is date:
        try:
            return date.fromisoformat(raw) if isinstance(raw, str) else _MISSING
        except ValueError:
            return _MISSING
    if isinstance(hint, type) and issubclass(hint, Enum):
        try:
            return hint(raw)
        except ValueError:
            return _MISSING
    raise TypeError(f"a conversation state cannot hold a {hint!r}")  # a programming error, found by the tests
