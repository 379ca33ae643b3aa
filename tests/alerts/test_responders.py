"""Who is looking: the alert's issuer and the area's wijkagent see the people who said "I'm looking",
by first name and initial, with their group in the alert's area and since when (Emmen's clock).

Anna coordinates Buurtpreventie Bargeres and starts an alert for Bargeres; Sanne is the wijkagent of
Emmen Zuid, above it. Bram walks with Anna's group (and with one in Emmerhout), Carla too, and Rita lives
in Bargeres and receives its alerts without a group.
"""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest
import time_machine

from buurtwacht.models import MembershipRole
from tests.push.helpers import local, start_alert

START = local(2026, 10, 20, 21, 0)  # a Tuesday evening in summer time (+02:00), 19:00 UTC


@pytest.fixture
def bargeres(client, make):
    sanne, anna = make.person("Sanne Mulder"), make.person("Anna de Vries", phone="+31 6 11111111")
    make.officer(sanne, "emmen-zuid")
    group = make.group("bargeres", "Buurtpreventie Bargeres", coordinator=anna)
    bram = make.person("Bram Jansen", phone="+31 6 12345678")
    carla = make.person("Carla van der Smit")
    rita = make.person("Rita Bewoner")
    make.member(group, bram, MembershipRole.VOLUNTEER)
    make.member(group, carla, MembershipRole.VOLUNTEER)
    make.member(make.group("emmerhout", "Buurtpreventie Emmerhout"), bram, MembershipRole.VOLUNTEER)
    subscribed = client.put(f"/api/v1/me/subscriptions/{make.area_id('bargeres')}", headers=make.headers(rita))
    assert subscribed.status_code == 200, subscribed.get_json()
    with time_machine.travel(START, tick=False):
        alert_id = start_alert(client, make, anna)
    return SimpleNamespace(sanne=sanne, anna=anna, bram=bram, carla=carla, rita=rita, alert=alert_id)


def say(client, make, w, person, method, minutes):
    """`person` says "I'm looking" (PUT) or stops (DELETE), `minutes` after the alert started."""
    with time_machine.travel(START + dt.timedelta(minutes=minutes), tick=False):
        response = client.open(f"/api/v1/alerts/{w.alert}/looking", method=method, headers=make.headers(person))
    assert response.status_code == 200, response.get_json()


def responders(client, make, w, reader, query=""):
    return client.get(f"/api/v1/alerts/{w.alert}/responders{query}", headers=make.headers(reader))


def test_the_issuer_and_the_wijkagent_see_who_is_looking_and_since_when(client, make, bargeres):
    w = bargeres
    say(client, make, w, w.bram, "PUT", 4)
    say(client, make, w, w.carla, "PUT", 6)
    say(client, make, w, w.rita, "PUT", 9)
    say(client, make, w, w.bram, "PUT", 15)  # Bram's app asks again: he has been looking since 21:04

    for reader in (w.anna, w.sanne):
        response = responders(client, make, w, reader)
        assert response.status_code == 200, response.get_json()
        assert response.get_json() == [
            {"name": "Bram J.", "groups": ["Buurtpreventie Bargeres"], "since": "2026-10-20T21:04:00+02:00"},
            {"name": "Carla S.", "groups": ["Buurtpreventie Bargeres"], "since": "2026-10-20T21:06:00+02:00"},
            {"name": "Rita B.", "groups": [], "since": "2026-10-20T21:09:00+02:00"},
        ]
        text = response.get_data(as_text=True)
        assert "+31 6" not in text and "@" not in text  # no phone numbers, no addresses
        assert "Jansen" not in text and "Emmerhout" not in text  # no last name, no group outside the area
        stats = client.get(f"/api/v1/alerts/{w.alert}/stats", headers=make.headers(reader)).get_json()
        assert stats["responders"] == 3


def test_someone_who_stops_looking_leaves_the_list(client, make, bargeres):
    w = bargeres
    say(client, make, w, w.bram, "PUT", 4)
    say(client, make, w, w.carla, "PUT", 6)
    say(client, make, w, w.carla, "DELETE", 20)  # Carla goes home

    names = [r["name"] for r in responders(client, make, w, w.sanne).get_json()]
    assert names == ["Bram J."]
    assert client.get(f"/api/v1/alerts/{w.alert}", headers=make.headers(w.carla)).get_json()["i_am_looking"] is False


def test_the_list_comes_in_pages(client, make, bargeres):
    w = bargeres
    for minutes, person in enumerate((w.bram, w.carla, w.rita), start=1):
        say(client, make, w, person, "PUT", minutes)

    first = responders(client, make, w, w.sanne, "?page_size=2")
    second = responders(client, make, w, w.sanne, "?page_size=2&page=2")
    assert [r["name"] for r in first.get_json()] == ["Bram J.", "Carla S."]
    assert [r["name"] for r in second.get_json()] == ["Rita B."]
    assert json.loads(first.headers["X-Pagination"])["total"] == 3
    assert responders(client, make, w, w.sanne, "?page_size=101").status_code == 422


def test_nobody_looking_is_an_empty_list(client, make, bargeres):
    assert responders(client, make, bargeres, bargeres.anna).get_json() == []


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("a volunteer who is looking", 403),  # reached, but the alert is not hers to steer
        ("a coordinator of another group", 404),
        ("an admin", 404),
        ("the wijkagent of another area", 404),
        ("nobody signed in", 401),
    ],
)
def test_nobody_else_reads_who_is_looking(client, make, bargeres, who, status):
    w = bargeres
    say(client, make, w, w.bram, "PUT", 4)
    if who == "a volunteer who is looking":
        reader = w.bram
    elif who == "a coordinator of another group":
        reader = make.person("Olaf Emmerhout")
        make.group("emmerhout", "Buurtwacht Emmerhout-Noord", coordinator=reader)
    elif who == "an admin":
        reader = make.person("Ada Gemeente", admin=True)
    elif who == "the wijkagent of another area":
        reader = make.person("Otto Agent")
        make.officer(reader, "emmen-noord")
    else:
        reader = None

    response = responders(client, make, w, reader)

    assert response.status_code == status
    error = response.get_json()
    assert set(error) == {"code", "status", "message", "errors"}
    assert "Bram" not in response.get_data(as_text=True)


def test_someone_who_erases_their_account_while_looking_leaves_the_list(client, make, bargeres):
    w = bargeres
    say(client, make, w, w.bram, "PUT", 4)
    say(client, make, w, w.carla, "PUT", 6)
    assert client.delete("/api/v1/me", headers=make.headers(w.carla)).status_code == 204
    for reader in (w.anna, w.sanne):
        assert [p["name"] for p in responders(client, make, w, reader).get_json()] == ["Bram J."]
        stats = client.get(f"/api/v1/alerts/{w.alert}/stats", headers=make.headers(reader)).get_json()
        assert stats["responders"] == 1


def test_an_alert_for_a_gebied_names_the_groups_of_its_wijken(client, make, bargeres):
    """Sanne starts an alert for all of Emmen Zuid: Bram's group in Bargeres, below it, is named; his group in
    Emmerhout (Emmen Oost) is not."""
    w = bargeres
    with time_machine.travel(START, tick=False):
        w.alert = start_alert(
            client,
            make,
            w.sanne,
            areas=("emmen-zuid",),
            headline="Gezocht: gestolen bakfiets",
            description="Rode bakfiets.",
        )
    say(client, make, w, w.bram, "PUT", 3)
    assert responders(client, make, w, w.sanne).get_json() == [
        {"name": "Bram J.", "groups": ["Buurtpreventie Bargeres"], "since": "2026-10-20T21:03:00+02:00"}
    ]
