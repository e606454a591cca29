"""A line cut into clauses of items: labels, numbers, colons, dates in a number's place, refused numbers.

What is never a figure is taken out here: team and place names with their numbers ("Tổ 3", "KP3", "đường 3/2"),
times, phone numbers, links, percentages, counts of people, minutes or leaflets, and everything a running total,
a target or a remainder says ("lũy kế 300", "chỉ tiêu 40", "còn 5 hộ hẹn mai"). Stated days, days off, "add or
replace" words and weeks or months are collected on `Found`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from domain.reading import days as D
from domain.reading import lexicon as L
from domain.reading import tokens as T
from domain.reading.bits import NUMWORD, PHRASE, Bit

# item kinds
LBL, NUM, COLON, DATEV, PAIR, BAD, UNK, AND, OR, IGN, ACC = "lbl", "num", "colon", "datev", "pair", "bad", "unk", \
    "and", "or", "ign", "acc"


class Item:
    __slots__ = ("kind", "start", "end", "value", "words", "flags", "parts", "text")

    def __init__(self, kind: str, start: int, end: int, *, value: int | None = None, words: list | None = None,
                 parts: tuple = (), text: str = "") -> None:
        self.kind, self.start, self.end, self.value = kind, start, end, value
        self.words, self.parts, self.text = words or [], parts, text
        self.flags: set[str] = set()

    def __repr__(self) -> str:
        return f"{self.kind}({self.text!r}{'=' + str(self.value) if self.value is not None else ''}" \
               f"{' ' + ','.join(sorted(self.flags)) if self.flags else ''})"


@dataclass
class Mention:
    """A stated day: `day` (None when the words name no real day), where it was said, and how sure."""

    day: date | None
    start: int
    end: int
    text: str
    kind: str = "day"  # "day"; "tday" for "T6" (thứ 6 or tổ 6?); "bad" for a date that does not exist


@dataclass
class Found:
    days: list[Mention] = field(default_factory=list)
    offs: list[tuple[int, int]] = field(default_factory=list)
    modes: list[str] = field(default_factory=list)
    periods: list[tuple[int, int]] = field(default_factory=list)
    vague: list[tuple[int, int]] = field(default_factory=list)  # "hôm trước": a day not said
    set_aside: list[tuple[int, int]] = field(default_factory=list)  # numbers of people, minutes…: no figures
    corrections: list[int] = field(default_factory=list)  # where the message corrects itself ("à nhầm")
    plans: list[tuple[int, int]] = field(default_factory=list)  # periods read as totals or plans ("tháng này")
    dropped: list[tuple[int, int]] = field(default_factory=list)  # a label's number that is none ("hộ 20%")


@dataclass
class Clause:
    items: list[Item]
    subset: bool = False  # "trong đó …": a breakdown of figures already given
    start: int = -1  # where its words are in the message
    end: int = -1
    sentence: bool = False  # it starts a new sentence (after ". ")


@dataclass
class Line:
    clauses: list[Clause]
    bits: list[Bit]
    blank: bool = False
    ignore_heading: bool = False  # "Lũy kế:" alone: what follows is no figure of today


_SEP_PUNCT = ",;|()[]{}!?…\"“”«»"
_DAY_WORDS = {"ngay", "mung", "mong"}
_WEAK_CORRECTIONS = {"thanh", "- >", "= >", "→", "a"}  # a correction only between two numbers ("từ 8 thành 10")
_TOGETHER = {"voi", "va", "cung", "&", "and", "with"}  # "c Hạnh với em": people who worked together
_PLACE_TOTALS = {"dia ban", "tren dia ban"}  # "trên địa bàn tổ 5" is where, "trên địa bàn: 650" a total
_CLASSIFIERS = {"cai", "chiec", "luot"}
_APPROVAL = {"duyet", "phe duyet", "duoc duyet", "duoc phe duyet", "da duyet"}


def _folded(b: Bit) -> str:
    return " ".join(t.folded for t in b.toks)


def _is_number(b: Bit) -> bool:
    return b.kind in (T.NUM, NUMWORD)


class _Builder:
    def __init__(self, line: list[Bit], text: str, today: date, found: Found, marked: int, slip=None) -> None:
        self.bits, self.text, self.today, self.found, self.marked = line, text, today, found, marked
        self.slip = slip or (lambda word: False)  # whether a word is a vocabulary word with a letter left out
        self.clauses: list[Clause] = [Clause([])]
        self.i = 0
        self.approx = False

    # --- output
    @property
    def items(self) -> list[Item]:
        return self.clauses[-1].items

    def sep(self, subset: bool = False, sentence: bool = False) -> None:
        if self.clauses[-1].items or subset:
            self.clauses.append(Clause([], subset=subset, sentence=sentence))
        elif sentence:
            self.clauses[-1].sentence = True

    def add(self, item: Item) -> Item:
        if self.approx and item.kind == NUM:
            item.flags.add("approx")
            self.approx = False
        self.items.append(item)
        return item

    def span(self, a: int, b: int) -> str:
        return self.text[a:b]

    # --- reading
    def peek(self, k: int = 0) -> Bit | None:
        j = self.i + k
        return self.bits[j] if 0 <= j < len(self.bits) else None

    def build(self) -> list[Clause]:
        while self.i < len(self.bits):
            b = self.bits[self.i]
            self.i += 1
            c = self.clauses[-1]
            if c.start < 0:
                c.start = b.start
            self.one(b)
            last = self.bits[self.i - 1]
            c.end = max(c.end, last.end)
        return [c for c in self.clauses if c.items or c.subset]

    def one(self, b: Bit) -> None:
        if b.kind == PHRASE:
            self.phrase(b)
        elif b.kind == NUMWORD:
            self.number_word(b)
        elif b.kind == T.NUM:
            self.number(b)
        elif b.kind == T.WORD:
            self.word(b)
        elif b.kind == T.DATE:
            self.date_token(b)
        elif b.kind == T.DEC:
            self.add(Item(BAD, b.start, b.end, text=b.tok.text, parts=(T.NOT_WHOLE,)))
        elif b.kind == T.PAIR:
            self.add(Item(PAIR, b.start, b.end, parts=b.tok.parts, text=b.tok.text))
        elif b.kind == T.RANGE:
            self.add(Item(BAD, b.start, b.end, text=b.tok.text, parts=("range",)))
        elif b.kind == T.LIST:
            for v in b.tok.parts:
                item = self.add(Item(NUM, b.start, b.end, value=v, text=str(v)))
                item.flags.add("listed")
        elif b.kind == T.BAD:
            self.add(Item(BAD, b.start, b.end, text=b.tok.text, parts=(b.tok.reason,)))
        elif b.kind == T.PUNCT:
            self.punct(b)
        elif b.kind == T.KEYCAP:  # a list marker starts a line; inside one it is a digit drawn as an emoji
            self.add(Item(BAD, b.start, b.end, text=b.tok.text, parts=(T.ODD_DIGITS,)))
        elif b.kind == T.TIME:
            if self.doubtful_time(b):
                return
            self.drop_time_words()
        elif b.kind == T.PCT and self._value_place():
            self.found.dropped.append((b.start, b.end))
        # phone numbers, links, symbols, keycaps, percentages: never figures

    def punct(self, b: Bit) -> None:
        ch = b.tok.text
        nxt = self.peek()
        if ch in ":=":
            self.add(Item(COLON, b.start, b.end, text=ch))
        elif ch == "(" and any(it.kind == NUM for it in self.items) and any(it.kind == LBL for it in self.items):
            self.sep(subset=True)  # "23 hộ (3 hộ cụ già)": what is in brackets after a figure breaks it down
        elif ch in _SEP_PUNCT:
            self.sep()
        elif ch == ".":
            if nxt is None or not nxt.glued or nxt.kind in (T.WORD, PHRASE) and nxt.tok.text[:1].isupper():
                self.sep(sentence=True)
        elif ch in "/\\-–—−":
            prev_item = self.items[-1] if self.items else None
            glued_both = b.glued and nxt is not None and nxt.glued
            if glued_both and prev_item is not None and prev_item.kind == LBL and nxt.kind == PHRASE \
                    and nxt.metric_words:
                self.add(Item(AND, b.start, b.end, text=ch))
            elif not glued_both or ch != "/" or (prev_item is not None and prev_item.kind == NUM):
                self.sep()

    def doubtful_time(self, b: Bit) -> bool:
        """"20h 15app": 20 giờ, or 20 hộ? A bare hour right before figures, with no "lúc"/"từ" to say it is one."""
        text = b.tok.text.lower()
        if not (text[:-1].isdigit() and text[-1] == "h"):
            return False
        prev = self.bits[self.i - 2] if self.i >= 2 else None
        nxt = self.peek()
        if prev is not None and (prev.is_role(L.TIMEWORD, L.APPROX) or prev.kind == T.TIME or prev.is_punct("-–")):
            return False
        if nxt is None or not (nxt.kind == T.NUM or nxt.kind == NUMWORD or (nxt.kind == PHRASE and nxt.metric_words)):
            return False
        after = self.peek(1)
        if (nxt.is_role(L.TIMEWORD) or _folded(nxt) in ("den", "toi")) and after is not None and after.kind == T.TIME:
            return False  # "14h đến 17h": a time range
        item = self.add(Item(NUM, b.start, b.end, value=int(text[:-1]), text=b.tok.text))
        item.flags.add("doubt")
        return True

    def drop_time_words(self) -> None:
        while self.items and self.items[-1].kind == LBL and self.items[-1].text.lower() in ("đến", "tới", "den",
                                                                                             "toi"):
            self.items.pop()
        nxt = self.peek()
        if nxt is not None and nxt.kind == PHRASE and nxt.is_role(L.TIMEWORD) and _folded(nxt) in ("den", "toi"):
            self.i += 1

    def word(self, b: Bit) -> None:
        t = b.tok
        if t.folded in _DAY_WORDS and self.day_words(b):
            return
        item = self.add(Item(UNK, b.start, b.end, text=t.text))
        if t.text[:1].isupper() and len(t.text) > 1:
            item.flags.add("capital")
            self.person(item)

    def person(self, item: Item) -> None:
        """A name after "chị", "anh", "c", "em"…: someone else's figures ("c Mai 15 hộ"), or the sender's ("Em
        Hồng báo cáo"). Not a person of their own: a team named after its leader ("Tổ chị Lan"), people who
        worked together ("c Hạnh với em"), a name inside a full name."""
        prev = self.bits[self.i - 2] if self.i >= 2 else None
        if prev is None or not prev.is_role(L.ADDRESS):
            return
        before = self.bits[self.i - 3] if self.i >= 3 else None
        nxt = self.peek()
        if before is not None and (before.is_role(L.IDENT) or _folded(before) in _TOGETHER or before.is_role(L.AND)):
            return  # "Tổ chị Lan", "c Lan với c Hoa"
        if nxt is not None and (_folded(nxt) in _TOGETHER or nxt.is_role(L.AND)):
            return
        if any(x is not None and _folded(x) == "oi" for x in (nxt, self.peek(1))):
            return  # "Đ/c Tuấn CSKV ơi": who is spoken to
        item.flags.add("person")
        if prev.ref(L.ADDRESS) == "other":
            item.flags.add("other")

    def tomorrow_or_name(self, b: Bit) -> bool:
        """"mai" alone: tomorrow (a plan), or Mai, a person? After "chị", "c", "em"… or inside a full name it is
        a name; typed in lower case it is tomorrow; "Mai" with a capital before figures could be either."""
        if not (len(b.toks) == 1 and b.tok.folded == "mai" and not b.tok.marks):
            return False
        prev = self.bits[self.i - 2] if self.i >= 2 else None
        nxt = self.peek()
        capital = b.tok.text[:1].isupper()
        if prev is not None and prev.is_role(L.ADDRESS):
            item = self.add(Item(UNK, b.start, b.end, text=b.tok.text))
            item.flags.add("capital")
            self.person(item)
            return True
        if capital and (prev is not None and prev.kind == T.WORD and prev.tok.text[:1].isupper()
                        or nxt is not None and _folded(nxt) in ("oi", "a")):
            self.word(b)  # "Nguyễn Thị Mai", "Mai ơi"
            return True
        if capital:
            item = self.add(Item(UNK, b.start, b.end, text=b.tok.text))
            item.flags.update({"capital", "maybe_day"})
            return True
        return False

    def number_word(self, b: Bit) -> None:
        prev = self.items[-1] if self.items else None
        nxt = self.peek()
        before = self.bits[self.i - 2] if self.i >= 2 else None
        if b.single and b.tok.text[:1].isupper() and before is not None and before.is_role(L.ADDRESS):
            self.word(b)  # "anh Nam 15 hộ": a name, not năm (5)
            return
        if b.single and b.tok.folded == "nam":
            if prev is not None and prev.kind == NUM and prev.end <= b.start:  # "2 năm": years
                prev.flags.add("unit")
                return
            if nxt is not None and nxt.kind == T.NUM and nxt.tok.value >= 1000:  # "năm 2026"
                self.i += 1
                return
        item = self.add(Item(NUM, b.start, b.end, value=b.value, text=self.span(b.start, b.end)))
        item.flags.add("words")
        self.approx_after(item)
        if b.split:
            item.flags.add("doubt")
        if b.single:
            item.flags.add("single")
            if b.tok.text[:1].isupper() and self.i > 1:
                item.flags.add("capital")
        self.unit_after(item)

    def number(self, b: Bit) -> None:
        nxt = self.peek()
        if nxt is not None and nxt.kind == PHRASE and _folded(nxt) == "thang" and self.month_after(b):
            return
        prev = self.items[-1] if self.items else None
        if prev is not None and prev.kind == NUM and len(b.tok.text) == 3 and not b.glued and len(prev.text) <= 3 \
                and prev.text.isdigit() and self._value_place(len(self.items) - 1):
            # "hộ 1 000": a thousand written with a space, or two numbers?
            self.items[-1] = Item(BAD, prev.start, b.end, text=self.span(prev.start, b.end), parts=("spaced",))
            return
        nxt = self.peek()
        if nxt is not None and nxt.glued and nxt.kind == T.WORD and len(nxt.tok.text) == 1 \
                and nxt.tok.folded not in "hgk":  # "2A": a code, not a count
            item = self.add(Item(NUM, b.start, nxt.end, value=b.tok.value, text=self.span(b.start, nxt.end)))
            item.flags.add("doubt")
            self.i += 1
            return
        item = self.add(Item(NUM, b.start, b.end, value=b.tok.value, text=b.tok.text))
        if len(b.tok.text) >= 3 and b.tok.text.startswith("0"):
            item.flags.add("code")  # "0912": part of a phone number or a code, not a count said alone
        before = self.bits[self.i - 2] if self.i >= 2 else None
        if before is not None and (before.kind == T.WORD or before.kind == PHRASE and len(before.toks) == 1
                                   and len(before.tok.text) == 1 and not before.metric_words):
            item.flags.add("code" if b.glued else "after_word")  # "K1", "H 20": a name or a label we do not know
        if b.tok.has("plus"):
            item.flags.add("plus")
        if b.tok.has("vni") or b.tok.has("lookalike"):
            item.flags.add("doubt")  # "ho65": 65 households, or "hộ" typed on a VNI keyboard left off?
        self.approx_after(item)
        if b.glued and len(self.items) > 1 and self.items[-2].kind == LBL:
            item.flags.add("glued_label")
        self.unit_after(item)

    def unit_after(self, item: Item) -> None:
        """A count of people, minutes or leaflets after a number: the number is no figure (people: unless labelled)."""
        nxt = self.peek()
        if nxt is None or nxt.kind != PHRASE:
            return
        if nxt.is_role(L.PCTWORD):
            self.items.pop()
            self.i += 1
        elif nxt.is_role(L.CREW, L.UNIT) and not nxt.metric_words:
            after = self.peek(1)
            if _folded(nxt) in _CLASSIFIERS and after is not None and after.metric_words:
                self.i += 1  # "mười lăm cái app": a classifier before the label, not a count of something else
                return
            if nxt.is_role(L.IDENT) and after is not None and _is_number(after):
                return  # "hộ 20 ấp 15": the word names a place with its own number
            if _folded(nxt) in ("gio", "h", "g"):
                self.items.pop()
                self.minutes()
            else:
                item.flags.add("unit")
                self.found.set_aside.append((item.start, nxt.end))
            self.i += 1
        elif nxt.is_role(L.PEOPLE) and not nxt.metric_words:
            item.flags.add("people")
            self.i += 1

    def crew_count(self) -> None:
        """"Thành viên tham gia: 5": the number after volunteers is how many went, never a figure."""
        j = self.i
        while j < len(self.bits) and j < self.i + 3 and (self.bits[j].is_punct(":=") or self.bits[j].kind == PHRASE
                                                         and self.bits[j].is_role(L.FILL)
                                                         and not self.bits[j].metric_words):
            j += 1
        if j < len(self.bits) and _is_number(self.bits[j]) and not (
                j + 1 < len(self.bits) and self.bits[j + 1].metric_words):
            self.found.set_aside.append((self.bits[self.i - 1].start, self.bits[j].end))
            self.i = j + 1

    def minutes(self) -> None:
        """"8 giờ 30 (phút)": the minutes of a time said in words."""
        nxt, after = self.peek(1), self.peek(2)
        if nxt is not None and nxt.kind == T.NUM and nxt.tok.value < 60 and not (
                after is not None and after.kind == PHRASE and after.metric_words):
            self.i += 1
            if after is not None and after.kind == PHRASE and _folded(after) == "phut":
                self.i += 1

    def approx_after(self, item: Item) -> None:
        """"20 mấy hộ", "mười mấy", "20+ hộ": a word right after the number says it is a guess."""
        nxt = self.peek()
        if nxt is not None and nxt.kind == PHRASE and nxt.is_role(L.APPROX_AFTER) and not nxt.metric_words \
                and (nxt.tok.text != "+" or nxt.glued):
            item.flags.add("approx")
            self.i += 1

    def date_token(self, b: Bit) -> None:
        d, m, y = b.tok.parts
        day = D.day_month(self.today, d, m, y)
        prev = self.items[-1] if self.items else None
        before = self.items[-2] if len(self.items) > 1 else None
        in_value_place = y is None and (prev is not None and (prev.kind == LBL or (
            prev.kind == COLON and before is not None and before.kind == LBL)))
        if in_value_place:
            self.add(Item(DATEV, b.start, b.end, parts=(d, m), text=b.tok.text)).value = None
            return
        self.found.days.append(Mention(day, b.start, b.end, b.tok.text, "day" if day else "bad"))

    def day_words(self, b: Bit) -> bool:
        """"ngày 4/12", "ngày 4", "ngày 4 tháng 12 năm 2026", "mùng 4"."""
        nxt = self.peek()
        if nxt is None:
            return False
        if nxt.kind == T.PUNCT and nxt.tok.text == ":":
            self.i += 1
            nxt = self.peek()
            if nxt is None:
                return True
        if nxt.kind == T.DATE:
            self.i += 1
            d, m, y = nxt.tok.parts
            day = D.day_month(self.today, d, m, y)
            self.found.days.append(Mention(day, b.start, nxt.end, self.span(b.start, nxt.end),
                                           "day" if day else "bad"))
            return True
        if nxt.kind == T.DEC:
            self.i += 1
            d, m = nxt.tok.parts
            day = D.day_month(self.today, d, m)
            self.found.days.append(Mention(day, b.start, nxt.end, self.span(b.start, nxt.end),
                                           "day" if day else "bad"))
            return True
        if nxt.kind == T.NUM and 1 <= nxt.tok.value <= 31:
            self.i += 1
            if self.month_after(nxt, start=b.start):
                return True
            day = D.day_of_month(self.today, nxt.tok.value)
            self.found.days.append(Mention(day, b.start, nxt.end, self.span(b.start, nxt.end),
                                           "day" if day else "bad"))
            return True
        return False

    def month_after(self, day_bit: Bit, start: int | None = None) -> bool:
        """"4 tháng 12 (năm 2026)" after a day number: a day; consumed when it is one."""
        j = self.i
        bits = self.bits
        if j + 1 < len(bits) and bits[j].kind == PHRASE and _folded(bits[j]) == "thang" and bits[j + 1].kind == T.NUM:
            m = bits[j + 1].tok.value
            end = bits[j + 1].end
            y = None
            k = j + 2
            if k + 1 < len(bits) and bits[k].kind == NUMWORD and bits[k].tok.folded == "nam" \
                    and bits[k + 1].kind == T.NUM:
                y = bits[k + 1].tok.value
                end = bits[k + 1].end
                k += 2
            self.i = k
            a = day_bit.start if start is None else start
            day = D.day_month(self.today, day_bit.tok.value, m, y) if 1 <= m <= 12 else None
            self.found.days.append(Mention(day, a, end, self.span(a, end), "day" if day else "bad"))
            return True
        return False

    def phrase(self, b: Bit) -> None:
        words = b.metric_words
        folded = _folded(b)
        before = self.bits[self.i - 2] if self.i >= 2 else None
        if len(b.toks) == 1 and b.tok.kind == T.WORD and b.tok.text[:1].isupper() and b.tok.text[1:].islower() \
                and before is not None and before.is_role(L.ADDRESS) and not b.is_role(L.ADDRESS):
            self.word(b)  # "chị Thu: 10 hồ sơ", "anh Đông": a name, whatever else the word means
            return
        if b.lax and self.marked >= 1 and not words and len(b.toks) == 1 and b.tok.text[:1].isupper() \
                and b.tok.text[1:].islower():
            self.word(b)  # "Lan 12 hộ" in a message typed with diacritics: Lan is a name, not "lần"
            return
        if len(b.toks) == 1 and b.tok.kind == T.WORD and b.tok.text[:1].isupper() and b.tok.text[1:].islower() \
                and self._after_name(2 if words else 1):
            self.word(b)  # "Tân Định", "Xuân Hòa", "Lê Văn Thu": a word of a proper name
            return
        if words and not (b.is_role(L.TIMEWORD) and self._near_time()):
            self.add(Item(LBL, b.start, b.end, words=words, text=self.span(b.start, b.end)))
            return
        if b.is_role(L.CORRECTION):
            self.correction(b, folded)
        if b.is_role(L.DAY) and b.ref(L.DAY) > 0:  # "ngày mai đi tiếp": a plan, not figures of a day
            if self.tomorrow_or_name(b):
                return
            self.add(Item(IGN, b.start, b.end, text=self.span(b.start, b.end)))
            return
        if b.is_role(L.DAY):
            self.found.days.append(Mention(D.shift(self.today, b.ref(L.DAY)), b.start, b.end,
                                           self.span(b.start, b.end)))
            return
        if b.is_role(L.WEEKDAY):
            if not (self.marked >= 2 and not b.tok.marks and b.tok.folded == "thu"):
                self.found.days.append(Mention(D.weekday_back(self.today, b.ref(L.WEEKDAY)), b.start, b.end,
                                               self.span(b.start, b.end)))
                return
        if b.is_role(L.NOTE):
            return  # a note marker left inside figures (the note was taken before): says nothing
        if b.is_role(L.OFF):
            self.found.offs.append((b.start, b.end))
            return
        if b.is_role(L.MODE):
            self.found.modes.append(b.ref(L.MODE))
            return
        if b.is_role(L.PERIOD):  # "tháng này 210 hộ": many days' figures, never one day's
            self.found.periods.append((b.start, b.end))
            self.found.plans.append((b.start, b.end))
            self.add(Item(IGN, b.start, b.end, text=self.span(b.start, b.end)))
            return
        if b.is_role(L.VAGUE):
            self.found.vague.append((b.start, b.end))
            return
        if b.is_role(L.FRACTION):
            prev = self.items[-1] if self.items else None
            nxt = self.peek()
            if prev is not None and prev.kind == NUM:
                end = b.end
                if nxt is not None and (_is_number(nxt) or nxt.kind == T.NUM):
                    end = nxt.end
                    self.i += 1
                self.items[-1] = Item(BAD, prev.start, end, text=self.span(prev.start, end), parts=(T.NOT_WHOLE,))
            return
        if b.is_role(L.APPROX_AFTER) and self.items and self.items[-1].kind == LBL and len(self.items) >= 2 \
                and self.items[-2].kind == NUM and not self._number_next():
            self.items[-2].flags.add("approx")  # "20 hộ trở lên", "20 hộ hoặc hơn"
            return
        if b.is_role(L.ZERO) and not self._value_place() and self.peek() is not None and self.peek().metric_words \
                and (self.peek(1) is None or _folded(self.peek(1)) in ("nao", "ca")):
            self.i += 1  # "không hộ nào": none, which is the same as not said
            if self.peek() is not None:
                self.i += 1
            return
        if b.is_role(L.ZERO) and self._value_place() and not self._pair_before():
            item = self.add(Item(NUM, b.start, b.end, value=0, text=self.span(b.start, b.end)))
            item.flags.add("zero_word")
            return
        if b.is_role(L.IGNORE):
            if folded == "con" and not self._number_next():
                self.sep()
                return
            nxt = self.peek()
            if folded in _PLACE_TOTALS and nxt is not None and nxt.is_role(L.IDENT):
                return  # "đi 22 hộ trên địa bàn tổ 5": where, not a total
            if folded in _APPROVAL and nxt is not None and nxt.is_role(L.AND) and self.peek(1) is not None \
                    and self.peek(1).metric_words:
                self.i += 1  # "được phê duyệt và kích hoạt: 14": the activation is the figure
                return
            self.add(Item(IGN, b.start, b.end, text=self.span(b.start, b.end)))
            return
        if folded in _DAY_WORDS and self.day_words(b):
            return
        if folded == "thang" and self._number_next():
            nxt = self.peek()
            self.i += 1
            self.found.periods.append((b.start, nxt.end))
            return
        if b.is_role(L.IDENT) and self.ident(b):
            return
        if b.is_role(L.ACCOUNT):
            self.add(Item(ACC, b.start, b.end, text=self.span(b.start, b.end)))
            return
        if b.is_role(L.CREW) and not b.is_role(L.FILL):
            self.crew_count()
            return
        if b.is_role(L.UNIT, L.CREW, L.PEOPLE):
            return
        if b.is_role(L.SUBSET):
            self.sep(subset=True)
            return
        if b.is_role(L.SEP):
            self.sep()
            return
        if b.is_role(L.AND):
            prev = self.items[-1] if self.items else None
            nxt = self.peek()
            if prev is not None and prev.kind == LBL and nxt is not None and nxt.kind == PHRASE and nxt.metric_words:
                self.add(Item(AND, b.start, b.end, text=self.span(b.start, b.end)))
            else:
                self.sep()
            return
        if b.is_role(L.OR):
            self.add(Item(OR, b.start, b.end, text=self.span(b.start, b.end)))
            return
        if b.is_role(L.APPROX):
            if self._number_next():
                self.approx = True
            return
        # fillers, time words: nothing

    def correction(self, b: Bit, folded: str) -> None:
        """"hộ 12 à nhầm 15", "xin lỗi app 13", "từ 8 thành 10": where the message corrects itself."""
        if folded == "a":  # "15 hộ nha, à 16": only "à" itself, and before a number
            if not (b.tok.marks and self._number_next()):
                return
        elif folded in _WEAK_CORRECTIONS or (len(b.toks) == 1 and b.tok.kind in (T.SYM, T.PUNCT)):
            prev = self.items[-1] if self.items else None
            if not (prev is not None and prev.kind == NUM and self._number_next()):
                return
        self.found.corrections.append(b.start)

    def _pair_before(self) -> bool:
        """"5 hộ chưa có": the label before already has its number before it, so what follows is not its value."""
        items = self.items
        return len(items) >= 2 and items[-1].kind == LBL and items[-2].kind == NUM and (
            len(items) == 2 or items[-3].kind != LBL)

    def _after_name(self, n: int) -> bool:
        """Whether the `n` words before the current one are capitalised words the grammar does not know."""
        before = self.bits[max(0, self.i - 1 - n):self.i - 1]
        return len(before) == n and all(x.kind == T.WORD and x.tok.text[:1].isupper() for x in before)

    def _near_time(self) -> bool:
        prev = self.bits[self.i - 2] if self.i >= 2 else None
        nxt = self.peek()
        return (prev is not None and prev.kind == T.TIME) or (nxt is not None and nxt.kind == T.TIME)

    def _number_next(self) -> bool:
        nxt = self.peek()
        return nxt is not None and (_is_number(nxt) or nxt.kind in (T.DATE, T.PAIR, T.LIST, T.DEC, T.BAD))

    def _value_place(self, at: int | None = None) -> bool:
        """Whether the next item (or the one at `at`) stands where a label's number stands."""
        at = len(self.items) if at is None else at
        prev = self.items[at - 1] if at >= 1 else None
        before = self.items[at - 2] if at >= 2 else None
        return prev is not None and (prev.kind == LBL or (prev.kind == COLON and before is not None
                                                           and before.kind == LBL))

    def ident(self, b: Bit) -> bool:
        """"Tổ 3", "KP3", "Tổ: 7", "P.5", "đường 3/2", "tổ CNS 12": a name and its number, never a figure."""
        folded = _folded(b)
        j = self.i
        bits = self.bits
        if j < len(bits) and bits[j].kind == T.PUNCT and bits[j].tok.text in ":." and folded != "so" \
                and (bits[j].tok.text == ":" or bits[j].glued):
            if bits[j].tok.text == ":" and j + 2 < len(bits) and bits[j + 2].kind == PHRASE \
                    and bits[j + 2].metric_words:
                return False  # "của tổ: 500 hộ": the number after the colon is a figure
            j += 1
        unknown = 0
        while j < len(bits) and unknown < 2 and bits[j].kind == T.WORD and folded in ("to", "khu pho", "kp", "ap"):
            j += 1
            unknown += 1
        code = self._code(j)  # "Block B3", "Khu phố 2A"
        if code:
            self.i = code
            return True
        if j < len(bits) and bits[j].kind in (T.NUM, T.DATE, T.PAIR, T.LIST, T.DEC) or (
                j < len(bits) and bits[j].kind == NUMWORD and bits[j].single and folded not in ("t",)):
            if folded == "t" and not bits[j].glued:
                return False
            if folded == "t" and bits[j].kind == T.NUM and 2 <= bits[j].tok.value <= 7:
                wd = bits[j].tok.value - 2
                self.found.days.append(Mention(D.weekday_back(self.today, wd), b.start, bits[j].end,
                                               self.span(b.start, bits[j].end), "tday"))
            at_start = self.i == 1 or (self.i >= 2 and self.bits[self.i - 2].kind in (T.SYM, T.KEYCAP))
            if bits[j].kind == T.NUM and len(b.toks) == 1 and not b.tok.marks and len(b.tok.text) <= 2 \
                    and not bits[j].glued and (any(it.kind == NUM for it in self.items)
                                               or self.slip(b.tok.folded) and not at_start):
                item = self.add(Item(NUM, bits[j].start, bits[j].end, value=bits[j].tok.value,
                                     text=self.span(b.start, bits[j].end)))
                item.flags.add("doubt")  # "hộ 20 ap 15": a place named after a figure, or "app" mistyped?
                self.i = j + 1
                return True
            if self.items and self.items[-1].kind == LBL:  # "hộ số 25": set aside, asked about if nothing else
                self.found.set_aside.append((b.start, bits[j].end))
            self.i = j + 1
            return True
        return False


    def _code(self, j: int) -> int | None:
        """Letters and digits glued into a code after a place word ("B3", "2A"): the index after it, or None."""
        bits = self.bits
        if j + 1 < len(bits) and bits[j + 1].glued and (
                bits[j].kind == T.WORD and len(bits[j].tok.text) <= 3 and bits[j + 1].kind == T.NUM
                or bits[j].kind == T.NUM and bits[j + 1].kind == T.WORD and len(bits[j + 1].tok.text) <= 2):
            return j + 2
        return None


def build(line: list[Bit], text: str, today: date, found: Found, marked: int, slip=None) -> list[Clause]:
    """The clauses of one line; `marked`: how many words of the message carry diacritics."""
    return _Builder(line, text, today, found, marked, slip).build()


def split_at_headings(clause: Clause) -> list[Clause]:
    """"Hộ 20 mức 1: đk 11 kh 9 mức 2: hs 2": a label, a colon and another label after numbers start anew."""
    items = clause.items
    cuts = []
    for n in range(1, len(items) - 1):
        if items[n].kind == COLON and items[n - 1].kind == LBL and items[n + 1].kind == LBL:
            k = n - 1
            while k > 0 and items[k - 1].kind == LBL:
                k -= 1
            if any(it.kind in (NUM, PAIR, DATEV) for it in items[:k]):
                cuts.append(k)
    if not cuts:
        return [clause]
    out, last = [], 0
    for k in cuts:
        out.append(Clause(items[last:k], clause.subset))
        last = k
    out.append(Clause(items[last:], clause.subset))
    return [c for c in out if c.items]
