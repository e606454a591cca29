"""Logs without personal data on the error paths: a statement that fails with a member's text among its
parameters, on SQLite and PostgreSQL, is logged by the code that failed, never by what it carried; the member
gets one sentence."""
from __future__ import annotations

import logging

from sqlalchemy import text

from storage.engine import create_engine
from tests.support.seed import join, seed_units

SECRET = "Nguyễn Thị Thuỷ nhà số 7 ngõ Bí Mật"


async def test_a_failing_statement_with_a_members_text_logs_neither_its_parameters_nor_its_message(
        chat, store, caplog):
    await seed_units(store)
    await join(chat, "an", "P01-KP1-T")

    async def fails(ctx, said):
        # audit_log.at is NOT NULL: the statement fails with the member's text in a parameter
        await ctx.tx.conn.execute(text("INSERT INTO audit_log (at, action, subject, old) VALUES (NULL, 'x', 'y', :v)"),
                                  {"v": said})
        return []
    chat.dispatcher.free_text = fails
    caplog.set_level(logging.DEBUG)
    said = await chat.say("an", SECRET)
    assert "Xin lỗi" in said.text  # one sentence, in Vietnamese
    lines = [caplog.handler.format(r) for r in caplog.records]
    assert any("handling failed" in line and "IntegrityError" in line for line in lines), lines
    assert not [line for line in lines if "Bí Mật" in line or "Thuỷ" in line]


def test_every_engine_hides_statement_parameters(tmp_path):
    assert create_engine(f"sqlite:///{tmp_path / 'x.db'}").sync_engine.hide_parameters
    assert create_engine("postgresql://u@127.0.0.1:5432/db").sync_engine.hide_parameters
