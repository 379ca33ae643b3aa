"""Links the service hands out (the calendar feed, the Atom feed and its CAP links) point at the
configured public address, whatever Host header a request carries."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from buurtwacht import create_app
from buurtwacht.config import ConfigError

PUBLIC = "https://buurtwacht.emmen.example"
ATOM = {"atom": "http://www.w3.org/2005/Atom"}


@pytest.fixture
def public_client(app, make_settings):
    """The same database and keys, served by an app that knows its public address."""
    served = create_app(make_settings(PUBLIC_BASE_URL=PUBLIC + "/"))
    yield served.test_client()
    with served.app_context():
        served.extensions["buurtwacht.identity"].close()


def test_a_forged_host_header_never_reaches_a_calendar_url(public_client, make):
    bram = make.person("Bram Jansen")
    response = public_client.post(
        "/api/v1/me/calendar", headers={**make.headers(bram), "Host": "evil.example"}
    )
    assert response.status_code == 201, response.get_json()
    url = response.get_json()["url"]
    assert url.startswith(f"{PUBLIC}/calendar/") and url.endswith(".ics")
    assert "evil" not in url


def test_the_atom_feed_links_to_the_public_address(public_client, make):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    started = public_client.post(
        "/api/v1/alerts",
        json={"kind": "missing_person", "headline": "Vermist: jongen van 8 jaar", "description": "Rode jas.", "instruction": "Bel 112.",
              "area_ids": [make.area_id("bargeres")]},
        headers=make.headers(sanne),
    )  # fmt: skip
    assert started.status_code == 201, started.get_json()
    response = public_client.get(
        f"/api/v1/areas/{make.area_id('bargeres')}/alerts.atom",
        headers={**make.headers(sanne), "Host": "evil.example", "X-Forwarded-Host": "evil.example"},
    )
    assert response.status_code == 200
    links = [link.get("href") for link in ET.fromstring(response.data).iter(f"{{{ATOM['atom']}}}link")]  # noqa: S314
    assert links and all(href.startswith(PUBLIC + "/api/v1/") for href in links), links


def test_production_needs_a_public_address_and_a_plain_one(make_settings):
    with pytest.raises(ConfigError, match="PUBLIC_BASE_URL"):
        make_settings(PUBLIC_BASE_URL="https://buurtwacht.example/api")
    with pytest.raises(ConfigError, match="PUBLIC_BASE_URL"):
        make_settings(PUBLIC_BASE_URL="javascript:alert(1)")
