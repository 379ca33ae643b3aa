"""The migrations build exactly the models' schema, on SQLite and PostgreSQL, and run down and up again."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

import buurtwacht.models  # noqa: F401 - registers every table
from buurtwacht import db, migrate
from tests.conftest import PG_ENV, _create_postgres_database, _drop_postgres_database


@pytest.fixture
def scratch_url(tmp_path, worker_id_safe: str) -> Iterator[str]:
    """A database of its own, so going down to base cannot disturb the other tests."""
    server = os.environ.get(PG_ENV)
    if server:
        url, name = _create_postgres_database(server, f"{worker_id_safe}_mig")
        yield url
        _drop_postgres_database(server, name)
    else:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"


def _differences(url: str) -> list[object]:
    engine = db.make_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        diff = compare_metadata(context, db.Base.metadata)
    engine.dispose()
    return diff


def _tables(url: str) -> set[str]:
    engine = db.make_engine(url)
    names = set(inspect(engine).get_table_names())
    engine.dispose()
    return names


def _area_count(url: str) -> int:
    engine = db.make_engine(url)
    with engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM areas")).scalar_one()
    engine.dispose()
    return int(count)


def test_upgrade_head_leaves_nothing_to_autogenerate(scratch_url):
    migrate.upgrade(scratch_url)
    assert _differences(scratch_url) == []


def test_downgrade_to_base_then_upgrade_again(scratch_url):
    migrate.upgrade(scratch_url)
    reference_areas = _area_count(scratch_url)
    assert reference_areas > 30

    migrate.downgrade(scratch_url, "base")
    assert _tables(scratch_url) <= {"alembic_version"}

    migrate.upgrade(scratch_url)
    assert _area_count(scratch_url) == reference_areas
    assert _differences(scratch_url) == []


def _notes_options(url: str) -> list[str]:
    engine = db.make_engine(url)
    with engine.connect() as conn:
        found = conn.execute(text("SELECT reloptions FROM pg_class WHERE relname = 'notes'")).scalar_one()
    engine.dispose()
    return list(found or [])


@pytest.mark.skipif(not os.environ.get(PG_ENV), reason="PostgreSQL's autovacuum settings; SQLite has none")
def test_notes_are_vacuumed_after_one_percent_of_new_rows(scratch_url):
    """A page's count of a group's notes reads only the index for rows a vacuum has marked visible (0019)."""
    migrate.upgrade(scratch_url)
    assert _notes_options(scratch_url) == ["autovacuum_vacuum_insert_scale_factor=0.01"]
    migrate.downgrade(scratch_url, "0018")
    assert _notes_options(scratch_url) == []
