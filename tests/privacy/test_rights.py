"""Privacy rights: Vera downloads what Buurtwacht holds about her, then deletes her account.

Vera walks with Buurtpreventie Bargeres, which Carla coordinates; Sanne is the wijkagent and Gemma
a municipal admin. Vera's export holds her own notes, patrols and settings, never Carla's contact
details. After deletion her notes stay with the group under a pseudonym, her phone gets no more
pushes, and signing in again with the same Firebase account starts a new, empty person. Carla, the
group's only coordinator, is refused until she names another.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from buurtwacht import db
from buurtwacht.models import AlertFeed, Email, MembershipRole, Person
from buurtwacht.privacy.service import PSEUDONYM
from buurtwacht.push import dispatcher

CARLA_PHONE = "+31 6 1111 1111"
VERA_PHONE = "+31 6 2222 2222"


@pytest.fixture
def bargeres(make):
    carla = make.person("Carla Coördinator", phone=CARLA_PHONE)
    vera = make.person("Vera Vrijwilliger", phone=VERA_PHONE)
    group = make.group("bargeres", "Buurtpreventie Bargeres", coordinator=carla)
    make.member(group, vera, MembershipRole.VOLUNTEER)
    return group, carla, vera


def ok(response, status=200):
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def record_note(client, make, author, group, what="Garagedeur van nummer 12 staat wijd open."):
    body = {
        "id": str(uuid.uuid4()),
        "category": "burglary_suspicious",
        "what": what,
        "observed_at": (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)).isoformat(),
        "street": "Kapelstraat 12",
    }
    return ok(client.post(f"/api/v1/groups/{group.id}/notes", json=body, headers=make.headers(author)), 201)


def register_phone(client, make, person, address):
    device_id = str(uuid.uuid4())
    body = {"address_kind": "fid", "address": address, "platform": "android"}
    ok(client.put(f"/api/v1/me/devices/{device_id}", json=body, headers=make.headers(person)))
    return device_id


def alert_bargeres(client, make, officer, headline="Vermist: jongen van 8 jaar"):
    body = {
        "kind": "missing_person",
        "headline": headline,
        "description": "Jongen, 8 jaar, rode jas, blauwe fiets, vanaf de speeltuin richting het kanaal.",
        "instruction": "Zie je hem? Bel 112 en blijf bij hem.",
        "area_ids": [make.area_id("bargeres")],
    }
    return ok(client.post("/api/v1/alerts", json=body, headers=make.headers(officer)), 201)["alert"]["id"]


def dispatch(app):
    with app.app_context():
        dispatcher.run(stop_when_idle=True)


def people_with_email(app, email):
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(Person).where(Person.email == email))


# The export -----------------------------------------------------------------------------------------


def test_the_export_holds_my_note_and_my_patrol_but_nobody_elses_details(client, make, app, fcm, bargeres):
    group, carla, vera = bargeres
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "bargeres")
    note = record_note(client, make, vera, group)
    ok(client.post(f"/api/v1/notes/{note['id']}/comments", json={"text": "Ik bel de bewoner."},
                   headers=make.headers(carla)), 201)  # fmt: skip
    ok(client.post(f"/api/v1/notes/{note['id']}/share", headers=make.headers(vera)))
    patrol = make.patrol(group, dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
    for walker in (vera, carla):
        ok(client.put(f"/api/v1/patrols/{patrol}/signup", headers=make.headers(walker)))
    register_phone(client, make, vera, "fid-vera-phone")
    ok(client.put(f"/api/v1/me/subscriptions/{make.area_id('delftlanden')}", headers=make.headers(vera)))
    feed_url = ok(client.post("/api/v1/me/calendar", headers=make.headers(vera)), 201)["url"]
    ok(client.post(f"/api/v1/me/alert-feeds/{make.area_id('bargeres')}", headers=make.headers(vera)), 201)
    alert = alert_bargeres(client, make, sanne)
    tip = {"id": str(uuid.uuid4()), "text": "Jongen met rode jas bij de brug gezien."}
    ok(client.post(f"/api/v1/alerts/{alert}/tips", json=tip, headers=make.headers(vera)), 201)
    dispatch(app)  # the alert reaches the group: Vera among them

    response = client.get("/api/v1/me/export", headers=make.headers(vera))

    export = ok(response)
    assert response.headers["Content-Disposition"].startswith('attachment; filename="buurtwacht-export-')
    assert response.headers["Content-Disposition"].endswith('.json"')
    assert (export["profile"]["email"], export["profile"]["phone"]) == (vera.email, VERA_PHONE)
    assert export["profile"]["reminder_hours"] == [24, 2]
    [membership] = export["memberships"]
    assert (membership["group_name"], membership["role"], membership["status"]) == (
        "Buurtpreventie Bargeres", "volunteer", "active",
    )  # fmt: skip
    assert [h["kind"] for h in membership["history"]] == ["added"]
    [mine] = export["notes"]
    assert (mine["id"], mine["what"], mine["group_name"]) == (note["id"], note["what"], "Buurtpreventie Bargeres")
    assert [(c["text"], c["by_you"]) for c in mine["comments"]] == [("Ik bel de bewoner.", False)]
    assert [(h["kind"], h["by_you"]) for h in mine["history"]] == [("created", True), ("shared", True)]
    assert [(p["patrol_id"], p["status"]) for p in export["patrols"]] == [(str(patrol), "confirmed")]
    assert [p["kind"] for p in export["patrols"][0]["history"]] == ["signed_up"]
    assert [d["platform"] for d in export["devices"]] == ["android"]
    assert [s["area_name"] for s in export["subscriptions"]] == ["Delftlanden"]
    assert export["calendar_feed"]["active"] is True
    assert [f["area_name"] for f in export["alert_feeds"]] == ["Bargeres"]
    assert [t["text"] for t in export["tips"]] == [tip["text"]]
    assert [(a["alert_id"], a["received"], a["looking"]) for a in export["alerts_received"]] == [(alert, True, False)]

    text = response.get_data(as_text=True)
    assert CARLA_PHONE not in text
    assert carla.email not in text
    assert "Carla" not in text  # the team and the commenter are left out, not shortened
    assert "Sanne" not in text
    assert "fid-vera-phone" not in text  # the push address is a secret
    assert feed_url.rsplit("/", 1)[-1].removesuffix(".ics") not in text


def test_the_export_lists_the_emails_queued_to_me_by_subject_and_status(client, make, app, bargeres):
    _, carla, vera = bargeres
    with app.app_context():
        db.session().add_all([
            Email(person_id=vera.id, to_address=vera.email, subject="Maandoverzicht oktober", message=b"x"),
            Email(person_id=carla.id, to_address=carla.email, subject="Alleen voor Carla", message=b"x"),
        ])  # fmt: skip
        db.session().commit()

    export = ok(client.get("/api/v1/me/export", headers=make.headers(vera)))

    assert [(e["subject"], e["status"]) for e in export["emails"]] == [("Maandoverzicht oktober", "pending")]


def test_a_wijkagent_finds_her_own_reads_in_the_export(client, make, bargeres):
    group, _, vera = bargeres
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "bargeres")
    note = record_note(client, make, vera, group)
    ok(client.post(f"/api/v1/notes/{note['id']}/share", headers=make.headers(vera)))
    ok(client.get(f"/api/v1/notes/{note['id']}", headers=make.headers(sanne)))

    export = ok(client.get("/api/v1/me/export", headers=make.headers(sanne)))

    assert [(r["note_id"], r["via"]) for r in export["note_reads"]] == [(note["id"], "detail")]
    assert [a["code"] for a in export["officer_areas"]] == ["bargeres"]
    assert export["notes"] == []


# Deleting an account --------------------------------------------------------------------------------


def test_after_deletion_the_note_stays_with_the_group_under_a_pseudonym(client, make, bargeres):
    group, carla, vera = bargeres
    note = record_note(client, make, vera, group)
    comment = {"text": "De bewoner is gewaarschuwd."}
    ok(client.post(f"/api/v1/notes/{note['id']}/comments", json=comment, headers=make.headers(vera)), 201)

    assert client.delete("/api/v1/me", headers=make.headers(vera)).status_code == 204

    notes = ok(client.get(f"/api/v1/groups/{group.id}/notes", headers=make.headers(carla)))
    assert [(n["id"], n["what"], n["author"], n["mine"]) for n in notes] == [
        (note["id"], note["what"], PSEUDONYM, False)
    ]
    assert [c["author"] for c in notes[0]["comments"]] == [PSEUDONYM]
    members = ok(client.get(f"/api/v1/groups/{group.id}/members", headers=make.headers(carla)))
    assert [m["name"] for m in members] == ["Carla Coördinator"]
    former = ok(client.get(f"/api/v1/groups/{group.id}/members?status=left", headers=make.headers(carla)))
    assert [(m["name"], m.get("email"), m.get("phone")) for m in former] == [(PSEUDONYM, None, None)]
    text = json.dumps([notes, members, former], ensure_ascii=False)
    assert "Vera" not in text
    assert vera.email not in text


def test_after_deletion_my_phone_gets_no_more_pushes(client, make, app, fcm, bargeres):
    _, carla, vera = bargeres
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "bargeres")
    register_phone(client, make, vera, "fid-vera-phone")
    register_phone(client, make, carla, "fid-carla-phone")
    ok(client.put(f"/api/v1/me/subscriptions/{make.area_id('bargeres')}", headers=make.headers(vera)))

    assert client.delete("/api/v1/me", headers=make.headers(vera)).status_code == 204
    alert_bargeres(client, make, sanne)
    dispatch(app)

    assert [m["fid"] for m in fcm.received] == ["fid-carla-phone"]
    assert fcm.to("fid-vera-phone") == []


def test_signing_in_again_after_deletion_is_a_fresh_empty_person(client, make, app, bargeres):
    group, _, vera = bargeres
    record_note(client, make, vera, group)
    register_phone(client, make, vera, "fid-vera-phone")
    ok(client.post("/api/v1/me/calendar", headers=make.headers(vera)), 201)
    feed = ok(client.post(f"/api/v1/me/alert-feeds/{make.area_id('bargeres')}", headers=make.headers(vera)), 201)

    assert client.delete("/api/v1/me", headers=make.headers(vera)).status_code == 204
    assert client.get(urlsplit(feed["url"]).path).status_code == 404
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(AlertFeed)) == 0  # the row went, not only access
    signed_in_again = {"Authorization": f"Bearer {make.token(vera, now=time.time() + 2)}"}
    again = ok(client.get("/api/v1/me", headers=signed_in_again))

    assert again["person"]["id"] != str(vera.id)
    assert (again["person"]["email"], again["person"]["display_name"]) == (vera.email, vera.name)
    assert again["person"]["phone"] is None
    assert again["memberships"] == []
    export = ok(client.get("/api/v1/me/export", headers=signed_in_again))
    assert (export["notes"], export["devices"], export["patrols"]) == ([], [], [])
    assert export["calendar_feed"]["active"] is False
    assert export["alert_feeds"] == []
    assert client.get(f"/api/v1/groups/{group.id}/notes", headers=signed_in_again).status_code == 404


def test_deleting_twice_answers_204_and_leaves_no_account_behind(client, make, app, bargeres):
    _, _, vera = bargeres

    token = make.headers(vera)
    assert client.delete("/api/v1/me", headers=token).status_code == 204
    assert client.delete("/api/v1/me", headers=token).status_code == 401  # the token of before is refused

    assert people_with_email(app, vera.email) == 0


def test_a_person_with_nothing_behind_them_is_deleted_outright(client, make, app):
    newcomer = make.person("Nina Nieuw")

    assert client.delete("/api/v1/me", headers=make.headers(newcomer)).status_code == 204

    with app.app_context():
        assert db.session().get(Person, newcomer.id) is None


def test_deletion_gives_my_place_on_a_patrol_to_the_waiting_list(client, make, app, fcm, bargeres):
    group, carla, vera = bargeres
    piet = make.person("Piet Postma")
    make.member(group, piet)
    with app.app_context():  # no quiet hours: the push goes out at once, also when CI runs at night
        db.session().get(Person, piet.id).quiet_from = None  # type: ignore[union-attr]
        db.session().commit()
    register_phone(client, make, piet, "fid-piet-phone")
    patrol = make.patrol(group, dt.datetime.now(dt.UTC) + dt.timedelta(days=2), min_team=1, max_team=2)
    for walker in (vera, carla, piet):
        ok(client.put(f"/api/v1/patrols/{patrol}/signup", headers=make.headers(walker)))
    assert make.signups(patrol)[piet.id] == "waitlisted"

    assert client.delete("/api/v1/me", headers=make.headers(vera)).status_code == 204
    dispatch(app)

    assert make.signups(patrol) == {vera.id: "removed", carla.id: "confirmed", piet.id: "confirmed"}
    assert len(fcm.to("fid-piet-phone")) == 1  # told he is on the team now
    team = ok(client.get(f"/api/v1/patrols/{patrol}", headers=make.headers(carla)))["team"]
    assert sorted(m["name"] for m in team) == ["Carla Coördinator", "Piet Postma"]


def test_queued_email_to_a_deleted_person_is_never_sent(client, make, app, bargeres):
    _, _, vera = bargeres
    with app.app_context():
        db.session().add(Email(person_id=vera.id, to_address=vera.email, subject="Herinnering", message=b"x"))
        db.session().commit()

    assert client.delete("/api/v1/me", headers=make.headers(vera)).status_code == 204

    with app.app_context():
        left = db.session().scalar(select(func.count()).select_from(Email).where(Email.to_address == vera.email))
    assert left == 0


def test_the_last_coordinator_is_refused_and_nothing_changes(client, make, bargeres):
    group, carla, vera = bargeres
    register_phone(client, make, carla, "fid-carla-phone")
    before = ok(client.get("/api/v1/me/export", headers=make.headers(carla)))

    response = client.delete("/api/v1/me", headers=make.headers(carla))

    assert response.status_code == 409
    error = response.get_json()
    assert error["code"] == 409
    assert "laatste coördinator van Buurtpreventie Bargeres" in error["message"]
    assert "coördinator en verwijder dan je account" in error["message"]
    after = ok(client.get("/api/v1/me/export", headers=make.headers(carla)))
    assert {k: v for k, v in after.items() if k != "exported_at"} == {
        k: v for k, v in before.items() if k != "exported_at"
    }
    assert ok(client.get("/api/v1/me", headers=make.headers(carla)))["person"]["id"] == str(carla.id)


def test_a_coordinator_who_named_another_may_go(client, make, bargeres):
    group, carla, vera = bargeres
    [vera_membership] = [
        m["id"] for m in ok(client.get(f"/api/v1/groups/{group.id}/members", headers=make.headers(carla)))
        if m["person_id"] == str(vera.id)
    ]  # fmt: skip
    ok(client.patch(f"/api/v1/groups/{group.id}/members/{vera_membership}", json={"role": "coordinator"},
                    headers=make.headers(carla)))  # fmt: skip

    assert client.delete("/api/v1/me", headers=make.headers(carla)).status_code == 204

    members = ok(client.get(f"/api/v1/groups/{group.id}/members", headers=make.headers(vera)))
    assert [(m["name"], m["role"]) for m in members] == [("Vera Vrijwilliger", "coordinator")]


# The audit log --------------------------------------------------------------------------------------


@pytest.fixture
def read_by_sanne(client, make, bargeres):
    """Sanne, wijkagent of Bargeres, read Vera's shared note once."""
    group, _, vera = bargeres
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "bargeres")
    note = record_note(client, make, vera, group)
    ok(client.post(f"/api/v1/notes/{note['id']}/share", headers=make.headers(vera)))
    ok(client.get(f"/api/v1/notes/{note['id']}", headers=make.headers(sanne)))
    return sanne, note["id"]


def test_an_admin_reads_who_read_which_note(client, make, bargeres, read_by_sanne):
    group = bargeres[0]
    sanne, note_id = read_by_sanne
    gemma = make.person("Gemma Gemeente", admin=True)

    response = client.get("/api/v1/audit-log", headers=make.headers(gemma))

    [entry] = ok(response)
    assert (entry["reader"], entry["via"], entry["note_id"]) == (
        {"id": str(sanne.id), "name": "Sanne Mulder"}, "detail", note_id,
    )  # fmt: skip
    assert entry["group"] == {"id": str(group.id), "name": "Buurtpreventie Bargeres"}
    assert json.loads(response.headers["X-Pagination"])["total"] == 1


def test_the_audit_log_filters_by_reader_and_period(client, make, read_by_sanne):
    sanne, _ = read_by_sanne
    gemma = make.person("Gemma Gemeente", admin=True)
    headers = make.headers(gemma)
    tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    yesterday = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).isoformat()

    def count(query):
        return len(ok(client.get("/api/v1/audit-log", query_string=query, headers=headers)))

    assert count({"reader_id": str(sanne.id)}) == 1
    assert count({"reader_id": str(uuid.uuid4())}) == 0
    assert count({"from": yesterday, "to": tomorrow}) == 1
    assert count({"from": tomorrow}) == 0
    assert count({"to": yesterday}) == 0


@pytest.mark.parametrize(
    "query",
    [
        {"from": "gisteren"},
        {"from": "0001-01-01T00:30+01:00"},  # before the year 1 began in UTC
        {"to": "9999-12-31T23:30-05:00"},  # after the year 9999 ended in UTC
        {"reader_id": "sanne"},
        {"page": "0"},
    ],
)
def test_bad_audit_log_queries_are_422_in_the_error_shape(client, make, query):
    gemma = make.person("Gemma Gemeente", admin=True)

    response = client.get("/api/v1/audit-log", query_string=query, headers=make.headers(gemma))

    assert response.status_code == 422
    assert response.get_json()["code"] == 422


def test_the_audit_log_takes_the_widest_period_there_is(client, make, read_by_sanne):
    gemma = make.person("Gemma Gemeente", admin=True)
    query = {"from": "0001-01-02T00:00+00:00", "to": "9999-12-30T00:00+00:00"}

    assert len(ok(client.get("/api/v1/audit-log", query_string=query, headers=make.headers(gemma)))) == 1


def test_only_admins_read_the_audit_log(client, make, bargeres, read_by_sanne):
    _, carla, vera = bargeres
    sanne, _ = read_by_sanne
    for someone in (carla, vera, sanne):
        response = client.get("/api/v1/audit-log", headers=make.headers(someone))
        assert response.status_code == 403
        assert "Sanne" not in response.get_data(as_text=True)
    assert client.get("/api/v1/audit-log").status_code == 401


def test_a_deleted_wijkagent_is_shown_under_the_pseudonym(client, make, read_by_sanne):
    sanne, note_id = read_by_sanne
    gemma = make.person("Gemma Gemeente", admin=True)

    assert client.delete("/api/v1/me", headers=make.headers(sanne)).status_code == 204

    [entry] = ok(client.get("/api/v1/audit-log", headers=make.headers(gemma)))
    assert (entry["reader"]["name"], entry["note_id"]) == (PSEUDONYM, note_id)
