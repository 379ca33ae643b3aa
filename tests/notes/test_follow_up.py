"""Following a note up: its status with who, when and why; the coordinator's lists; edits, comments, review.

open -> reported -> resolved or no_action (resolved and no_action also straight from open); every
move is a history row with a reason. The author may edit a note for NOTE_EDIT_MINUTES; after that,
what anyone adds is a comment, and comments are never edited.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
import time_machine
from sqlalchemy import select

from buurtwacht import db
from buurtwacht.models import NoteComment, NoteEvent, Patrol, PatrolStatus

NOW = dt.datetime(2026, 11, 3, 19, 30, tzinfo=dt.UTC)  # 20:30 in Emmen
CET = dt.timezone(dt.timedelta(hours=1))
STATUSES = ("open", "reported", "resolved", "no_action")
ALLOWED = {
    ("open", "reported"),
    ("open", "resolved"),
    ("open", "no_action"),
    ("reported", "resolved"),
    ("reported", "no_action"),
}
# How a note reaches each status from open.
PATH_TO = {"open": [], "reported": ["reported"], "resolved": ["resolved"], "no_action": ["no_action"]}


def record(client, make, group, author, **overrides) -> dict:
    body = {
        "id": str(uuid.uuid4()),
        "category": "burglary_suspicious",
        "what": "Iemand liep langs de schuren en voelde aan de deuren.",
        "observed_at": (NOW - dt.timedelta(minutes=10)).isoformat(),
        "street": "Kapelstraat",
        **overrides,
    }
    response = client.post(f"/api/v1/groups/{group.id}/notes", json=body, headers=make.headers(author))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def move(client, make, note_id, person, status, reason="Besproken in het teamoverleg"):
    return client.post(
        f"/api/v1/notes/{note_id}/status", json={"status": status, "reason": reason}, headers=make.headers(person)
    )


def read(client, make, note_id, person) -> dict:
    return client.get(f"/api/v1/notes/{note_id}", headers=make.headers(person)).get_json()


# The status


@pytest.mark.parametrize(("source", "target"), [(s, t) for s in STATUSES for t in STATUSES], ids=lambda v: v)
def test_the_follow_up_moves_only_forward(client, make, team, clock, source, target):
    group, anna, bram, _henk = team
    note = record(client, make, group, bram)
    for step in PATH_TO[source]:
        assert move(client, make, note["id"], anna, step).status_code == 200
    before = read(client, make, note["id"], anna)

    response = move(client, make, note["id"], anna, target, reason="Na overleg met de wijkagent")

    if (source, target) in ALLOWED:
        assert response.status_code == 200
        after = response.get_json()
        assert after["status"] == target
        assert after["history"][-1] == {
            "kind": "status",
            "from_status": source,
            "to_status": target,
            "reason": "Na overleg met de wijkagent",
            "at": NOW.astimezone(CET).isoformat(),
            "by": "Anna de Vries",
        }
    else:
        assert response.status_code == 409
        assert source in response.get_json()["message"]
        assert read(client, make, note["id"], anna) == before


def test_each_move_records_who_when_and_why(client, make, app, team, clock):
    group, anna, bram, _henk = team
    note = record(client, make, group, bram)
    move(client, make, note["id"], anna, "reported", reason="Gemeld bij de politie, 0900-8844")
    clock.shift(dt.timedelta(days=2))
    move(client, make, note["id"], anna, "resolved", reason="Eigenaar heeft de schuur op slot gedaan")

    with app.app_context():
        events = db.session().scalars(
            select(NoteEvent).where(NoteEvent.note_id == uuid.UUID(note["id"]), NoteEvent.kind == "status")
            .order_by(NoteEvent.id)
        ).all()  # fmt: skip
        assert [(e.from_status, e.to_status, e.reason, e.actor_id, e.at) for e in events] == [
            ("open", "reported", "Gemeld bij de politie, 0900-8844", anna.id, NOW),
            ("reported", "resolved", "Eigenaar heeft de schuur op slot gedaan", anna.id, NOW + dt.timedelta(days=2)),
        ]


@pytest.mark.parametrize(
    "data",
    [{"status": "reported"}, {"status": "reported", "reason": ""}, {"status": "reported", "reason": "ok"}],
    ids=["no-reason", "empty-reason", "two-letters"],
)
def test_a_move_needs_a_reason(client, make, team, clock, data):
    group, anna, bram, _henk = team
    note = record(client, make, group, bram)
    response = client.post(f"/api/v1/notes/{note['id']}/status", json=data, headers=make.headers(anna))
    assert response.status_code == 422
    assert "reason" in response.get_json()["errors"]["json"]
    after = read(client, make, note["id"], anna)
    assert after["status"] == "open"
    assert [h["kind"] for h in after["history"]] == ["created"]


def test_an_unknown_status_is_refused(client, make, team, clock):
    group, anna, bram, _henk = team
    note = record(client, make, group, bram)
    response = move(client, make, note["id"], anna, "closed")
    assert response.status_code == 422
    assert "status" in response.get_json()["errors"]["json"]


def test_only_coordinators_move_a_note_on(client, make, team, clock):
    group, anna, bram, _henk = team
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "bargeres")
    note = record(client, make, group, bram)
    client.post(f"/api/v1/notes/{note['id']}/share", headers=make.headers(bram))

    assert move(client, make, note["id"], bram, "reported").status_code == 403  # its own author, a volunteer
    assert move(client, make, note["id"], sanne, "reported").status_code == 403  # the wijkagent reads, does not steer
    assert move(client, make, note["id"], make.person(), "reported").status_code == 404
    assert read(client, make, note["id"], anna)["status"] == "open"
    assert move(client, make, note["id"], anna, "reported").status_code == 200


# The coordinator's lists


@pytest.fixture
def notes_of_a_month(client, make, app, team, clock):
    """Five notes in the group: categories, times, places, a patrol and statuses differ."""
    group, anna, bram, henk = team
    with app.app_context():
        patrol = Patrol(
            group_id=group.id, starts_at=NOW - dt.timedelta(days=2, hours=1), ends_at=NOW - dt.timedelta(days=2),
            meeting_point="Wijkcentrum", min_team=2, max_team=4, status=PatrolStatus.COMPLETED,
        )  # fmt: skip
        db.session().add(patrol)
        db.session().commit()
        patrol_id = str(patrol.id)
    rietlanden = make.area_id("rietlanden")
    day = dt.timedelta(days=1)
    made = {}
    for key, author, overrides in (
        ("speeding", bram, {"category": "traffic_safety", "what": "Auto reed veel te hard langs de school.",
                            "observed_at": (NOW - 6 * day).isoformat()}),
        ("litter", henk, {"category": "clean_whole_safe", "what": "Volle container, afval ernaast gegooid.",
                          "observed_at": (NOW - 4 * day).isoformat(), "area_id": rietlanden}),
        ("shed", bram, {"observed_at": (NOW - 2 * day - dt.timedelta(minutes=30)).isoformat(), "patrol_id": patrol_id}),
        ("window", henk, {"what": "Raam op de begane grond stond open, niemand thuis.",
                          "observed_at": (NOW - 2 * day - dt.timedelta(minutes=20)).isoformat(), "patrol_id": patrol_id}),
        ("lights", bram, {"category": "traffic_safety", "what": "Straatverlichting kapot bij het fietspad.",
                          "observed_at": (NOW - dt.timedelta(hours=1)).isoformat()}),
    ):  # fmt: skip
        with time_machine.travel(NOW - dt.timedelta(minutes=1), tick=False):
            made[key] = record(client, make, group, author, **overrides)["id"]
    assert move(client, make, made["shed"], anna, "reported").status_code == 200
    assert move(client, make, made["litter"], anna, "resolved").status_code == 200
    assert move(client, make, made["speeding"], anna, "no_action").status_code == 200
    return made, patrol_id, rietlanden


def listed(client, make, group, person, query=""):
    response = client.get(f"/api/v1/groups/{group.id}/notes{query}", headers=make.headers(person))
    assert response.status_code == 200, response.get_json()
    return response


def test_the_coordinator_filters_by_status_category_period_area_and_patrol(client, make, team, notes_of_a_month):
    group, anna, _bram, _henk = team
    made, patrol_id, rietlanden = notes_of_a_month
    key = {v: k for k, v in made.items()}

    def names(query=""):
        return [key[n["id"]] for n in listed(client, make, group, anna, query).get_json()]

    assert names() == ["lights", "window", "shed", "litter", "speeding"]  # newest first
    assert names("?status=open") == ["lights", "window"]
    assert names("?status=reported") == ["shed"]
    assert names("?category=traffic_safety") == ["lights", "speeding"]
    assert names("?category=traffic_safety&status=no_action") == ["speeding"]
    # A period, in local time: from is inclusive, to is not.
    from_ = (NOW - dt.timedelta(days=4)).astimezone(CET).replace(tzinfo=None).isoformat()
    to = (NOW - dt.timedelta(days=2, minutes=20)).astimezone(CET).replace(tzinfo=None).isoformat()
    assert names(f"?from={from_}&to={to}") == ["shed", "litter"]
    assert names(f"?area_id={rietlanden}") == ["litter"]
    assert names(f"?area_id={group.area_id}") == ["lights", "window", "shed", "speeding"]
    assert names(f"?patrol_id={patrol_id}") == ["window", "shed"]
    assert names(f"?patrol_id={patrol_id}&status=reported") == ["shed"]
    assert names(f"?patrol_id={uuid.uuid4()}") == []


@pytest.mark.parametrize("query", ["?status=closed", "?from=gisteren", "?area_id=bargeres", "?patrol_id=12"])
def test_a_filter_that_makes_no_sense_is_refused(client, make, team, notes_of_a_month, query):
    group, anna, _bram, _henk = team
    response = client.get(f"/api/v1/groups/{group.id}/notes{query}", headers=make.headers(anna))
    assert response.status_code == 422
    field = query[1:].split("=")[0]
    assert field in response.get_json()["errors"]["query"]


def test_the_lists_come_in_pages(client, make, team, notes_of_a_month):
    group, anna, _bram, _henk = team
    made, _patrol_id, _rietlanden = notes_of_a_month
    pages = []
    for page in (1, 2, 3):
        response = listed(client, make, group, anna, f"?page={page}&page_size=2")
        pagination = json.loads(response.headers["X-Pagination"])
        assert (pagination["total"], pagination["total_pages"], pagination["page"]) == (5, 3, page)
        pages.append([n["id"] for n in response.get_json()])
    assert [len(p) for p in pages] == [2, 2, 1]
    assert sorted(sum(pages, [])) == sorted(made.values())
    # The total counts what the filter keeps.
    filtered = listed(client, make, group, anna, "?status=open&page_size=1")
    assert json.loads(filtered.headers["X-Pagination"])["total"] == 2
    assert len(filtered.get_json()) == 1


# Editing and comments


def test_the_author_edits_for_a_short_time_then_adds_comments(client, make, app, team, clock):
    group, anna, bram, henk = team
    minutes = app.config["BUURTWACHT"].NOTE_EDIT_MINUTES
    note = record(client, make, group, bram)
    assert note["editable_until"] == (NOW + dt.timedelta(minutes=minutes)).astimezone(CET).isoformat()

    clock.shift(dt.timedelta(minutes=minutes - 1))
    edited = client.patch(
        f"/api/v1/notes/{note['id']}",
        json={"what": "Iemand liep langs de schuren en probeerde drie deuren.", "urgency": "high"},
        headers=make.headers(bram),
    )
    assert edited.status_code == 200
    assert (edited.get_json()["what"], edited.get_json()["urgency"]) == (
        "Iemand liep langs de schuren en probeerde drie deuren.",
        "high",
    )
    assert edited.get_json()["history"][-1]["kind"] == "edited"

    clock.shift(dt.timedelta(minutes=2))
    late = client.patch(f"/api/v1/notes/{note['id']}", json={"what": "Toch iets anders."}, headers=make.headers(bram))
    assert late.status_code == 409
    assert "opmerking" in late.get_json()["message"]
    assert read(client, make, note["id"], bram)["what"] == "Iemand liep langs de schuren en probeerde drie deuren."

    # What Bram wants to add now is a comment; Henk and Anna add theirs.
    for person, words in (
        (bram, "Later bleek de buurman de deur vergeten te zijn."),
        (henk, "Ik liep er om 22:00 nog langs, alles was dicht."),
        (anna, "Doorgegeven aan de wijkagent."),
    ):
        clock.shift(dt.timedelta(minutes=5))
        added = client.post(f"/api/v1/notes/{note['id']}/comments", json={"text": words}, headers=make.headers(person))
        assert added.status_code == 201
    comments = read(client, make, note["id"], henk)["comments"]
    assert [c["text"] for c in comments] == [
        "Later bleek de buurman de deur vergeten te zijn.",
        "Ik liep er om 22:00 nog langs, alles was dicht.",
        "Doorgegeven aan de wijkagent.",
    ]
    assert [c["created_at"] for c in comments] == [
        (NOW + dt.timedelta(minutes=minutes + 1 + 5 * n)).astimezone(CET).isoformat() for n in (1, 2, 3)
    ]
    # Comments are never edited nor removed: there is no way to.
    comment_id = comments[0]["id"]
    for method in (client.patch, client.put, client.delete):
        assert (
            method(f"/api/v1/notes/{note['id']}/comments", json={"text": "weg"}, headers=make.headers(bram)).status_code
            == 405
        )
        assert method(
            f"/api/v1/notes/{note['id']}/comments/{comment_id}", json={"text": "weg"}, headers=make.headers(bram)
        ).status_code in (404, 405)
    assert [c["text"] for c in read(client, make, note["id"], anna)["comments"]] == [c["text"] for c in comments]


def test_the_wijkagent_comments_on_a_shared_note(client, make, app, team, clock):
    group, anna, bram, _henk = team
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "bargeres")
    note = record(client, make, group, bram)
    url = f"/api/v1/notes/{note['id']}/comments"

    assert client.post(url, json={"text": "Ik rij er vanavond langs."}, headers=make.headers(sanne)).status_code == 404
    client.post(f"/api/v1/notes/{note['id']}/share", headers=make.headers(bram))
    added = client.post(url, json={"text": "Ik rij er vanavond langs."}, headers=make.headers(sanne))
    assert added.status_code == 201
    assert [c["text"] for c in read(client, make, note["id"], bram)["comments"]] == ["Ik rij er vanavond langs."]
    # Admins and outsiders do not comment.
    assert client.post(url, json={"text": "Gezien."}, headers=make.headers(make.person(admin=True))).status_code == 403
    assert client.post(url, json={"text": "Gezien."}, headers=make.headers(make.person())).status_code == 404
    with app.app_context():
        assert len(db.session().scalars(select(NoteComment)).all()) == 1


def test_a_commenter_is_named_as_a_notes_author_is(client, make, team, clock):
    group, anna, bram, henk = team
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "bargeres")
    note = record(client, make, group, henk)
    client.post(f"/api/v1/notes/{note['id']}/share", headers=make.headers(henk))
    client.post(
        f"/api/v1/notes/{note['id']}/comments", json={"text": "Deur zat weer op slot."}, headers=make.headers(henk)
    )

    as_officer = read(client, make, note["id"], sanne)
    as_volunteer = read(client, make, note["id"], bram)
    as_coordinator = read(client, make, note["id"], anna)
    assert (as_officer["author"], as_volunteer["author"], as_coordinator["author"]) == (
        "Henk B.",
        "Henk B.",
        "Henk Bakker",
    )
    assert as_officer["comments"][0]["author"] == "Henk B."
    assert as_volunteer["comments"][0]["author"] == "Henk B."
    assert as_coordinator["comments"][0]["author"] == "Henk Bakker"


def test_a_comment_describing_only_origin_is_refused_with_an_explanation(client, make, app, team, clock):
    group, _anna, bram, henk = team
    note = record(client, make, group, bram)
    response = client.post(
        f"/api/v1/notes/{note['id']}/comments",
        json={"text": "Het waren Marokkaanse jongens."},
        headers=make.headers(henk),
    )
    assert response.status_code == 422
    assert "gedrag" in response.get_json()["errors"]["json"]["text"][0]
    assert read(client, make, note["id"], bram)["comments"] == []


def test_only_the_author_edits_a_note(client, make, team, clock):
    group, anna, bram, henk = team
    note = record(client, make, group, bram)
    for person in (henk, anna):
        response = client.patch(
            f"/api/v1/notes/{note['id']}", json={"what": "Niets aan de hand."}, headers=make.headers(person)
        )
        assert response.status_code == 403
        assert "opmerking" in response.get_json()["message"]
    after = read(client, make, note["id"], anna)
    assert after["what"] == note["what"]
    assert [h["kind"] for h in after["history"]] == ["created"]


def test_an_edit_follows_the_same_rules_as_recording(client, make, team, clock):
    group, _anna, bram, _henk = team
    note = record(client, make, group, bram)
    for change, field in (
        ({"observed_at": (NOW + dt.timedelta(hours=1)).isoformat()}, "observed_at"),
        ({"street": None}, "street"),
        ({"category": "domestic_violence"}, "category"),
        ({"lat": 52.77}, "lon"),
    ):
        response = client.patch(f"/api/v1/notes/{note['id']}", json=change, headers=make.headers(bram))
        assert response.status_code == 422
        assert field in response.get_json()["errors"]["json"]
    after = read(client, make, note["id"], bram)
    assert (after["street"], after["category"], after["lat"]) == ("Kapelstraat", "burglary_suspicious", None)


# The coordinator's review of a held note


def held_note(client, make, group, author) -> dict:
    note = record(client, make, group, author, what="Twee getinte mannen in de straat.")
    assert note["held"] is True
    return note


def test_the_coordinator_releases_a_held_note_to_the_group(client, make, team, clock):
    group, anna, bram, henk = team
    note = held_note(client, make, group, bram)
    assert client.get(f"/api/v1/notes/{note['id']}", headers=make.headers(henk)).status_code == 404

    released = client.post(
        f"/api/v1/notes/{note['id']}/review",
        json={"decision": "release", "reason": "Besproken met Bram: ze liepen aan autodeuren te voelen."},
        headers=make.headers(anna),
    )
    assert released.status_code == 200
    assert released.get_json()["held"] is False
    assert released.get_json()["history"][-1]["kind"] == "released"
    seen = client.get(f"/api/v1/notes/{note['id']}", headers=make.headers(henk))
    assert seen.status_code == 200
    assert "review_message" not in seen.get_json()
    assert [n["id"] for n in listed(client, make, group, henk).get_json()] == [note["id"]]


def test_the_coordinator_closes_a_held_note_and_it_stays_hidden(client, make, team, clock):
    group, anna, bram, henk = team
    note = held_note(client, make, group, bram)

    closed = client.post(
        f"/api/v1/notes/{note['id']}/review",
        json={"decision": "close", "reason": "Geen gedrag beschreven."},
        headers=make.headers(anna),
    )
    assert closed.status_code == 200
    assert (closed.get_json()["status"], closed.get_json()["held"]) == ("no_action", True)
    assert closed.get_json()["history"][-1] == {
        "kind": "status", "from_status": "open", "to_status": "no_action", "reason": "Geen gedrag beschreven.",
        "at": NOW.astimezone(CET).isoformat(), "by": "Anna de Vries",
    }  # fmt: skip
    assert client.get(f"/api/v1/notes/{note['id']}", headers=make.headers(henk)).status_code == 404
    assert listed(client, make, group, henk).get_json() == []
    # Its author still sees it, with why.
    mine = read(client, make, note["id"], bram)
    assert (mine["status"], mine["held"]) == ("no_action", True)
    assert "gedrag" in mine["review_message"]


def test_review_is_for_held_notes_and_for_coordinators(client, make, team, clock):
    group, anna, bram, _henk = team
    plain = record(client, make, group, bram)
    review = {"decision": "release", "reason": "Vrijgegeven."}
    response = client.post(f"/api/v1/notes/{plain['id']}/review", json=review, headers=make.headers(anna))
    assert response.status_code == 409
    assert read(client, make, plain["id"], anna)["held"] is False

    held = held_note(client, make, group, bram)
    assert client.post(f"/api/v1/notes/{held['id']}/review", json=review, headers=make.headers(bram)).status_code == 403
    bad = client.post(
        f"/api/v1/notes/{held['id']}/review",
        json={"decision": "publish", "reason": "x" * 5},
        headers=make.headers(anna),
    )
    assert bad.status_code == 422
    assert "decision" in bad.get_json()["errors"]["json"]
    no_reason = client.post(
        f"/api/v1/notes/{held['id']}/review", json={"decision": "close"}, headers=make.headers(anna)
    )
    assert no_reason.status_code == 422
    assert read(client, make, held["id"], anna)["held"] is True
    assert read(client, make, held["id"], anna)["status"] == "open"


def test_a_released_note_stays_released_when_its_author_corrects_the_street(client, make, team, clock):
    group, anna, bram, henk = team
    note = held_note(client, make, group, bram)
    client.post(
        f"/api/v1/notes/{note['id']}/review",
        json={"decision": "release", "reason": "Besproken met Bram, mag zo blijven."},
        headers=make.headers(anna),
    )
    clock.shift(dt.timedelta(minutes=2))
    edited = client.patch(f"/api/v1/notes/{note['id']}", json={"street": "Kapelstraat 14"}, headers=make.headers(bram))
    assert edited.status_code == 200
    assert edited.get_json()["held"] is False
    assert client.get(f"/api/v1/notes/{note['id']}", headers=make.headers(henk)).status_code == 200
