"""Recording a note on the street: when, where, on which patrol, in which category, and once only.

A volunteer's phone may send the same note again from its offline queue; the note's id is made by
the app, so the retry finds the note it already made. Every refusal names the field at fault and
leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from sqlalchemy import func, select

from buurtwacht import db
from buurtwacht.models import Note, Patrol, PatrolStatus
from buurtwacht.notes.categories import CATEGORIES

NOW = dt.datetime(2026, 11, 3, 19, 30, tzinfo=dt.UTC)  # a Tuesday evening, 20:30 in Emmen


def body(**overrides):
    return {
        "id": str(uuid.uuid4()),
        "category": "burglary_suspicious",
        "what": "Iemand voelde aan de voordeuren van de rij woningen.",
        "observed_at": (NOW - dt.timedelta(minutes=10)).isoformat(),
        "street": "Kapelstraat 12",
        **overrides,
    }


def record(client, make, group, person, note):
    return client.post(f"/api/v1/groups/{group.id}/notes", json=note, headers=make.headers(person))


def errors_of(response):
    return response.get_json()["errors"]["json"]


def notes_in_database(app) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(Note))


def patrol_of(app, group) -> uuid.UUID:
    with app.app_context():
        patrol = Patrol(
            group_id=group.id, starts_at=NOW - dt.timedelta(hours=1), ends_at=NOW + dt.timedelta(hours=1),
            meeting_point="Wijkcentrum", min_team=2, max_team=4, status=PatrolStatus.RUNNING,
        )  # fmt: skip
        db.session().add(patrol)
        db.session().commit()
        return patrol.id


# When


@pytest.mark.parametrize(
    ("observed_at", "status"),
    [
        (NOW + dt.timedelta(minutes=6), 422),  # a phone's clock ahead by more than the skew: the future
        (NOW + dt.timedelta(minutes=4), 201),  # within five minutes of clock skew
        (NOW - dt.timedelta(hours=168, minutes=1), 422),  # more than NOTE_MAX_AGE_HOURS back
        (NOW - dt.timedelta(hours=167), 201),  # last week, but still within the bound
    ],
    ids=["6-min-ahead", "4-min-ahead", "over-a-week-back", "within-a-week"],
)
def test_the_observed_time_lies_in_the_recent_past(client, make, app, team, clock, observed_at, status):
    group, _anna, bram, _henk = team
    assert app.config["BUURTWACHT"].NOTE_MAX_AGE_HOURS == 168
    note = body(observed_at=observed_at.isoformat())

    response = record(client, make, group, bram, note)

    assert response.status_code == status, response.get_json()
    if status == 422:
        assert list(errors_of(response)) == ["observed_at"]
        assert notes_in_database(app) == 0
        assert client.get(f"/api/v1/notes/{note['id']}", headers=make.headers(bram)).status_code == 404
    else:
        assert (
            response.get_json()["observed_at"] == observed_at.astimezone(dt.timezone(dt.timedelta(hours=1))).isoformat()
        )


def test_the_age_bound_says_how_far_back_a_note_may_lie(client, make, app, team, clock):
    group, _anna, bram, _henk = team
    response = record(client, make, group, bram, body(observed_at=(NOW - dt.timedelta(days=8)).isoformat()))
    assert response.status_code == 422
    assert "168 uur" in errors_of(response)["observed_at"][0]


# Where


@pytest.mark.parametrize(
    ("place", "field"),
    [
        ({"lat": 52.7701}, "lon"),  # a latitude alone is no place
        ({"lon": 6.8779}, "lat"),
        ({"lat": 52.7701, "street": "Kapelstraat 12"}, "lon"),  # a street does not excuse half a location
        ({"lat": None, "lon": None, "street": None}, "street"),  # nothing: say where, in words or as a location
        ({}, "street"),
    ],
    ids=["lat-only", "lon-only", "lat-and-street", "all-null", "nothing"],
)
def test_a_note_says_where_with_a_full_location_or_a_street(client, make, app, team, clock, place, field):
    group, _anna, bram, _henk = team
    note = body()
    del note["street"]
    note.update(place)

    response = record(client, make, group, bram, note)

    assert response.status_code == 422, response.get_json()
    assert field in errors_of(response)
    assert notes_in_database(app) == 0


def test_a_location_alone_or_a_street_alone_is_enough(client, make, team, clock):
    group, _anna, bram, _henk = team
    located = record(
        client,
        make,
        group,
        bram,
        {k: v for k, v in body(lat=52.7701, lon=6.8779, accuracy_m=8).items() if k != "street"},
    )
    assert located.status_code == 201, located.get_json()
    assert (located.get_json()["lat"], located.get_json()["lon"], located.get_json()["accuracy_m"]) == (
        52.7701,
        6.8779,
        8,
    )
    assert located.get_json()["street"] is None

    described = record(client, make, group, bram, body(street="Hoek Kapelstraat / Wilhelminastraat"))
    assert described.status_code == 201
    assert described.get_json()["street"] == "Hoek Kapelstraat / Wilhelminastraat"
    assert described.get_json()["lat"] is None


# On which patrol


def test_a_note_belongs_to_a_patrol_of_its_own_group_only(client, make, app, team, clock):
    group, _anna, bram, _henk = team
    elsewhere = make.group("emmerhout", coordinator=make.person("Karin Smit"))
    own_patrol, their_patrol = patrol_of(app, group), patrol_of(app, elsewhere)

    theirs = record(client, make, group, bram, body(patrol_id=str(their_patrol)))
    assert theirs.status_code == 422
    assert list(errors_of(theirs)) == ["patrol_id"]
    made_up = record(client, make, group, bram, body(patrol_id=str(uuid.uuid4())))
    assert made_up.status_code == 422
    assert "patrol_id" in errors_of(made_up)
    assert notes_in_database(app) == 0

    ours = record(client, make, group, bram, body(patrol_id=str(own_patrol)))
    assert ours.status_code == 201
    assert ours.get_json()["patrol_id"] == str(own_patrol)


# Which category


def test_an_unknown_category_is_refused(client, make, app, team, clock):
    group, _anna, bram, _henk = team
    response = record(client, make, group, bram, body(category="loitering"))
    assert response.status_code == 422
    assert "note-categories" in errors_of(response)["category"][0]
    assert notes_in_database(app) == 0


def test_a_group_chooses_the_categories_it_uses(client, make, app, team, clock):
    group, anna, bram, _henk = team
    url = f"/api/v1/groups/{group.id}/categories"
    everything = list(CATEGORIES)
    assert client.get(url, headers=make.headers(bram)).get_json() == {"categories": everything}

    # Volunteers do not choose; an outsider is not told the group exists.
    assert client.put(url, json={"categories": ["traffic_safety"]}, headers=make.headers(bram)).status_code == 403
    assert (
        client.put(url, json={"categories": ["traffic_safety"]}, headers=make.headers(make.person())).status_code == 404
    )
    assert client.get(url, headers=make.headers(bram)).get_json() == {"categories": everything}

    # Anna chooses traffic and 'schoon, heel en veilig'; her team sees that choice.
    chosen = client.put(url, json={"categories": ["clean_whole_safe", "traffic_safety"]}, headers=make.headers(anna))
    assert chosen.status_code == 200
    assert chosen.get_json() == {"categories": ["traffic_safety", "clean_whole_safe"]}
    assert client.get(url, headers=make.headers(bram)).get_json() == {
        "categories": ["traffic_safety", "clean_whole_safe"]
    }

    # A category the group does not use is refused, and nothing is recorded.
    refused = record(client, make, group, bram, body(category="burglary_suspicious"))
    assert refused.status_code == 422
    assert errors_of(refused) == {"category": ["deze groep gebruikt deze categorie niet"]}
    assert notes_in_database(app) == 0
    assert (
        record(
            client, make, group, bram, body(category="traffic_safety", what="Auto reed veel te hard langs de school.")
        ).status_code
        == 201
    )

    # An unknown code is refused and leaves the choice as it was.
    unknown = client.put(url, json={"categories": ["traffic_safety", "loitering"]}, headers=make.headers(anna))
    assert unknown.status_code == 422
    assert "categories" in errors_of(unknown)
    assert client.get(url, headers=make.headers(bram)).get_json() == {
        "categories": ["traffic_safety", "clean_whole_safe"]
    }

    # An empty list: all categories again.
    restored = client.put(url, json={"categories": []}, headers=make.headers(anna))
    assert restored.get_json() == {"categories": everything}
    assert record(client, make, group, bram, body(category="burglary_suspicious")).status_code == 201
    assert notes_in_database(app) == 2


def test_only_members_record_notes(client, make, app, team, clock):
    group, _anna, _bram, _henk = team
    sanne, admin, outsider = make.person("Sanne Mulder"), make.person("Gemeente Emmen", admin=True), make.person()
    make.officer(sanne, "bargeres")
    assert record(client, make, group, sanne, body()).status_code == 403
    assert record(client, make, group, admin, body()).status_code == 403
    assert record(client, make, group, outsider, body()).status_code == 404
    assert client.post(f"/api/v1/groups/{group.id}/notes", json=body()).status_code == 401
    assert notes_in_database(app) == 0


# Once only


def test_a_retry_from_the_offline_queue_returns_the_same_note_never_a_duplicate(client, make, app, team, clock):
    group, anna, bram, henk = team
    note = body(lat=52.7701, lon=6.8779, accuracy_m=12, called="police", called_by="me", urgency="high")

    first = record(client, make, group, bram, note)
    assert first.status_code == 201
    # The answer was lost on a weak connection; ten minutes later the phone sends it again.
    clock.shift(dt.timedelta(minutes=10))
    again = record(client, make, group, bram, note)
    assert again.status_code == 201
    assert again.get_json() == first.get_json()
    listed = client.get(f"/api/v1/groups/{group.id}/notes", headers=make.headers(anna)).get_json()
    assert [n["id"] for n in listed] == [note["id"]]

    # The same moment written the other way (UTC instead of local time) is the same note.
    same_moment = {
        **note,
        "observed_at": (NOW - dt.timedelta(minutes=10)).astimezone(dt.timezone(dt.timedelta(hours=1))).isoformat(),
    }
    assert record(client, make, group, bram, same_moment).get_json()["id"] == note["id"]
    assert notes_in_database(app) == 1


@pytest.mark.parametrize("who", ["volunteer", "coordinator"])
@pytest.mark.parametrize(
    "what",
    ["Iemand voelde aan de voordeuren van de rij woningen.", "Marokkaanse jongens in de wijk"],
    ids=["plain", "held for review"],
)
def test_the_answer_to_a_new_note_is_the_note_as_its_author_reads_it_back(client, make, team, clock, who, what):
    group, anna, bram, _henk = team
    author = anna if who == "coordinator" else bram
    note = body(what=what, lat=52.7701, lon=6.8779)

    made = record(client, make, group, author, note)

    assert made.status_code == 201
    assert made.get_json() == client.get(f"/api/v1/notes/{note['id']}", headers=make.headers(author)).get_json()
    assert made.get_json()["mine"] is True
    assert made.get_json()["held"] is ("Marokkaanse" in what)
    assert made.get_json()["area_id"] == group.area_id


@pytest.mark.parametrize(
    "change",
    [
        {"what": "Iets heel anders gezien bij de school."},
        {"category": "clean_whole_safe"},
        {"observed_at": (NOW - dt.timedelta(minutes=20)).isoformat()},
        {"street": "Wilhelminastraat 3"},
        {"urgency": "low"},
        {"called": "emergency_112"},
    ],
    ids=["what", "category", "observed_at", "street", "urgency", "called"],
)
def test_the_same_id_with_another_body_is_a_conflict_and_changes_nothing(client, make, app, team, clock, change):
    group, anna, bram, _henk = team
    note = body()
    first = record(client, make, group, bram, note).get_json()

    other = record(client, make, group, bram, {**note, **change})

    assert other.status_code == 409
    assert notes_in_database(app) == 1
    assert client.get(f"/api/v1/notes/{note['id']}", headers=make.headers(anna)).get_json() == {
        **first, "author": "Bram Jansen", "mine": False,
    }  # fmt: skip


def test_the_same_id_from_another_author_or_group_is_a_conflict(client, make, app, team, clock):
    group, anna, bram, henk = team
    note = body()
    record(client, make, group, bram, note)

    # Henk's phone sends the very same body under the same id: not his note.
    by_henk = record(client, make, group, henk, note)
    assert by_henk.status_code == 409
    # A volunteer of another group, with a clashing id.
    karin = make.person("Karin Smit")
    elsewhere = make.group("emmerhout", coordinator=karin)
    in_other_group = record(client, make, elsewhere, karin, note)
    assert in_other_group.status_code == 409

    assert notes_in_database(app) == 1
    seen = client.get(f"/api/v1/notes/{note['id']}", headers=make.headers(anna)).get_json()
    assert (seen["author"], seen["group_id"], seen["what"]) == ("Bram Jansen", str(group.id), note["what"])
    assert client.get(f"/api/v1/groups/{elsewhere.id}/notes", headers=make.headers(karin)).get_json() == []


def test_a_retry_still_finds_its_note_after_the_time_bounds_have_passed(client, make, app, team, clock):
    group, _anna, bram, _henk = team
    note = body()
    record(client, make, group, bram, note)
    # The phone was off for eight days; its queue is sent when it is back on.
    clock.shift(dt.timedelta(days=8))
    again = record(client, make, group, bram, note)
    assert again.status_code == 201
    assert again.get_json()["id"] == note["id"]
    assert notes_in_database(app) == 1


# SAAR: who was alerted, and how urgent


def test_who_was_called_by_whom_and_the_urgency_are_kept(client, make, team, clock):
    group, anna, bram, _henk = team
    note = body(called="emergency_112", called_by="me", urgency="high")
    created = record(client, make, group, bram, note).get_json()
    assert (created["called"], created["called_by"], created["urgency"]) == ("emergency_112", "me", "high")
    read = client.get(f"/api/v1/notes/{note['id']}", headers=make.headers(anna)).get_json()
    assert (read["called"], read["called_by"], read["urgency"]) == ("emergency_112", "me", "high")

    # Unsaid: nobody was called, normal urgency.
    plain = record(client, make, group, bram, body()).get_json()
    assert (plain["called"], plain["called_by"], plain["urgency"]) == ("none", None, "normal")


@pytest.mark.parametrize(
    ("field", "value"),
    [("called", "firebrigade"), ("called_by", "neighbour"), ("urgency", "extreme")],
)
def test_saar_values_come_from_their_lists(client, make, app, team, clock, field, value):
    group, _anna, bram, _henk = team
    response = record(client, make, group, bram, body(**{field: value}))
    assert response.status_code == 422
    assert field in errors_of(response)
    assert notes_in_database(app) == 0


# Local time


@pytest.mark.parametrize(
    ("now", "sent", "shown", "stored_utc"),
    [
        (NOW, "2026-11-03T20:25", "2026-11-03T20:25:00+01:00", dt.datetime(2026, 11, 3, 19, 25, tzinfo=dt.UTC)),
        (
            dt.datetime(2026, 7, 1, 19, 0, tzinfo=dt.UTC),
            "2026-07-01T20:25",
            "2026-07-01T20:25:00+02:00",
            dt.datetime(2026, 7, 1, 18, 25, tzinfo=dt.UTC),
        ),
        (NOW, "2026-11-03T19:25:00Z", "2026-11-03T20:25:00+01:00", dt.datetime(2026, 11, 3, 19, 25, tzinfo=dt.UTC)),
    ],
    ids=["winter-naive", "summer-naive", "utc-offset"],
)
def test_a_time_without_offset_is_local_time_in_emmen(client, make, app, team, now, sent, shown, stored_utc):
    group, _anna, bram, _henk = team
    with time_machine.travel(now, tick=False):
        note = body(observed_at=sent)
        created = record(client, make, group, bram, note)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["observed_at"] == shown
    with app.app_context():
        assert db.session().get(Note, uuid.UUID(note["id"])).observed_at == stored_utc


def test_a_local_time_skipped_by_the_clocks_going_forward_is_refused(client, make, app, team):
    group, _anna, bram, _henk = team
    with time_machine.travel(dt.datetime(2026, 3, 29, 8, 0, tzinfo=dt.UTC), tick=False):
        response = record(client, make, group, bram, body(observed_at="2026-03-29T02:30"))
    assert response.status_code == 422
    assert "observed_at" in errors_of(response)
    assert notes_in_database(app) == 0
