"""Each conversation's typed state is stored as JSON and read back as it was; shapes stored by the version before
still read; a state that cannot be read is dropped with its conversation, never a crash."""
from __future__ import annotations

import json
from datetime import date

import pytest

from domain.model import Conversation, Role
from handlers.corrections import Withdrawing
from handlers.people import ChangingRole, Removing
from handlers.phases import AddingPhase
from handlers.quota import SettingQuota, SettingTarget, SplittingQuota
from handlers.registry import FEATURES
from handlers.reporting import Asking, Confirming
from handlers.state import decode, encode
from tests.support.chat import at
from tests.support.seed import join, seed_units

DAY = date(2026, 11, 20)
EXAMPLES = {
    "report": [Asking(DAY, 2, {"households": 3}, {"installs": 1}, True),
               Confirming(DAY, {"households": 3}, "test:d1", False)],
    "undo": [Withdrawing(17)],
    "quota": [SettingQuota("P01", "l1_activations", 400, DAY, None),
              SplittingQuota("P01", "households", 9, None, DAY, True), SettingTarget("HCM", "l1_activations", 130464, DAY)],
    "phase": [AddingPhase("Giai đoạn 1", DAY, date(2026, 11, 30))],
    "people": [ChangingRole(12, Role.TEAM_LEADER, Role.VOLUNTEER), Removing(12, Role.LEADER)],
}
# What the version before typed state stored, for a conversation open across the upgrade.
STORED_BEFORE = [
    ("report", {"day": "2026-11-20", "index": 1, "values": {"households": 12}, "base": {}, "replace": False},
     Asking(DAY, 1, {"households": 12}, {}, False)),
    ("report", {"day": "2026-11-19", "values": {"households": 9}, "source": "telegram:77", "replace": True},
     Confirming(date(2026, 11, 19), {"households": 9}, "telegram:77", True)),
    ("undo", {"entry": 4}, Withdrawing(4)),
    ("quota", {"op": "set", "unit": "P01", "metric": "l1_activations", "daily": 5, "first": None, "last": None},
     SettingQuota("P01", "l1_activations", 5, None, None)),
    ("quota", {"op": "split", "unit": "P01", "metric": "l1_activations", "daily": 5, "first": "2026-11-01",
               "last": None, "all": True}, SplittingQuota("P01", "l1_activations", 5, date(2026, 11, 1), None, True)),
    ("quota", {"op": "target", "unit": "HCM", "metric": "l1_activations", "total": 10, "end": "2026-11-30"},
     SettingTarget("HCM", "l1_activations", 10, date(2026, 11, 30))),
    ("phase", {"name": "GĐ 1", "first": "2026-11-01", "last": "2026-11-30"},
     AddingPhase("GĐ 1", date(2026, 11, 1), date(2026, 11, 30))),
    ("people", {"op": "role", "member": 3, "role": "team_leader", "was": "volunteer"},
     ChangingRole(3, Role.TEAM_LEADER, Role.VOLUNTEER)),
    ("people", {"op": "remove", "member": 3, "was": "volunteer"}, Removing(3, Role.VOLUNTEER)),
]
UNREADABLE = [
    ("report", {"day": "2026-11-20", "values": {"households": 9}, "replace": False}),  # neither step's shape
    ("report", {"day": "20/11/2026", "values": {}, "source": "x", "replace": False}),  # not an ISO day
    ("report", {"day": "2026-02-30", "values": {}, "source": "x", "replace": False}),  # no such day
    ("report", {"day": "2026-11-20", "values": {"households": "9"}, "source": "x", "replace": False}),
    ("report", {"day": "2026-11-20", "values": {"households": True}, "source": "x", "replace": False}),
    ("report", {"day": "2026-11-20", "values": [9], "source": "x", "replace": False}),
    ("undo", {"entry": "4"}),
    ("undo", {}),
    ("undo", ["entry", 4]),
    ("quota", {"op": "move", "unit": "P01", "metric": "m", "daily": 5, "first": None, "last": None}),
    ("quota", {"unit": "P01", "metric": "m", "daily": 5, "first": None, "last": None}),  # no tag
    ("quota", {"op": "split", "unit": "P01", "metric": "m", "daily": 5, "first": None, "last": None}),  # no "all"
    ("quota", {"op": "split", "unit": "P01", "metric": "m", "daily": 5, "first": None, "last": None, "all": 1}),
    ("people", {"op": "role", "member": 3, "role": "boss", "was": "volunteer"}),
    ("phase", {"name": "GĐ", "first": "2026-11-01", "last": None}),
]


def test_every_conversation_declares_its_state_and_every_state_reads_back_as_it_was_stored():
    stateful = {f.conversation: f.state for f in FEATURES if f.conversation and f.state is not None}
    assert set(stateful) == set(EXAMPLES)
    stateless = {f.conversation for f in FEATURES if f.conversation and f.state is None}
    assert stateless == {"language"}  # the language choice keeps nothing but its name
    for name, states in EXAMPLES.items():
        for kept in states:
            stored = encode(kept)
            assert decode(stateful[name], stored) == kept, (name, stored)
            assert decode(stateful[name], json.loads(json.dumps(stored))) == kept  # as the table keeps it


@pytest.mark.parametrize("name, stored, expected", STORED_BEFORE)
def test_a_state_stored_before_typed_state_reads_as_its_kind(name, stored, expected):
    kinds = {f.conversation: f.state for f in FEATURES if f.conversation}
    assert decode(kinds[name], stored) == expected


@pytest.mark.parametrize("name, stored", UNREADABLE)
def test_a_shape_that_does_not_fit_reads_as_nothing(name, stored):
    kinds = {f.conversation: f.state for f in FEATURES if f.conversation}
    assert decode(kinds[name], stored) is None


@pytest.fixture
async def team(chat, store):
    await seed_units(store)
    await join(chat, "an", "P01-KP1-T")
    return chat


async def put(store, name: str, step: str, data, choices=()) -> None:
    conv = Conversation(name=name, step=step, data=data, choices=[list(c) for c in choices])
    await store.write(lambda tx: tx.conversations.save("test", "an", "an", conv, at("10:00")))


async def stored(store) -> Conversation:
    return await store.read(lambda tx: tx.conversations.get("test", "an", "an"))


async def test_a_report_awaiting_confirmation_across_the_upgrade_is_saved_as_before(team, store):
    await put(store, "report", "confirm", {"day": "2026-11-20", "values": {"households": 5}, "source": "test:old-1",
                                           "replace": False})
    said = await team.press("an", "report:confirm")
    assert "Đã lưu" in said.text and "Số hộ đã đến: 5" in said.text
    assert not (await stored(store)).active


@pytest.mark.parametrize("name, step, data", [
    ("report", "confirm", {"day": "yesterday", "values": {"households": 5}, "source": "x", "replace": False}),
    ("report", "ask", {"index": 0}),
    ("no-longer-a-conversation", "confirm", {"anything": 1}),
])
async def test_an_unreadable_state_is_dropped_with_its_conversation_and_the_message_is_answered(team, store, name,
                                                                                              step, data):
    await put(store, name, step, data, choices=[("report:confirm", ""), ("report:cancel", "")])
    said = await team.press("an", "report:confirm")
    assert said.texts == ["Không có báo cáo nào đang chờ xác nhận."], said.text
    assert await stored(store) == Conversation()  # dropped: no name, no state, no stale choices
    said = await team.say("an", "1")  # no longer choice 1 of the dropped conversation: read as a report
    assert "report:pick0" in said.buttons  # one bare number: which metric is asked
    said = await team.press("an", "report:pick0")
    assert "Số hộ đã đến: 1" in said.text and "report:confirm" in said.buttons
    assert "Đã lưu" in (await team.press("an", "report:confirm")).text
