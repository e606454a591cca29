"""The migration history is one line from 0007 on, with one head that `upgrade` reaches; a new revision is made
from the project's template onto that head; two heads make `upgrade` fail instead of guessing an order."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import inspect, text

import storage.migrate
from storage.migrate import MIGRATIONS, alembic_config, upgrade
from storage.store import SqlStore

LAST_MERGE = "0007"  # where the early branches (0002 to 0006) came together: one line after it


def _script(location: Path = MIGRATIONS) -> ScriptDirectory:
    cfg = alembic_config()
    cfg.set_main_option("script_location", str(location))
    return ScriptDirectory.from_config(cfg)


def _copy(tmp_path: Path) -> Path:
    """The project's migrations, copied where a test may add revisions."""
    copy = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def _revision(location: Path, message: str, head: str, **kw):
    cfg = alembic_config()
    cfg.set_main_option("script_location", str(location))
    return command.revision(cfg, message=message, head=head, **kw)


def test_the_history_has_exactly_one_head():
    assert len(_script().get_heads()) == 1


def test_every_revision_after_the_last_merge_follows_exactly_one_other():
    script = _script()
    before = {r.revision for r in script.iterate_revisions(LAST_MERGE, "base")}
    after = [r for r in script.walk_revisions() if r.revision not in before]
    assert all(isinstance(r.down_revision, str) for r in after), "a merge revision after 0007: keep one line"
    parents = [r.down_revision for r in after]
    assert len(parents) == len(set(parents)), "two revisions follow the same one: a branch"
    assert set(parents) <= {LAST_MERGE} | {r.revision for r in after}


def test_each_file_is_named_after_its_revision():
    """`ls versions/` shows the history: no two files numbered alike with different ids behind them."""
    for r in _script().walk_revisions():
        name = Path(r.path).name
        assert name.startswith(f"{r.revision}_") and name.endswith(".py"), (name, r.revision)


def test_a_new_revision_comes_from_the_projects_template_onto_the_head(tmp_path):
    head = _script().get_current_head()
    location = _copy(tmp_path)
    made = _revision(location, "next step", "head")
    assert made.down_revision == head
    assert _script(location).get_heads() == [made.revision]
    written = Path(made.path).read_text()
    assert "import storage.schema" in written  # script.py.mako rendered it, not alembic's generic template
    assert f"down_revision = {head!r}" in written


async def test_upgrade_reaches_the_head_and_refuses_two(tmp_path, monkeypatch):
    store = SqlStore.from_url(f"sqlite:///{tmp_path / 'm.db'}")
    try:
        await upgrade(store.engine)
        async with store.engine.connect() as conn:
            assert (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all() == \
                [_script().get_current_head()]
            assert "units" in await conn.run_sync(lambda c: inspect(c).get_table_names())
    finally:
        await store.close()

    location = _copy(tmp_path)
    head = _script().get_current_head()
    _revision(location, "one way", head)
    _revision(location, "another way", head, splice=True)
    assert len(_script(location).get_heads()) == 2
    monkeypatch.setattr(storage.migrate, "MIGRATIONS", location)
    store = SqlStore.from_url(f"sqlite:///{tmp_path / 'two.db'}")
    try:
        with pytest.raises(CommandError, match="[Mm]ultiple head"):
            await upgrade(store.engine)
    finally:
        await store.close()


async def test_the_migrations_make_exactly_what_schema_py_describes(store):
    """Tables, columns, types, indexes and constraints: the migrated database and the one metadata agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from storage.schema import metadata

    def differences(conn) -> list:
        found = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
        # PostgreSQL's LIKE-prefix index on units.path, made by 0005 there alone (text_pattern_ops has no SQLite
        # form), is the one thing the metadata leaves out on purpose.
        return [d for d in found if not (isinstance(d, tuple) and d[0] == "remove_index"
                                         and d[1].name == "ix_units_path_pattern" and not store.sqlite)]

    async with store.engine.connect() as conn:
        assert await conn.run_sync(differences) == []
