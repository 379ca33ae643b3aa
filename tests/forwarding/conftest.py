"""The forwarding tests' world: Gemeente Emmen on a fake Signalen (or Coevorden-style Open311), a team in Bargeres."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import uuid
from typing import Any

import pytest
from PIL import Image

from buurtwacht import db
from buurtwacht.forwarding import dispatcher, jobs, targets
from buurtwacht.forwarding.targets import Target
from buurtwacht.models import MembershipRole
from tests.fakes.open311 import FakeOpen311
from tests.fakes.signalen import FakeSignalen

SIGNALEN_MAPPING = {
    "clean_whole_safe": "afval/zwerfafval",
    "clean_whole_safe/street_light": "wegen-verkeer-straatmeubilair/lantaarnpaal-straatverlichting-niet-werkend",
    "clean_whole_safe/container": "afval/container-is-vol",
}
OPEN311_MAPPING = {"clean_whole_safe": "LITTER", "clean_whole_safe/street_light": "LIGHT"}


def _short_timeouts(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Requests to the municipality give up after a second, so a slow answer is a timeout in a test."""
    settings = dataclasses.replace(app.config["BUURTWACHT"], FORWARD_TIMEOUT_SECONDS=1)
    monkeypatch.setitem(app.config, "BUURTWACHT", settings)


@pytest.fixture
def signalen(app, monkeypatch):
    fake = FakeSignalen().start()
    with app.app_context():
        targets.use({"emmen": Target("emmen", "Gemeente Emmen", "signalen", fake.url, dict(SIGNALEN_MAPPING))})
    _short_timeouts(app, monkeypatch)
    yield fake
    fake.stop()
    app.extensions.pop(targets.EXTENSION_KEY, None)


@pytest.fixture
def open311(app, monkeypatch):
    fake = FakeOpen311(api_key="emmen-key").start()
    with app.app_context():
        targets.use(
            {
                "emmen": Target(
                    "emmen", "Gemeente Emmen", "open311", fake.url, dict(OPEN311_MAPPING), api_key="emmen-key"
                )
            }
        )
    _short_timeouts(app, monkeypatch)
    yield fake
    fake.stop()
    app.extensions.pop(targets.EXTENSION_KEY, None)


@pytest.fixture
def team(make):
    """Anna coordinates a group in Bargeres (she reads the app in English); Bram walks in it, with his phone
    number on file."""
    anna, bram = make.person("Anna de Vries", locale="en"), make.person("Bram Jansen", phone="+31 6 1234 5678")
    group = make.group("bargeres", coordinator=anna)
    make.member(group, bram, MembershipRole.VOLUNTEER)
    return group, anna, bram


def record(client, make, author, group, **overrides: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    body = {
        "id": str(uuid.uuid4()),
        "category": "clean_whole_safe",
        "what": "Lantaarnpaal bij de speeltuin is al drie avonden uit.",
        "observed_at": (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20)).isoformat(),
        "lat": 52.7701,
        "lon": 6.8803,
        "street": "Kapelstraat bij de speeltuin",
        **overrides,
    }
    body = {k: v for k, v in body.items() if v is not None}
    response = client.post(f"/api/v1/groups/{group.id}/notes", json=body, headers=make.headers(author))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def forward(client, make, who, note_id, **body: Any):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/notes/{note_id}/forwards", json=body, headers=make.headers(who))


def forwards(client, make, who, note_id) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    response = client.get(f"/api/v1/notes/{note_id}/forwards", headers=make.headers(who))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def note(client, make, who, note_id) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = client.get(f"/api/v1/notes/{note_id}", headers=make.headers(who))
    assert response.status_code == 200
    return response.get_json()


def dispatch(app) -> dispatcher.Tally:  # type: ignore[no-untyped-def]
    with app.app_context():
        return dispatcher.dispatch_once()


def poll(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return jobs.poll_forwards()


def utcnow(app) -> dt.datetime:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.utcnow()


def photo_with_exif() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (52.0, 46.0, 12.0)}  # GPS latitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()
