"""A ward leader's files on Zalo, which takes no documents: the workbook as a link and the charts as photos by URL,
both served by the bot's own web server (followed here through real HTTP), each link unguessable, for its one file,
expiring; an expired, forged or altered link is refused. Without [web] public_url, one sentence says so."""
from __future__ import annotations

import re

import aiohttp
import pytest

from domain.exports import XLSX_MIME
from tests.support.files import png_size, summary_sheet
from tests.support.seed import invite_code, seed_units
from tests.support.zalo_bot import running_bot


@pytest.fixture
async def bot(store, clock, files):
    await seed_units(store)

    async def with_files(app) -> None:
        await files(app)
        app.web.serve_files(app.files.shelf)  # as the runner does when [web] public_url is set
    async with running_bot(store, clock, before_start=with_files) as running:
        for who, unit in (("zlead", "P01"), ("zlead2", "P02")):
            said = await running.chat.say("admin", f"/invite {unit} leader")
            assert "Chào mừng" in await running.user.say(who, f"/start {invite_code(said.text)}")
        await running.chat.say("admin", "/invite P01-KP1-T volunteer")
        yield running


async def get(url: str) -> tuple[int, bytes, dict]:
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as resp:
            return resp.status, await resp.read(), dict(resp.headers)


async def test_the_workbook_comes_as_a_link_and_the_charts_as_photos(bot, clock):
    text = await bot.user.say("zlead", "/export tháng 11")
    assert text.startswith("📊 Báo cáo Phường Bến Nghé, tháng 11/2026")
    url = re.search(r"📎 baocao_P01_2026-11\.xlsx: (\S+)\n\(Liên kết dùng được đến 10:00 ngày 21/11/2026\.\)",
                    text).group(1)
    assert url.startswith(bot.app.settings.web.public_url + "/files/")
    status, body, headers = await get(url)
    assert status == 200 and headers["Content-Type"] == XLSX_MIME
    assert headers["Cache-Control"] == "private, no-store"
    assert next(r for r in summary_sheet(body) if r[2] == "Tổng cộng")[3] == 0  # nothing reported: zeros, a file

    before = len(bot.api.photos)
    assert (await bot.user.say("zlead", "/bieudo tháng 11")).startswith("📈 Biểu đồ Phường Bến Nghé")
    photos = bot.api.photos[before:]
    assert [chat for chat, _, _ in photos] == ["zlead"] * 3
    sizes = []
    for _, photo_url, _ in photos:
        status, body, headers = await get(photo_url)
        assert status == 200 and headers["Content-Type"] == "image/png"
        sizes.append(png_size(body))
    assert sizes == [(1200, 800), (1200, 800), (1200, 1200)]


async def test_expired_forged_and_altered_links_are_refused(bot, clock):
    mine = re.search(r"📎 \S+: (\S+)", await bot.user.say("zlead", "/export")).group(1)
    theirs = re.search(r"📎 \S+: (\S+)", await bot.user.say("zlead2", "/export")).group(1)
    assert (await get(mine))[0] == 200 and (await get(theirs))[0] == 200
    base, token, name = mine.rsplit("/", 2)
    _, their_token, their_name = theirs.rsplit("/", 2)
    assert their_token != token and len(token) == 32  # 192 random bits each
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    for url in (f"{base}/{forged}/{name}",  # a guessed token
                f"{base}/{token}/{their_name}",  # another unit's file name under this link's token
                f"{base}/{their_token}/{name}",  # this file's name under another unit's token
                f"{base}/{token}/meta.json", f"{base}/{token}/..%2F{their_token}%2F{their_name}",
                f"{base}/../{token}/{name}"):
        status, body, _ = await get(url)
        assert status == 404 and b"PK" not in body, url
    clock.advance(hours=24)  # [files] link_hours: the link's day is over
    status, body, _ = await get(mine)
    assert status == 410 and b"PK" not in body
    assert bot.app.files.sweep() == 2  # both deleted from disk
    assert (await get(mine))[0] == 404


async def test_without_a_public_url_zalo_users_are_told_in_one_sentence(store, clock, files):
    await seed_units(store)

    async def no_links(app) -> None:
        await files(app, public_url="")
    async with running_bot(store, clock, before_start=no_links) as bot:
        said = await bot.chat.say("admin", "/invite P01 leader")
        await bot.user.say("zlead", f"/start {invite_code(said.text)}")
        text = await bot.user.say("zlead", "/export")
        assert text.split("\n---\n")[-1] == ("Zalo không nhận tệp gửi thẳng, nên bot gửi tệp qua liên kết; để có "
                                             "liên kết, quản trị viên cần đặt [web] public_url trong cấu hình.")
        assert bot.app.files.built == 0 and bot.api.photos == []
