"""The fast read paths answer byte for byte what the ORM-and-schema paths answered, for every role.

For every GET of the authorization matrix, as each of its roles, the same request is made twice on
the matrix's world: once through the reads as they were written first (kept in
tests/reference_reads.py, the ORM objects dumped by the schemas, every person loaded from the
database), once through the app as it is. Status, body and the pagination and ETag headers must be
the same bytes. Kept answers are dropped before each request, so neither is served from memory.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from tests import reference_reads
from tests.factories import Factory
from tests.test_authorization_matrix import MATRIX, ROLES, World, _request
from tests.test_authorization_matrix import world as world  # the matrix's world, a fixture

HEADERS = ("Content-Type", "X-Pagination", "ETag", "Link")
GETS = [r for r in MATRIX if r.method == "GET"]


def _forget_kept_answers(app: Flask) -> None:
    cache = app.extensions.get("buurtwacht.readcache")
    if cache is not None:
        cache.drop_everything()
    reference_reads.forget_signed_in(app)


@contextlib.contextmanager
def _as_first_written(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with monkeypatch.context() as patched:
        for owner, name, old in reference_reads.patches():
            patched.setattr(owner, name, old)
        yield


@pytest.mark.parametrize("role", ROLES)
def test_every_read_answers_the_same_bytes_as_before(
    app: Flask, client: FlaskClient, make: Factory, request: pytest.FixtureRequest, role: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world: World = request.getfixturevalue("world")
    compared = 0
    for r in GETS:
        path = r.path(world, role)
        # The clock stands still for both (an export says when it was made).
        with time_machine.travel(r.at(world) if r.at else dt.datetime.now(dt.UTC), tick=False):
            _forget_kept_answers(app)
            with _as_first_written(monkeypatch):
                before = _request(client, make, world, "GET", path, role)
            _forget_kept_answers(app)
            now = _request(client, make, world, "GET", path, role)
        where = f"GET {path} as {role}"
        assert now.status_code == before.status_code, where
        if now.is_json and before.is_json:
            assert now.get_json() == before.get_json(), where  # the readable difference first
        assert now.get_data() == before.get_data(), where
        for header in HEADERS:
            assert now.headers.get(header) == before.headers.get(header), f"{where}: {header}"
        compared += now.status_code == 200
    assert compared >= (3 if role == "anonymous" else 20)  # the probes and the feeds answer anyone


def test_the_reference_replaces_something() -> None:
    assert reference_reads.patches()
