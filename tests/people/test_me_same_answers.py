"""GET /me answers the same bytes from one statement as from the ORM read it replaced, for every kind of person.

A coordinator of one group who asked to join two more (one pending, one turned down), a volunteer who
left, a wijkagent of two areas, a person without quiet hours or reminders and with a phone and English,
an admin, a newcomer on their first sign-in, someone signed in with an address Firebase has not
vouched for: each reads /me the first way and the fast way (tests/reference_reads.py).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from buurtwacht.models import MembershipRole, MembershipStatus
from tests import reference_reads
from tests.factories import Factory, Someone


@contextlib.contextmanager
def _as_first_written(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with monkeypatch.context() as patched:
        for owner, name, old in reference_reads.patches():
            patched.setattr(owner, name, old)
        yield


def _forget_kept_answers(app: Flask) -> None:
    cache = app.extensions.get("buurtwacht.readcache")
    if cache is not None:
        cache.drop_everything()
    reference_reads.forget_signed_in(app)


def test_every_kind_of_person_reads_the_same_me(
    app: Flask, client: FlaskClient, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    anna = make.person("Anna de Vries")
    make.group("bargeres", name="Buurtpreventie Bargeres", coordinator=anna)
    make.member(make.group("emmerhout", name="Emmerhout Waakt"), anna, status=MembershipStatus.PENDING)
    make.member(make.group("angelslo", name="angelslo samen"), anna, status=MembershipStatus.REJECTED)
    bram = make.person("Bram Jansen")
    make.member(make.group("rietlanden", name="Rietlanden"), bram, MembershipRole.VOLUNTEER, MembershipStatus.LEFT)
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    make.officer(sanne, "bargeres")
    carla = make.person("Carla Smit", phone="+31 6 12345678", locale="en")
    settings = {"quiet_from": None, "quiet_until": None, "reminder_hours": []}
    assert client.patch("/api/v1/me", json=settings, headers=make.headers(carla)).status_code == 200
    dirk = make.person("Dirk Vroeg")
    assert client.patch("/api/v1/me", json={"quiet_from": "21:30", "reminder_hours": [2, 48, 24]},
                        headers=make.headers(dirk)).status_code == 200  # fmt: skip
    admin = make.person("Ada Gemeente", admin=True)
    newcomer = Someone(uuid.uuid4(), f"uid-{uuid.uuid4().hex}", "Nieuw@Example.org", "Nina Nieuw")
    unverified = Someone(uuid.uuid4(), f"uid-{uuid.uuid4().hex}", "niet@example.org", "Niels Onbevestigd")

    answers = {}
    for who in (anna, bram, sanne, carla, dirk, admin, newcomer, unverified):
        headers = {"Authorization": f"Bearer {make.token(who, email_verified=who is not unverified)}"}
        for _ in range(2):  # the newcomer is made on the first sign-in, then read
            _forget_kept_answers(app)
            with _as_first_written(monkeypatch):
                before = client.get("/api/v1/me", headers=headers)
            _forget_kept_answers(app)
            now = client.get("/api/v1/me", headers=headers)
            assert now.status_code == before.status_code == 200, who.name
            assert now.get_json() == before.get_json(), who.name
            assert now.get_data() == before.get_data(), who.name
            assert now.headers.get("ETag") == before.headers.get("ETag"), who.name
        answers[who.name] = now.get_json()

    # What each sees, so the comparison above compared something.
    # (In the database's order of names: its collation decides where "angelslo" goes, the same both ways.)
    assert {(m["group_name"], m["role"], m["status"]) for m in answers["Anna de Vries"]["memberships"]} == {
        ("Buurtpreventie Bargeres", "coordinator", "active"),
        ("Emmerhout Waakt", "volunteer", "pending"),
        ("angelslo samen", "volunteer", "rejected"),
    }
    assert [m["status"] for m in answers["Bram Jansen"]["memberships"]] == ["left"]
    assert [a["code"] for a in answers["Sanne Mulder"]["officer_areas"]] == ["bargeres", "emmen-zuid"]
    carla_seen = answers["Carla Smit"]["person"]
    assert (carla_seen["quiet_from"], carla_seen["reminder_hours"], carla_seen["locale"]) == (None, [], "en")
    assert answers["Dirk Vroeg"]["person"]["quiet_from"] == "21:30"
    assert answers["Dirk Vroeg"]["person"]["reminder_hours"] == [48, 24, 2]
    assert answers["Ada Gemeente"]["person"]["is_admin"] is True
    assert answers["Nina Nieuw"]["person"]["email"] == "nieuw@example.org"
    assert answers["Niels Onbevestigd"]["person"]["email_verified"] is False
