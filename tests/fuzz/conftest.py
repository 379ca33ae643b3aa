"""The fuzz run's app: the suite's database and settings, with rate limits too high to reach."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from buurtwacht import create_app, db
from buurtwacht.models import Area
from tests.conftest import _empty_tables

# The authorization matrix's world (eight roles, two groups and their objects), built on this app.
from tests.test_authorization_matrix import world  # noqa: F401

# The fuzzer makes thousands of changes a minute as the same few people: with the real limits
# almost every answer would be a 429 and nothing past the limiter would be exercised.
UNLIMITED = {
    "RATE_LIMIT_WRITES": "100000/minute",
    "RATE_LIMIT_ALERTS": "100000/minute",
    "RATE_LIMIT_TIPS": "100000/minute",
    "ALERTS_PER_HOUR": 100000,
}


@pytest.fixture(scope="session")
def unlimited_app(make_settings, reference_area_max_id: int) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    app = create_app(make_settings(**UNLIMITED))
    yield app
    with app.app_context():
        app.extensions["buurtwacht.identity"].close()
        if "buurtwacht.fcm" in app.extensions:
            app.extensions["buurtwacht.fcm"].close()
        db.database().dispose()


@pytest.fixture(scope="session")
def reference_areas(unlimited_app: Flask, reference_area_max_id: int) -> list[dict[str, Any]]:
    """Emmen's areas as migrated: the suite keeps them between tests, and an admin may rename them."""
    with unlimited_app.app_context():
        rows = db.session().execute(select(Area.__table__).where(Area.id <= reference_area_max_id))
        return [dict(row._mapping) for row in rows]


@pytest.fixture
def app(unlimited_app: Flask, reference_area_max_id: int, reference_areas: list[dict[str, Any]]) -> Iterator[Flask]:
    """Overrides the suite's `app`: the unlimited app, on a database emptied after the test and with
    the reference areas as they were (the fuzzer's admin renames them and moves their centres)."""
    yield unlimited_app
    _empty_tables(unlimited_app, reference_area_max_id)
    with unlimited_app.app_context():
        session = db.session()
        for row in reference_areas:
            session.execute(update(Area.__table__).where(Area.id == row["id"]).values(**row))
        session.commit()
