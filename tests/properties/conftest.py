"""The state machines run on the fuzz run's app: rate limits too high to reach, the database emptied
(and the reference areas restored) after each test."""

from __future__ import annotations

from tests.fuzz.conftest import app, reference_areas, unlimited_app  # noqa: F401
