"""The wijkagent reads what the groups of their gebied shared with the police, on one list and a map.

Sanne is wijkagent of Emmen Zuid: Bargeres and Rietlanden lie in it, Emmerhout does not. Bram (Bargeres)
and Fatima (Rietlanden) each shared a note with a place on the map; Bram kept one note to the group.
Every note Sanne reads this way is written to the audit log, as when she reads a group's list.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from types import SimpleNamespace

import pytest

from buurtwacht.models import MembershipRole


def record(client, make, author, group, category: str, what: str, minutes_ago: int, *, share: bool, **place):  # type: ignore[no-untyped-def]
    body = {
        "id": str(uuid.uuid4()),
        "category": category,
        "what": what,
        "observed_at": (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes_ago)).isoformat(),
        **place,
    }
    made = client.post(f"/api/v1/groups/{group.id}/notes", json=body, headers=make.headers(author))
    assert made.status_code == 201, made.get_json()
    if share:
        shared = client.post(f"/api/v1/notes/{body['id']}/share", headers=make.headers(author))
        assert shared.status_code == 200, shared.get_json()
    return body["id"]


@pytest.fixture
def shared_in_emmen_zuid(client, make) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    sanne, olaf, ada = make.person("Sanne Mulder"), make.person("Olaf Oost"), make.person("Ada Gemeente", admin=True)
    make.officer(sanne, "emmen-zuid")
    make.officer(olaf, "emmerhout")
    anna, bram, fatima, erik = (make.person(n) for n in ("Anna de Vries", "Bram Jansen", "Fatima Amrani", "Erik Hout"))
    bargeres = make.group("bargeres", "Buurtpreventie Bargeres", coordinator=anna)
    rietlanden = make.group("rietlanden", "Buurtpreventie Rietlanden")
    emmerhout = make.group("emmerhout", "Buurtpreventie Emmerhout")
    make.member(bargeres, bram, MembershipRole.VOLUNTEER)
    make.member(rietlanden, fatima, MembershipRole.VOLUNTEER)
    make.member(emmerhout, erik, MembershipRole.VOLUNTEER)
    garage = record(client, make, bram, bargeres, "burglary_suspicious", "Garagedeur stond 's nachts open.", 90,
                    share=True, lat=52.7690, lon=6.8780, street="Kapelstraat")  # fmt: skip
    record(client, make, bram, bargeres, "clean_whole_safe", "Volle container bij de school.", 80, share=False,
           street="Schoolstraat")  # fmt: skip
    lamp = record(client, make, fatima, rietlanden, "clean_whole_safe", "Lantaarnpaal kapot bij het fietspad.", 30,
                  share=True, lat=52.7741, lon=6.9012)  # fmt: skip
    record(client, make, erik, emmerhout, "drugs", "Handel bij het winkelcentrum.", 20, share=True, street="Houtweg")
    return SimpleNamespace(sanne=sanne, olaf=olaf, ada=ada, anna=anna, bram=bram, bargeres=bargeres,
                           rietlanden=rietlanden, garage=garage, lamp=lamp)  # fmt: skip


def shared(client, make, person, area: str, **query):  # type: ignore[no-untyped-def]
    return client.get(
        f"/api/v1/areas/{make.area_id(area)}/shared-notes", query_string=query, headers=make.headers(person)
    )


def test_the_wijkagent_reads_what_her_gebied_shared_newest_first_with_places(client, make, shared_in_emmen_zuid):
    w = shared_in_emmen_zuid

    response = shared(client, make, w.sanne, "emmen-zuid")

    assert response.status_code == 200, response.get_json()
    lamp, garage = response.get_json()
    assert (lamp["id"], garage["id"]) == (w.lamp, w.garage)  # Emmerhout's and the unshared note are not there
    assert (lamp["group_id"], lamp["lat"], lamp["lon"]) == (str(w.rietlanden.id), 52.7741, 6.9012)
    assert (garage["what"], garage["street"], garage["author"]) == (
        "Garagedeur stond 's nachts open.", "Kapelstraat", "Bram J.",
    )  # fmt: skip
    assert garage["shared_with_police"] is True and garage["mine"] is False
    assert json.loads(response.headers["X-Pagination"])["total"] == 2


def test_each_note_she_reads_is_in_the_audit_log(client, make, shared_in_emmen_zuid):
    w = shared_in_emmen_zuid

    shared(client, make, w.sanne, "emmen-zuid")

    log = client.get("/api/v1/audit-log", headers=make.headers(w.ada)).get_json()
    assert sorted((e["note_id"], e["via"], e["reader"]["name"]) for e in log) == sorted(
        [(w.garage, "list", "Sanne Mulder"), (w.lamp, "list", "Sanne Mulder")]
    )


def test_a_wijk_a_group_and_a_category_narrow_the_list(client, make, shared_in_emmen_zuid):
    w = shared_in_emmen_zuid

    assert [n["id"] for n in shared(client, make, w.sanne, "bargeres").get_json()] == [w.garage]
    by_group = shared(client, make, w.sanne, "emmen-zuid", group_id=str(w.rietlanden.id)).get_json()
    assert [n["id"] for n in by_group] == [w.lamp]
    by_category = shared(client, make, w.sanne, "emmen-zuid", category="burglary_suspicious").get_json()
    assert [n["id"] for n in by_category] == [w.garage]
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=60)).isoformat()
    assert [n["id"] for n in shared(client, make, w.sanne, "emmen-zuid", **{"from": since}).get_json()] == [w.lamp]


@pytest.mark.parametrize("who", ["olaf", "ada", "anna", "bram"])
def test_nobody_else_reads_them_and_nothing_is_logged(client, make, shared_in_emmen_zuid, who):
    w = shared_in_emmen_zuid

    response = shared(client, make, getattr(w, who), "emmen-zuid")

    assert response.status_code == 403
    assert response.get_json()["message"] == "alleen de wijkagent van het gebied ziet dit"
    assert client.get("/api/v1/audit-log", headers=make.headers(w.ada)).get_json() == []


def test_an_area_that_does_not_exist(client, make, shared_in_emmen_zuid):
    response = client.get("/api/v1/areas/999999/shared-notes", headers=make.headers(shared_in_emmen_zuid.sanne))
    assert response.status_code == 404
