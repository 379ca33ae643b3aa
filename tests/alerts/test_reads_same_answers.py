"""Every reader gets the same alert list and alert, byte for byte, from the one-statement reads as from the
ORM reads they replaced, in every state an alert can be in.

The authorization matrix's world has one open alert; here alerts are open with updates, tips and
someone looking, closed with an outcome, cancelled, expired, an exercise, drawn as a circle, named
over two areas, started at the same moment as another, and past retention (texts emptied, circle
centre gone, numbers kept). They are read by their issuers, a wijkagent of an area above, the
area's wijkagent, a coordinator, a volunteer, a resident subscribed to one of the areas, someone the
alert was sent to who is no longer in its areas, an admin and an outsider, through every filter and
page, the first way and the fast way (tests/reference_reads.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from buurtwacht import db
from buurtwacht.alerts import service
from buurtwacht.models import Alert, AlertRecipient, MembershipRole
from tests import reference_reads
from tests.factories import Factory, Someone

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
START = dt.datetime(2026, 10, 24, 20, 0, tzinfo=AMSTERDAM)  # the night before the clocks go back
HEADERS = ("Content-Type", "X-Pagination", "ETag", "Link")


def _at(hours: float, microseconds: int = 0) -> dt.datetime:
    return START + dt.timedelta(hours=hours, microseconds=microseconds)


def _call(client: FlaskClient, make: Factory, who: Someone, method: str, path: str, body: Any = None) -> Any:
    answer = client.open(path, method=method, json=body, headers=make.headers(who))
    assert answer.status_code < 300, (method, path, answer.get_json())
    return answer.get_json()


def _alert(client: FlaskClient, make: Factory, who: Someone, headline: str, **target: Any) -> str:
    body = {
        "kind": "missing_person",
        "headline": headline,
        "description": "Jongen, 8 jaar, rode jas, blauwe fiets, richting het kanaal.",
        "instruction": "Zie je hem? Bel 112.",
        **target,
    }
    return str(_call(client, make, who, "POST", "/api/v1/alerts", body)["alert"]["id"])


@pytest.fixture
def story(client: FlaskClient, make: Factory, app: Flask) -> dict[str, Any]:
    sanne, otto, erik = make.person("Sanne Mulder"), make.person("Otto Agent"), make.person("Erik Emmerhout")
    make.officer(sanne, "emmen-zuid")  # above bargeres and rietlanden
    make.officer(otto, "bargeres")
    make.officer(erik, "emmerhout")
    anna, bram = make.person("Anna de Vries"), make.person("Bram Jansen", phone="+31 6 12345678")
    bargeres = make.group("bargeres", coordinator=anna)
    make.member(bargeres, bram, MembershipRole.VOLUNTEER)
    rita, olaf = make.person("Rita Bewoner"), make.person("Olaf Emmerhout")
    make.member(make.group("emmerhout"), olaf, MembershipRole.VOLUNTEER)
    admin, outsider = make.person("Ada Gemeente", admin=True), make.person("Otto Buiten")
    ids: dict[str, str] = {}
    bargeres_id, rietlanden = make.area_id("bargeres"), make.area_id("rietlanden")

    with time_machine.travel(_at(0), tick=False):
        _call(client, make, rita, "PUT", f"/api/v1/me/subscriptions/{rietlanden}")
        ids["open"] = _alert(
            client, make, sanne, "Vermist: jongen van 8", area_ids=[rietlanden, bargeres_id], expires_in_minutes=24 * 60
        )
    with time_machine.travel(_at(0.2, 120_000), tick=False):
        _call(client, make, sanne, "POST", f"/api/v1/alerts/{ids['open']}/updates", {"text": "Gezien bij het station"})
        tip = {"id": str(uuid.uuid4()), "text": "Jongen met rode jas bij de brug."}
        _call(client, make, bram, "POST", f"/api/v1/alerts/{ids['open']}/tips", tip)
        _call(client, make, bram, "PUT", f"/api/v1/alerts/{ids['open']}/looking")
    with time_machine.travel(_at(0.3), tick=False):
        _call(client, make, otto, "POST", f"/api/v1/alerts/{ids['open']}/updates", {"text": "Nu richting centrum"})

    with time_machine.travel(_at(1), tick=False):
        ids["closed"] = _alert(client, make, anna, "Gestolen bakfiets gezien", area_ids=[bargeres_id])
    with time_machine.travel(_at(1.1, 5), tick=False):
        _call(client, make, anna, "POST", f"/api/v1/alerts/{ids['closed']}/updates", {"text": "Blauwe bakfiets"})
        _call(client, make, anna, "POST", f"/api/v1/alerts/{ids['closed']}/close",
              {"outcome": "found", "message": "Terecht, dank jullie wel!"})  # fmt: skip

    circle = {"lat": 52.7700, "lon": 6.8780, "radius_m": 800}
    with time_machine.travel(_at(2), tick=False):
        ids["cancelled"] = _alert(client, make, sanne, "Verdachte bestelbus", circle=circle)
        _call(client, make, sanne, "POST", f"/api/v1/alerts/{ids['cancelled']}/cancel", {"reason": "Per ongeluk"})
    with time_machine.travel(_at(3), tick=False):
        ids["expired"] = _alert(
            client, make, otto, "Inbraak aan de Statenweg", area_ids=[bargeres_id], expires_in_minutes=5
        )
    with time_machine.travel(_at(3.5), tick=False), app.app_context():
        assert service.expire_due(db.utcnow()) == 1
    with time_machine.travel(_at(4), tick=False):
        ids["retained"] = _alert(client, make, sanne, "Oude melding met cirkel", circle={**circle, "radius_m": 1200})
        _call(client, make, sanne, "POST", f"/api/v1/alerts/{ids['retained']}/close",
              {"outcome": "no_result", "message": "Niets gevonden"})  # fmt: skip
    with app.app_context():  # as retention leaves it: texts and the circle's centre gone, the numbers kept
        db.session().execute(
            update(Alert)
            .where(Alert.id == uuid.UUID(ids["retained"]))
            .values(headline="", description="", instruction="", closing_message="", centre_lat=None,
                    centre_lon=None, kept_responders=2, kept_tips=4, kept_audience=9)
        )  # fmt: skip
        db.session().commit()
    # Two alerts at the same moment (the list breaks the tie by id); one is an exercise in emmerhout, sent
    # to the volunteer, who is not in emmerhout.
    with time_machine.travel(_at(5), tick=False):
        ids["exercise"] = _alert(client, make, otto, "Oefening: vermiste wandelaar", kind="exercise",
                                 area_ids=[bargeres_id], urgency="expected", severity="minor")  # fmt: skip
        ids["elsewhere"] = _alert(client, make, erik, "Auto met open raam", area_ids=[make.area_id("emmerhout")])
    with app.app_context():
        db.session().add(AlertRecipient(alert_id=uuid.UUID(ids["elsewhere"]), person_id=bram.id))
        db.session().commit()
    readers = {"sanne": sanne, "otto": otto, "erik": erik, "anna": anna, "bram": bram, "rita": rita,
               "olaf": olaf, "admin": admin, "outsider": outsider}  # fmt: skip
    return {"readers": readers, "alerts": ids}


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


LISTS = [
    "/api/v1/alerts",
    "/api/v1/alerts?status=open",
    "/api/v1/alerts?status=closed",
    "/api/v1/alerts?status=cancelled",
    "/api/v1/alerts?status=expired",
    "/api/v1/alerts?page_size=2",
    "/api/v1/alerts?page_size=2&page=2",
    "/api/v1/alerts?page_size=2&page=3",
    "/api/v1/alerts?page_size=2&page=40",
    "/api/v1/alerts?page_size=1&page=1&status=open",
    "/api/v1/alerts?page_size=100",
    "/api/v1/alerts?page_size=100&page=21474838",  # past what OFFSET can say: only counted
]


def test_every_reader_sees_the_same_alerts_in_every_state(
    app: Flask, client: FlaskClient, make: Factory, story: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = LISTS + [f"/api/v1/alerts/{i}" for i in story["alerts"].values()] + [f"/api/v1/alerts/{uuid.uuid4()}"]
    seen: dict[str, int] = {}
    with time_machine.travel(_at(6), tick=False):
        for name, reader in story["readers"].items():
            for path in paths:
                _forget_kept_answers(app)
                with _as_first_written(monkeypatch):
                    before = client.get(path, headers=make.headers(reader))
                _forget_kept_answers(app)
                now = client.get(path, headers=make.headers(reader))
                where = f"GET {path} as {name}"
                assert now.status_code == before.status_code, where
                assert now.get_json() == before.get_json(), where
                assert now.get_data() == before.get_data(), where
                for header in HEADERS:
                    assert now.headers.get(header) == before.headers.get(header), f"{where}: {header}"
                if "page=21474838" in path:
                    assert (now.status_code, now.get_json()) == (200, []), where
                if path == "/api/v1/alerts?page_size=100":
                    seen[name] = len(now.get_json())
    # The story reaches each reader as it should, so the comparison above compared something.
    assert seen == {"sanne": 6, "otto": 6, "erik": 1, "anna": 6, "bram": 7, "rita": 1, "olaf": 1, "admin": 0,
                    "outsider": 0}  # fmt: skip


def test_what_the_issuer_and_a_volunteer_see_of_an_open_alert(
    client: FlaskClient, make: Factory, story: dict[str, Any]
) -> None:
    readers, alert_id = story["readers"], story["alerts"]["open"]
    steered = client.get(f"/api/v1/alerts/{alert_id}", headers=make.headers(readers["sanne"])).get_json()
    assert [a["name"] for a in steered["areas"]] == ["Bargeres", "Rietlanden"]
    assert [u["text"] for u in steered["updates"]] == ["Gezien bij het station", "Nu richting centrum"]
    assert steered["updates"][0]["at"] == "2026-10-24T20:12:00.120000+02:00"
    assert (steered["can_steer"], steered["responders"], steered["tips"]) == (True, 1, 1)
    looking = client.get(f"/api/v1/alerts/{alert_id}", headers=make.headers(readers["bram"])).get_json()
    assert (looking["i_am_looking"], looking["can_steer"]) == (True, False)
    assert "tips" not in looking and "responders" not in looking
    retained = client.get(f"/api/v1/alerts/{story['alerts']['retained']}", headers=make.headers(readers["sanne"]))
    body = retained.get_json()
    assert body["circle"] == {"lat": None, "lon": None, "radius_m": 1200}
    assert (body["alert"]["headline"], body["responders"], body["tips"]) == ("", 2, 4)
