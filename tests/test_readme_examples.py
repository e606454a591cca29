"""Every example the README's "Using it" shows, and every example the bot's own messages give ("ví dụ: …",
"for example: …", "Cách dùng: …"), works as written on the example units (examples/units.csv), said by someone
allowed to; a preview it starts is confirmed and applied. Placeholders are filled in: CODE with a code just
given, #12 with a member's number."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.units_import import import_units
from domain.i18n import load_catalogs
from handlers.registry import FEATURES
from tests.support.chat import Chat
from tests.support.seed import invite_code

ROOT = Path(__file__).resolve().parent.parent
CODES = {line.split(",")[0] for line in (ROOT / "examples" / "units.csv").read_text("utf-8").splitlines()[1:]}
# Who says each command: a demo member allowed to (the console's --as admin / leader / volunteer).
ACTORS = {"invite": "admin", "quota": "admin", "target": "admin", "phase": "admin", "summary": "lead",
          "remind": "lead", "pause": "lead", "link": "lead", "unlink": "lead", "members": "lead", "role": "lead",
          "remove": "lead", "progress": "lead", "report": "vol", "undo": "vol", "edit": "vol", "language": "vol",
          "help": "vol", "cancel": "vol", "link_account": "vol", "start": None, "export": "lead", "chart": "lead"}
IN_GROUPS = {"link", "unlink"}
# What a refusal or a wrong argument answers starts like one of these (their text up to the first placeholder).
FAILURES = ("error.", ".usage", "plan.missing", "plan.too_many", "plan.unknown_form", "plan.bad_", "plan.zero",
            "plan.which_unit", "quota.target_past", "quota.no_children", "pause.past", "pause.not_team",
            "invite.bad_role", "invite.needs_team", "join.bad_code", "join.expired", "join.used_up", "join.not_member",
            "join.other_bot", "people.no_such", "people.ambiguous", "people.bad_role", "people.needs_team",
            "people.changed", "report.not_a_reporter", "report.no_yesterday", "report.nothing_saved", "report.no_draft",
            "report.bad_number", "chatlink.private", "chatlink.no_unit", "chatlink.refused", "chatlink.unlink_none",
            "link.bad_code", "link.expired", "link.not_member", "link.too_many", "parse.", "check.", "phase.overlap",
            "phase.changed", "help.hint", "undo.nothing", "edit.nothing", "remind.nobody", "export.period_",
            "export.too_large", "export.not_made", "chart.nothing")


def readme_examples() -> list[str]:
    """The code spans of the README's "Using it" table that are things to type: commands and reports."""
    text = (ROOT / "README.md").read_text("utf-8")
    table = text[text.index("## Using it"):text.index("Vietnamese command words")]
    spans = re.findall(r"`([^`]+)`", table)
    return [s for s in spans if s.startswith("/") or re.match(r"^(hom qua |ho \d|\d+ \d)", s)]


# Messages whose examples are part of a message (a day to name), not a whole message to send.
PARTS = {"reading.error.vague_day"}


def message_examples(lang: str) -> list[str]:
    """The concrete commands and reports the bot's messages in `lang` give as examples or usage."""
    out: list[str] = []
    for key, text in load_catalogs()[lang].items():
        if key in PARTS:
            continue
        low = text.lower()
        for marker in ("ví dụ:", "for example:", "cách dùng:", "usage:"):
            at = low.find(marker)
            if at < 0:
                continue
            lines = [line.strip() for line in text[at + len(marker):].split("\n") if line.strip()]
            line = lines[0].split("(")[0].strip() if lines else ""
            if not line.startswith("/"):
                if marker in ("ví dụ:", "for example:") and line:
                    out.append(line.rstrip("."))  # a report, as a volunteer types it
                continue
            for example in re.split(r", | hoặc | or ", line):
                example = example.strip().rstrip(".,")
                if example.startswith("/") and not _placeholders(example):
                    out.append(example)
    return list(dict.fromkeys(out))


def _placeholders(example: str) -> bool:
    """Syntax rather than an example: [optional] parts or a word in capitals that is no unit code."""
    return any(c in example for c in "[]|") or any(
        w.isupper() and w not in CODES and w not in ("CODE",) for w in example.split()[1:])


class World:
    """The example units, an admin, a leader above the wards, a volunteer: the console's demo members."""

    def __init__(self, chat: Chat, store) -> None:
        self.chat, self.store = chat, store
        self.link_code = ""
        self.joined = 0

    async def setup(self) -> "World":
        await import_units(self.store, self.chat.rules, ROOT / "examples" / "units.csv", progress=False)
        await self.join("lead", "Q1", "leader")
        await self.join("vol", "P01-KP1-T", "volunteer", name="Demo volunteer")
        return self

    async def join(self, who: str, unit: str, role: str = "volunteer", name: str | None = None) -> None:
        code = invite_code((await self.chat.say("admin", f"/invite {unit} {role}")).text)
        said = await self.chat.say(who, f"/start {code}", name=name)
        assert "Chào mừng" in said.text, said.text

    async def member_number(self) -> str:
        self.joined += 1
        who = f"extra{self.joined}"
        await self.join(who, "P01-KP2-T")
        return str((await self.store.read(lambda tx: tx.members.by_identity("test", who))).id)

    async def run(self, example: str) -> list[str]:
        """Say the example as someone allowed to, confirm what it previews; every text answered."""
        if not example.startswith("/"):
            said = await self.chat.say("vol", example)
            if "report:add" in said.buttons:  # the volunteer's day has figures from an earlier example
                said = await self.chat.press("vol", "report:add")
            assert "report:confirm" in said.buttons, f"{example!r} was not read as a report: {said.text}"
            return said.texts + (await self.chat.press("vol", "report:confirm")).texts
        word = example.split()[0][1:]
        assert word in ACTORS, f"the README test does not know who says /{word}: add it to ACTORS"
        who, kw = ACTORS[word], {}
        if word in IN_GROUPS:
            kw["group"] = "g-examples"
        if "#12" in example:
            example = example.replace("#12", "#" + await self.member_number())
        elif word == "remove":  # by name: someone of that name is there to be removed
            await self.join(f"named{self.joined}", "P01-KP2-T", name=example.split(" ", 1)[1])
            self.joined += 1
        if word == "start":
            self.joined += 1
            who = f"newcomer{self.joined}"
            example = example.replace("CODE", invite_code((await self.chat.say("admin", "/invite P01-KP2-T")).text))
        if word == "link_account" and "CODE" in example:
            self.joined += 1
            who, kw = f"vol-plain{self.joined}", {"channel": "plain"}
            example = example.replace("CODE", self.link_code)
        said = await self.chat.say(who, example, **kw)
        texts = said.texts
        if word == "link_account" and "CODE" not in example and said.text.count("/link_account "):
            self.link_code = said.text.split("/link_account ")[1].split()[0]
        confirm = [p for p in said.buttons if p.endswith((":confirm", ":yes"))]
        if confirm:
            texts += (await self.chat.press(who, confirm[0], **kw)).texts
        await self.chat.say(who, "/cancel", **kw)  # whatever it started ends here
        return texts


def failed(texts: list[str], catalogs: dict[str, dict[str, str]]) -> str | None:
    """The reply that is a refusal or a complaint about the input (in either language), if one is."""
    patterns = []
    for key, message in ((k, m) for catalog in catalogs.values() for k, m in catalog.items()):
        if any(key.startswith(f) or key.endswith(f) for f in FAILURES):
            first = message.split("\n")[0]
            literal = re.split(r"\{[^}]*\}", first)
            if sum(len(part.strip()) for part in literal) >= 6:
                patterns.append(re.compile(".*?".join(re.escape(part) for part in literal)))
    for text in texts:
        if any(p.match(text) for p in patterns):
            return text
    return None


@pytest.fixture
async def world(store, clock):
    chat = Chat(store, clock, admins={"test": frozenset({"admin"})}, settings=load_settings(ROOT / "config.toml"))
    return await World(chat, store).setup()


@pytest.mark.parametrize("source", ["README", "vi", "en"])
async def test_every_example_works_as_written_on_the_example_units(world, source):
    examples = readme_examples() if source == "README" else message_examples(source)
    assert len(examples) >= (30 if source == "README" else 15), examples
    catalogs = load_catalogs()
    for example in examples:
        texts = await world.run(example)
        assert texts and failed(texts, catalogs) is None, f"{example!r} → {texts}"


def test_the_examples_found_include_those_that_once_failed():
    readme = readme_examples()
    assert "/invite P01-KP1-T volunteer" in readme and "/target set HCM kh1 130464 30/06/2030" in readme
    assert "ho 25, app 18, M1 15, KH M1 12" in readme and "/link_account CODE" in readme
    vi = message_examples("vi")
    assert {"/pause P01-KP1-T den 31/12/2030", "/remove #12", "/remove Nguyễn Văn An", "/report homqua",
            "/language en", "ho 25, app 18"} <= set(vi)
    assert not any("MÃ" in e or "[" in e for e in vi)


def test_every_command_word_the_readme_and_help_name_is_one_the_bot_knows():
    words = {w for f in FEATURES for c in f.commands for w in (c.name, *c.aliases)} | {"help", "trogiup"}
    text = (ROOT / "README.md").read_text("utf-8")
    named = set(re.findall(r"`/([a-z_]+)", text[text.index("## Using it"):text.index("### Unit import file")]))
    for lang, catalog in load_catalogs().items():
        named |= {m for k, v in catalog.items() if k.startswith(("help.", "plan.help.")) for m in
                  re.findall(r"^/([a-z_]+)", v)}
    assert named - {"newbot"} <= words, sorted(named - words)
    assert {"baocao", "tonghop", "huy", "sua", "moi", "ngonngu", "chitieu", "giaidoan", "xoa"} <= named
