"""Which number goes with which label when a clause has several: every way that leaves no number unlabelled.

A number takes the label before it ("hộ 25"), after it ("25 hộ"), or both when they agree ("cài 18 app",
"kích hoạt 10 tài khoản mức 1"). A label may serve one number, a label after a colon belongs to the number after
it, and a label left over beside a number whose label it agrees with should have been part of it. When the ways
left disagree, the reader asks.
"""
from __future__ import annotations

from typing import Callable

LEFT, RIGHT, BOTH, NONE = "l", "r", "b", "-"
MAX_WAYS = 64


def ways(seq: list[tuple[str, object]], colon_before: set[int], agree: Callable[[int, int], bool],
         optional: set[int] = frozenset()) -> list[dict[int, str]]:
    """`seq`: ("L", label) and ("N", number) in order. Each way maps a number's index to how it takes labels;
    only the ways with the fewest unlabelled numbers are returned. An `optional` number (a count of people,
    a number word said alone) takes only the label before it, and is no figure without one."""
    numbers = [j for j, (k, _) in enumerate(seq) if k == "N"]
    found: list[tuple[tuple[int, int], dict[int, str]]] = []

    def options(j: int, used: set[int]) -> list[str]:
        left = j - 1 if j > 0 and seq[j - 1][0] == "L" and j - 1 not in used else None
        right = j + 1 if j + 1 < len(seq) and seq[j + 1][0] == "L" and j + 1 not in used else None
        out = []
        if left is not None:
            out.append(LEFT)
        if left is not None and right is not None and agree(left, right):
            out.append(BOTH)
        if right is not None and j not in colon_before:
            out.append(RIGHT)
        if j in colon_before and j > 0 and seq[j - 1][0] == "L":
            return out or [NONE]
        out.append(NONE)
        return out

    def walk(n: int, used: set[int], way: dict[int, str], missing: tuple[int, int]) -> None:
        if len(found) >= MAX_WAYS:
            return
        if n == len(numbers):
            found.append((missing, dict(way)))
            return
        j = numbers[n]
        for o in options(j, used):
            take = {j - 1} if o == LEFT else {j + 1} if o == RIGHT else {j - 1, j + 1} if o == BOTH else set()
            way[j] = o
            lost = o == NONE
            walk(n + 1, used | take, way, (missing[0] + (lost and j not in optional),
                                           missing[1] + (lost and j in optional)))
        del way[j]

    walk(0, set(), {}, (0, 0))
    if not found:
        return []
    fewest = min(m for m, _ in found)
    best = [w for m, w in found if m == fewest]
    kept = [w for w in best if not _leaves_agreeing_label(seq, w, agree)]
    return kept or best


def labels_of(j: int, how: str) -> list[int]:
    return [j - 1] if how == LEFT else [j + 1] if how == RIGHT else [j - 1, j + 1] if how == BOTH else []


def _leaves_agreeing_label(seq, way: dict[int, str], agree) -> bool:
    used = {i for j, how in way.items() for i in labels_of(j, how)}
    for j, how in way.items():
        mine = labels_of(j, how)
        if not mine:
            continue
        for side in (j - 1, j + 1):
            if 0 <= side < len(seq) and seq[side][0] == "L" and side not in used and all(agree(side, m) for m in mine):
                return True
    return False
