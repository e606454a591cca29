"""Cutting a message into tokens: words, whole numbers, dates, times, phone numbers, and numbers refused with a reason.

Digits glued to words are cut apart ("25hộ", "kh1", "KP3"); what only looks like a number ("2,5", "0x1F", "1e9",
"{{7*7}}", "²", "２５") becomes a `BAD` token naming why, never a digit picked out of it.
"""
from __future__ import annotations

import re
from datetime import date

from domain.reading.keyboards import vni
from domain.reading.words import split_word

# kinds
WORD, NUM, PUNCT, NL, SYM, BAD = "w", "n", "p", "nl", "x", "bad"
DATE, TIME, PHONE, LINK, KEYCAP = "date", "time", "phone", "link", "keycap"
LIST, DEC, PAIR, RANGE, PCT = "list", "dec", "pair", "range", "pct"

# reasons a number is refused (the message keys of reading.po end in them)
NOT_WHOLE, NEGATIVE, EXPRESSION = "not_whole", "negative", "expression"
ODD_DIGITS, TOO_LARGE, BAD_DATE = "odd_digits", "too_large", "bad_date"
REFUSED = (NOT_WHOLE, NEGATIVE, EXPRESSION, ODD_DIGITS, TOO_LARGE, BAD_DATE)
MAX_DIGITS = 9

_PUNCT = set(".,;:!?/\\-–—−+*=()[]{}|<>\"'‘’“”«»…•·~_`#@%&^$×")
_SCAN = re.compile(r"""
    (?P<nl>\r\n|[\n\r\u2028\u2029\x0b\x0c\x85])
   |(?P<sp>[^\S\n\r\u2028\u2029\x0b\x0c\x85]+)
   |(?P<tpl>\{\{.*?\}\}|\{%.*?%\}|\$\{[^}\n]*\}|<%.*?%>|\$\(\([^)\n]*\)\))
   |(?P<link>(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.-]+|(?<![\w])[@#][^\W_][\w.]*)
   |(?P<keycap>[0-9#*]\ufe0f?\u20e3)
   |(?P<phone>(?<![\w.,/:])(?:(?:\+84[ .-]?|0)[1-9][0-9]{1,3}(?:[ .-]?[0-9]{3,4}){1,2}
                              |1[89]00[ .]?[0-9]{3,4}(?:[ .]?[0-9]{2})?)(?![\w]))
   |(?P<expr>[0-9]+(?:\s?[*×^]\s?|[+])[0-9]+(?:[*×^+][0-9]+)*(?![\w.,]))
   |(?P<docno>[0-9]+/[A-ZĐ]{2,}(?:-[A-ZĐ0-9]+)+(?![\w]))
   |(?P<group>[0-9]+(?:[.,:/-][0-9]+)+)
   |(?P<alnum>[^\W_]+)
   |(?P<other>.)
""", re.VERBOSE | re.DOTALL)
_TIME_WORDS = {"h", "g", "gio", "pm", "am", "giờ"}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME_RANGE = re.compile(r"(\d{1,2})[:h](\d{2})-(\d{1,2})[:h](\d{2})")


class Token:
    __slots__ = ("kind", "text", "start", "end", "glued", "folded", "marks", "value", "parts", "reason", "role",
                 "ref", "flags", "keys")

    def __init__(self, kind: str, text: str, start: int, end: int, glued: bool, *, value: int | None = None,
                 parts: tuple = (), reason: str = "") -> None:
        self.kind, self.text, self.start, self.end, self.glued = kind, text, start, end, glued
        self.value, self.parts, self.reason = value, parts, reason
        self.folded, self.marks = split_word(text) if kind == WORD else (text.lower(), "")
        self.role = None  # what the grammar made of it (phrases.py)
        self.ref = None  # the role's data
        self.flags: set[str] | None = None
        self.keys = None  # what the phrase matcher looks it up by (phrases.py)

    def flag(self, name: str) -> None:
        if self.flags is None:
            self.flags = set()
        self.flags.add(name)

    def has(self, name: str) -> bool:
        return self.flags is not None and name in self.flags

    def __repr__(self) -> str:  # for tests and debugging
        extra = f"={self.value}" if self.value is not None else (f"{self.parts}" if self.parts else "")
        return f"{self.kind}:{self.text!r}{extra}{'/' + self.role if self.role else ''}"


def scan(text: str) -> list[Token]:
    """The tokens of `text` (NFC), spaces left out; `glued` says a token touches the one before."""
    out: list[Token] = []
    glued = False
    for m in _SCAN.finditer(text):
        kind, s, a, b = m.lastgroup, m.group(), m.start(), m.end()
        if kind == "sp":
            glued = False
            continue
        if kind == "nl":
            out.append(Token(NL, "\n", a, b, False))
        elif kind == "tpl":
            out.append(Token(BAD, s, a, b, glued, reason=EXPRESSION))
        elif kind == "expr":
            out.append(Token(BAD, s, a, b, glued, reason=EXPRESSION))
        elif kind in ("link", "docno"):  # a link, an address, a document's number ("45/KH-UBND"): no figure
            out.append(Token(LINK, s, a, b, glued))
        elif kind == "keycap":
            out.append(Token(KEYCAP, s, a, b, glued))
        elif kind == "phone":
            digits = re.sub(r"\D", "", s)
            if s.startswith("+"):
                digits = "0" + digits[2:]
            if 9 <= len(digits) <= 11 or (digits[:4] in ("1800", "1900") and len(digits) >= 7):
                out.append(Token(PHONE, s, a, b, glued))
            else:
                _split_group_or_number(s, a, glued, out)
        elif kind == "group":
            out.append(_group(s, a, b, glued))
        elif kind == "alnum":
            _alnum(s, a, glued, out)
        else:
            out.append(Token(PUNCT if s in _PUNCT else SYM, s, a, b, glued))
        glued = True
    _signs_and_percent(out)
    return [t for t in out if t.kind != _GONE]


def _split_group_or_number(s: str, a: int, glued: bool, out: list[Token]) -> None:
    """A phone-shaped run that is no phone: its digit groups one by one."""
    for m in re.finditer(r"[0-9]+(?:[.-][0-9]+)*|\S", s):
        part = m.group()
        tok = _group(part, a + m.start(), a + m.end(), glued) if not part.isdigit() else _number(
            part, a + m.start(), a + m.end(), glued)
        out.append(tok)
        glued = False


def _number(s: str, a: int, b: int, glued: bool) -> Token:
    if len(s.lstrip("0")) > MAX_DIGITS:
        return Token(BAD, s, a, b, glued, reason=TOO_LARGE)
    return Token(NUM, s, a, b, glued, value=int(s))


def _valid(d: int, m: int, y: int = 2000) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def _year(y: str) -> int | None:
    if len(y) == 4:
        return int(y)
    if len(y) == 2:
        return 2000 + int(y)
    return None


def _group(s: str, a: int, b: int, glued: bool) -> Token:
    """Digits joined by . , : / - with no space: thousands, a date, a time, a list, or a refused number."""
    seps = set(re.sub(r"[0-9]", "", s))
    parts = re.split(r"[.,:/-]", s)
    nums = tuple(int(p) for p in parts)
    if any(len(p.lstrip("0")) > MAX_DIGITS for p in parts):
        return Token(BAD, s, a, b, glued, reason=TOO_LARGE)
    if _TIME_RANGE.fullmatch(s):
        return Token(TIME, s, a, b, glued)
    if seps == {":"}:
        if len(parts) == 2 and len(parts[1]) == 2 and nums[0] <= 24 and nums[1] < 60:
            return Token(TIME, s, a, b, glued)
        return Token(BAD, s, a, b, glued, reason=EXPRESSION)
    if seps == {"."}:
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", s):
            return _number(s.replace(".", ""), a, b, glued)
        if len(parts) == 3 and _year(parts[2]) and _valid(nums[0], nums[1], _year(parts[2])):
            return Token(DATE, s, a, b, glued, parts=(nums[0], nums[1], _year(parts[2])))
        if len(parts) == 2:
            return Token(DEC, s, a, b, glued, parts=nums, reason=NOT_WHOLE)
        return Token(LIST, s, a, b, glued, parts=nums)
    if seps == {","}:
        if len(parts) == 2 or re.fullmatch(r"\d{1,3}(,\d{3})+", s):
            return Token(BAD, s, a, b, glued, reason=NOT_WHOLE)
        return Token(LIST, s, a, b, glued, parts=nums)
    if seps == {"-"}:
        iso = _ISO.fullmatch(s)
        if iso and _valid(nums[2], nums[1], nums[0]):
            return Token(DATE, s, a, b, glued, parts=(nums[2], nums[1], nums[0]))
        if len(parts) == 2:
            if _valid(nums[0], nums[1]) and len(parts[0]) <= 2 and len(parts[1]) <= 2:
                return Token(DATE, s, a, b, glued, parts=(nums[0], nums[1], None))
            return Token(RANGE, s, a, b, glued, parts=nums)
        if len(parts) == 3 and _year(parts[2]) and len(parts[2]) == 4 and _valid(nums[0], nums[1], int(parts[2])):
            return Token(DATE, s, a, b, glued, parts=(nums[0], nums[1], int(parts[2])))
        return Token(LIST, s, a, b, glued, parts=nums)
    if seps == {"/"}:
        if len(parts) == 2:
            if _valid(nums[0], nums[1]) and len(parts[0]) <= 2 and len(parts[1]) <= 2:
                return Token(DATE, s, a, b, glued, parts=(nums[0], nums[1], None))
            if 29 <= nums[0] <= 31 and 1 <= nums[1] <= 12:  # "31/11": a day that does not exist
                return Token(BAD, s, a, b, glued, reason=BAD_DATE)
            return Token(PAIR, s, a, b, glued, parts=nums)
        if len(parts) == 3 and _year(parts[2]):
            if _valid(nums[0], nums[1], _year(parts[2])):
                return Token(DATE, s, a, b, glued, parts=(nums[0], nums[1], _year(parts[2])))
            if nums[1] <= 12 and nums[0] <= 31:
                return Token(BAD, s, a, b, glued, reason=BAD_DATE)
        return Token(LIST, s, a, b, glued, parts=nums)
    return Token(BAD, s, a, b, glued, reason=EXPRESSION)


def _char_class(ch: str) -> str:
    if "0" <= ch <= "9":
        return "d"
    if ch.isalpha():
        return "a"
    return "o"  # a digit of another script, a superscript, a circled or fractional number


def _alnum(s: str, a: int, glued: bool, out: list[Token]) -> None:
    """Letters and digits with no space between: a word, a number, both glued ("25hộ", "kh1"), a time, or junk."""
    if s.isalpha():
        out.append(Token(WORD, s, a, a + len(s), glued))
        return
    if s.isascii() and s.isdigit():
        out.append(_number(s, a, a + len(s), glued))
        return
    segs: list[tuple[str, str, int]] = []
    for i, ch in enumerate(s):
        c = _char_class(ch)
        if segs and segs[-1][0] == c:
            segs[-1] = (c, segs[-1][1] + ch, segs[-1][2])
        else:
            segs.append((c, ch, i))
    classes = "".join(c for c, _, _ in segs)
    b = a + len(s)
    if "o" in classes:
        out.append(Token(BAD, s, a, b, glued, reason=ODD_DIGITS))
        return
    if classes in ("a", "d"):
        out.append(Token(WORD, s, a, b, glued) if classes == "a" else _number(s, a, b, glued))
        return
    low = s.lower()
    if re.fullmatch(r"0x[0-9a-f]+", low) or re.fullmatch(r"[0-9]+e[0-9]+", low):
        out.append(Token(BAD, s, a, b, glued, reason=EXPRESSION))
        return
    if classes.startswith("ad") and "a" in classes[2:]:
        spelled = vni(s)
        if spelled is not None:  # "ca2i", "d9a8ng": a word typed on a VNI keyboard with the input method off
            tok = Token(WORD, s, a, b, glued)
            tok.folded, tok.marks = spelled
            tok.flag("vni")
            out.append(tok)
            return
    if classes == "da" and segs[1][1] in "oOlI":
        out.append(Token(BAD, s, a, b, glued, reason=EXPRESSION))  # "2O", "5S": a letter for a digit?
        return
    if classes in ("da", "dad"):
        n, letters = int(segs[0][1]), segs[1][1].lower()
        minutes_ok = classes == "da" or (len(segs[2][1]) == 2 and int(segs[2][1]) < 60)
        if letters in _TIME_WORDS and n <= 24 and minutes_ok:
            out.append(Token(TIME, s, a, b, glued))
            return
        if classes == "dad" and len(letters) == 1:
            out.append(Token(BAD, s, a, b, glued, reason=EXPRESSION))
            return
    for c, part, off in segs:
        start = a + off
        tok = Token(WORD, part, start, start + len(part), glued) if c == "a" else _number(
            part, start, start + len(part), glued)
        out.append(tok)
        glued = True


_GONE = "gone"  # a sign or a hyphen that became part of its neighbour


def _signs_and_percent(toks: list[Token]) -> None:
    """A minus glued before a number makes it negative (refused); a plus is dropped; "25%" is a percentage."""
    for i, t in enumerate(toks):
        if t.kind == PUNCT and t.text == "-" and t.glued and 0 < i < len(toks) - 1 and toks[i - 1].kind == WORD \
                and toks[i + 1].kind == NUM and toks[i + 1].glued:
            t.kind = _GONE  # "level-2", "M-1": the word and its number
            continue
        if t.kind == PUNCT and t.text in "-−–+" and i + 1 < len(toks):
            nxt = toks[i + 1]
            if nxt.glued and nxt.kind in (NUM, DEC, LIST, BAD, PAIR, RANGE, DATE):
                before = toks[i - 1] if i else None
                free = before is None or not t.glued or (before.kind == PUNCT and before.text in "(:=[")
                if free and before is not None and before.kind == NL:
                    free = True
                if free:
                    if t.text == "+":
                        t.kind = _GONE  # "+5 hộ" is 5 households, added
                        nxt.flag("plus")
                    elif nxt.kind != BAD:
                        nxt.kind, nxt.reason = BAD, NEGATIVE
                        nxt.text, nxt.start = t.text + nxt.text, t.start
                        t.kind = _GONE  # the sign is part of the refused number
        elif t.kind == PUNCT and t.text == "%" and i:
            prev = toks[i - 1]
            if prev.kind in (NUM, DEC, LIST, PAIR, RANGE) or (prev.kind == BAD and prev.reason == NOT_WHOLE):
                prev.kind, prev.reason = PCT, ""
                t.kind = _GONE
