"""The words a campaign's metrics are named by, from config.toml: a metric is an action and, if it has one, a level.

Each phrase of `actions`, `hints`, `levels` and `aliases` points to the set of metrics that list it. A label typed
in a report ("KH mức 1", "đăng ký", "M2") is read as the metrics all its words agree on.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from domain.reading import lexicon as L
from domain.reading.phrases import Trie, fold_phrase
from domain.reading.words import split_word
from domain.settings import Metric

ACTION, HINT, LEVEL, ALIAS = "action", "hint", "level", "alias"
METRIC = "metric"  # the role of a vocabulary phrase in the trie


@dataclass(frozen=True)
class Words:
    """What one phrase says: for each kind of word, the metrics it fits."""

    kinds: tuple[tuple[str, frozenset[str]], ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_kind", dict(self.kinds))

    def get(self, kind: str) -> frozenset[str] | None:
        return self._by_kind.get(kind)


@dataclass(frozen=True)
class Vocabulary:
    metrics: tuple[Metric, ...]
    trie: Trie = field(compare=False, repr=False)
    leveled: frozenset[str] = frozenset()  # metrics that have a level
    level_sets: tuple[frozenset[str], ...] = ()  # the metrics of each level
    level_default: tuple[tuple[frozenset[str], str], ...] = ()  # a level said alone → the metric it means
    action_kin: tuple[tuple[str, frozenset[str]], ...] = ()  # a metric → the metrics sharing an action word with it
    words: frozenset[str] = frozenset()  # every word of the metrics' phrases, folded ("ho", "kh1", "muc")
    # labels read alone, remembered for the short shapes (shapes.py); filled as messages come
    labels_read: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_keys", tuple(m.key for m in self.metrics))

    @property
    def keys(self) -> tuple[str, ...]:
        return self._keys

    def metric(self, key: str) -> Metric:
        for m in self.metrics:
            if m.key == key:
                return m
        raise KeyError(key)

    def default_for(self, level: frozenset[str]) -> str | None:
        for lv, key in self.level_default:
            if lv == level:
                return key
        return None

    def kin(self, key: str) -> frozenset[str]:
        """The metrics named by the same action as `key` ("kích hoạt": both levels' activations)."""
        for k, s in self.action_kin:
            if k == key:
                return s
        return frozenset({key})

    def level_of(self, key: str) -> frozenset[str]:
        """The metrics sharing `key`'s level, `key` included; empty for a metric without a level."""
        for lv in self.level_sets:
            if key in lv:
                return lv
        return frozenset()


@lru_cache(maxsize=32)
def vocabulary_for(metrics: tuple[Metric, ...]) -> Vocabulary:
    """Built once per configured metrics (every message of a deployment shares it)."""
    by_phrase: dict[tuple, dict[str, set[str]]] = {}
    text_of: dict[tuple, str] = {}
    for m in metrics:
        for kind, phrases in ((ACTION, m.actions), (HINT, m.hints), (LEVEL, m.levels)):
            for p in phrases:
                keys = fold_phrase(p)
                if keys:
                    by_phrase.setdefault(keys, {}).setdefault(kind, set()).add(m.key)
                    text_of.setdefault(keys, p)
    trie = Trie()
    for keys, kinds in by_phrase.items():
        trie.add(text_of[keys], METRIC, Words(tuple((k, frozenset(v)) for k, v in sorted(kinds.items()))),
                 vocab=True)
    defaults: list[tuple[frozenset[str], str]] = []
    for m in metrics:
        for a in (*m.aliases, m.key.replace("_", " ")):
            keys = fold_phrase(a)
            if not keys:
                continue
            if keys in by_phrase:  # an alias that is also an action, hint or level word is read as that word
                level = by_phrase[keys].get(LEVEL)
                if level and m.key in level and not any(lv == frozenset(level) for lv, _ in defaults):
                    defaults.append((frozenset(level), m.key))
                continue
            trie.add(a, METRIC, Words(((ALIAS, frozenset({m.key})),)), loose=True, vocab=True)
    for role, entries in L.WORDS.items():
        for e in entries:
            phrase, ref = e if isinstance(e, tuple) else (e, None)
            trie.add(phrase, role, ref)
    level_sets = tuple(sorted({frozenset(k[LEVEL]) for k in by_phrase.values() if LEVEL in k}, key=sorted))
    kin = tuple((m.key, frozenset(k for kinds in by_phrase.values() if m.key in kinds.get(ACTION, ())
                                  for k in kinds[ACTION]) or frozenset({m.key})) for m in metrics)
    words = frozenset(split_word(w)[0] for m in metrics for phrase in (*m.aliases, *m.actions, *m.hints, *m.levels)
                      for w in phrase.split())
    return Vocabulary(metrics=metrics, trie=trie, leveled=frozenset(m.key for m in metrics if m.levels),
                      level_sets=level_sets, level_default=tuple(defaults), action_kin=kin, words=words)
