"""The roster, "my patrols" and a patrol with its team, read from Core rows, answer what the ORM-and-schema
reads answered, to the byte.

A group in the week the clocks go back holds a patrol of every kind a reader can meet: one across
the DST change and one across midnight, a full one with a waiting list, one short of its minimum,
one cancelled by a coordinator and one by a schedule change (its reason in each reader's language),
a running and a completed one, one the reader withdrew from, one a schedule made in a sub-area,
one too far ahead to sign up for yet, and one in another group; teams with waiting lists, check-ins
and a no-show. Every filter, page, patrol and reader (outsiders and an admin too) is
asked twice: through the reads as first written (tests/reference_reads.py) and as the app answers
now. Status, body and the pagination, ETag and Link headers must be the same.
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

from buurtwacht import db
from buurtwacht.messages import text
from buurtwacht.models import MembershipRole, Patrol, PatrolSchedule, PatrolSignup, PatrolStatus, SignupStatus
from buurtwacht.schedules.service import SCHEDULE_CHANGED
from tests import reference_reads
from tests.factories import Factory, GroupRef, Someone

AMS = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 10, 20, 12, tzinfo=AMS)  # a Tuesday; the clocks go back on Sunday 25 October
HEADERS = ("Content-Type", "X-Pagination", "ETag", "Link")


def utc(day: int, hour: int, minute: int = 0, month: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def week(app: Flask, make: Factory, clock: None) -> dict[str, Any]:
    anna = make.person("Anna de Vries")  # coordinator, reads Dutch
    bram = make.person("Bram van der Berg", locale="en")  # volunteer, reads English
    carla, dirk, eva = (make.person(name) for name in ("Carla Smit", "Dirk Mulder", "Eva"))
    koen = make.person("Koen Visser")  # the wijkagent
    outsider, admin = make.person("Olga Buiten"), make.person("Ad Min", admin=True)
    group = make.group(coordinator=anna)
    for volunteer in (bram, carla, dirk, eva):
        make.member(group, volunteer, MembershipRole.VOLUNTEER)
    make.officer(koen, "bargeres")
    other = make.group("emmerhout")
    make.member(other, bram, MembershipRole.VOLUNTEER)
    with app.app_context():
        session = db.session()
        schedule = PatrolSchedule(
            group_id=group.id, rrule="FREQ=WEEKLY;BYDAY=TH", starts_on=dt.date(2026, 10, 1),
            start_time=dt.time(20), duration_minutes=120, meeting_point="Kerkplein", route=None,
            area_id=group.area_id, min_team=2, max_team=4, briefing="",
        )  # fmt: skip
        session.add(schedule)
        session.flush()
        made = {
            # 01:30 summer time to 02:30 winter time: two hours across the change.
            "across_dst": _patrol(group, utc(24, 23, 30), utc(25, 1, 30), route="Bargeresstraat, park"),
            "across_midnight": _patrol(group, utc(22, 21), utc(22, 23, 30), briefing="Let op\nfietsen"),
            "full": _patrol(group, utc(21, 18), utc(21, 20), max_team=2),
            "short": _patrol(group, utc(23, 18), utc(23, 20), min_team=3),
            "cancelled": _patrol(
                group, utc(26, 19), utc(26, 21), status=PatrolStatus.CANCELLED, cancel_reason="Storm op komst"
            ),
            "schedule_changed": _patrol(
                group,
                utc(27, 19),
                utc(27, 21),
                status=PatrolStatus.CANCELLED,
                cancel_reason=text(SCHEDULE_CHANGED, "nl"),
                cancel_reason_key=SCHEDULE_CHANGED,
            ),
            "running": _patrol(
                group, utc(20, 9), utc(20, 11, 30), status=PatrolStatus.RUNNING, started_at=utc(20, 9, 5)
            ),
            "completed": _patrol(
                group,
                utc(19, 18),
                utc(19, 20),
                status=PatrolStatus.COMPLETED,
                started_at=utc(19, 17, 55) + dt.timedelta(microseconds=123456),
                completed_at=utc(19, 20, 1),
            ),
            "withdrawn": _patrol(group, utc(28, 18), utc(28, 20)),
            "scheduled": _patrol(
                group,
                utc(29, 19),
                utc(29, 21),
                schedule_id=schedule.id,
                area_id=group.area_id,
                meeting_point="Kerkplein",
            ),
            "far_ahead": _patrol(group, utc(28, 19, month=11), utc(28, 21, month=11)),
            "elsewhere": _patrol(other, utc(24, 19), utc(24, 21)),
        }
        session.add_all(made.values())
        session.flush()
        # (patrol, person, place, minutes before now they joined, what happened on the street)
        signups: list[tuple[str, Someone, SignupStatus, int, dict[str, Any]]] = [
            ("full", anna, SignupStatus.CONFIRMED, 50, {}),
            ("full", carla, SignupStatus.CONFIRMED, 40, {}),
            ("full", bram, SignupStatus.WAITLISTED, 10, {}),
            ("full", dirk, SignupStatus.WAITLISTED, 20, {}),  # joined the waiting list before Bram
            ("short", bram, SignupStatus.CONFIRMED, 5, {}),
            ("across_dst", bram, SignupStatus.CONFIRMED, 5, {}),
            ("across_dst", eva, SignupStatus.CONFIRMED, 5, {}),
            ("across_midnight", carla, SignupStatus.CONFIRMED, 5, {}),
            ("running", bram, SignupStatus.CONFIRMED, 90, {"checked_in_at": utc(20, 9, 5)}),
            ("running", dirk, SignupStatus.CONFIRMED, 80, {"no_show": True}),
            ("running", carla, SignupStatus.WITHDRAWN, 70, {}),
            (
                "completed",
                bram,
                SignupStatus.CONFIRMED,
                900,
                {"checked_in_at": utc(19, 17, 55), "checked_out_at": utc(19, 20, 1)},
            ),
            ("schedule_changed", bram, SignupStatus.REMOVED, 5, {}),
            ("withdrawn", bram, SignupStatus.WITHDRAWN, 5, {}),
            ("withdrawn", eva, SignupStatus.CONFIRMED, 5, {}),
            ("scheduled", anna, SignupStatus.CONFIRMED, 5, {}),
            ("elsewhere", bram, SignupStatus.CONFIRMED, 5, {}),
        ]
        for name, person, status, minutes, street in signups:
            session.add(
                PatrolSignup(
                    patrol_id=made[name].id, person_id=person.id, status=status,
                    queued_at=NOW - dt.timedelta(minutes=minutes), **street,
                )
            )  # fmt: skip
        session.commit()
        ids = {name: patrol.id for name, patrol in made.items()}
    people = {"anna": anna, "bram": bram, "carla": carla, "eva": eva, "koen": koen, "olga": outsider, "ad": admin}
    return {"group": group, "other": other, "ids": ids, **people}


def _patrol(group: GroupRef, starts_at: dt.datetime, ends_at: dt.datetime, **fields: Any) -> Patrol:
    values: dict[str, Any] = {"meeting_point": "Wijkcentrum De Kolk", "min_team": 2, "max_team": 4, "briefing": ""}
    values.update(fields)
    return Patrol(
        group_id=group.id, starts_at=starts_at, ends_at=ends_at, status=values.pop("status", PatrolStatus.PLANNED),
        **values,
    )  # fmt: skip


@contextlib.contextmanager
def _as_first_written(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with monkeypatch.context() as patched:
        for owner, name, old in reference_reads.patches():
            patched.setattr(owner, name, old)
        yield


def _forget(app: Flask) -> None:
    cache = app.extensions.get("buurtwacht.readcache")
    if cache is not None:
        cache.drop_everything()
    reference_reads.forget_signed_in(app)


def _same_answer(
    app: Flask, client: FlaskClient, make: Factory, monkeypatch: pytest.MonkeyPatch, path: str, who: Someone
) -> Any:
    _forget(app)
    with _as_first_written(app, monkeypatch):
        before = client.get(f"/api/v1{path}", headers=make.headers(who))
    _forget(app)
    now = client.get(f"/api/v1{path}", headers=make.headers(who))
    where = f"GET {path} as {who.name}"
    assert now.status_code == before.status_code, where
    assert now.get_json() == before.get_json(), where
    assert now.get_data() == before.get_data(), where
    for header in HEADERS:
        assert now.headers.get(header) == before.headers.get(header), f"{where}: {header}"
    return now


ROSTER_QUERIES = [
    "",
    "?from=2026-10-22T00:00",
    "?to=2026-10-25T02:30%2B01:00",
    "?from=2026-10-21T20:00&to=2026-10-28T00:00",
    "?status=planned",
    "?status=cancelled",
    "?status=running",
    "?open=true",
    "?open=false",
    "?short=true",
    "?open=true&short=true",
    "?status=planned&short=true&from=2026-10-23T00:00",
    "?page_size=3",
    "?page_size=3&page=2",
    "?page_size=5&page=3",
    "?page_size=3&page=40",
    "?page_size=100&page=30000000",
]


@pytest.mark.parametrize("query", ROSTER_QUERIES)
def test_the_roster_answers_every_reader_as_before(
    app: Flask, client: FlaskClient, make: Factory, monkeypatch: pytest.MonkeyPatch, week: dict[str, Any], query: str
) -> None:
    for who in ("anna", "bram", "koen"):
        _same_answer(app, client, make, monkeypatch, f"/groups/{week['group'].id}/patrols{query}", week[who])


def test_the_roster_shows_times_counts_and_reasons_as_readers_see_them(
    app: Flask, client: FlaskClient, make: Factory, monkeypatch: pytest.MonkeyPatch, week: dict[str, Any]
) -> None:
    path = f"/groups/{week['group'].id}/patrols"
    answer = _same_answer(app, client, make, monkeypatch, path, week["bram"])
    listed = {row["patrol"]["id"]: row for row in answer.get_json()}
    ids = {name: str(patrol_id) for name, patrol_id in week["ids"].items()}
    assert len(listed) == 11 and ids["elsewhere"] not in listed
    across = listed[ids["across_dst"]]["patrol"]
    assert (across["starts_at"], across["ends_at"]) == ("2026-10-25T01:30:00+02:00", "2026-10-25T02:30:00+01:00")
    midnight = listed[ids["across_midnight"]]["patrol"]
    assert (midnight["starts_at"], midnight["ends_at"]) == ("2026-10-22T23:00:00+02:00", "2026-10-23T01:30:00+02:00")
    full = listed[ids["full"]]
    assert (full["confirmed"], full["waitlisted"], full["places_left"], full["my_status"]) == (2, 2, 0, "waitlisted")
    assert listed[ids["short"]]["short_of_minimum"] is True
    assert listed[ids["withdrawn"]]["my_status"] == "withdrawn"
    assert (
        listed[ids["schedule_changed"]]["patrol"]["cancel_reason"] != "Het rooster is gewijzigd"
    )  # Bram reads English
    assert listed[ids["completed"]]["patrol"]["started_at"] == "2026-10-19T19:55:00.123456+02:00"
    assert (
        answer.headers["X-Pagination"] == '{"total": 11, "total_pages": 1, "first_page": 1, "last_page": 1, "page": 1}'
    )
    dutch = _same_answer(app, client, make, monkeypatch, f"{path}?status=cancelled", week["anna"]).get_json()
    assert [row["patrol"]["cancel_reason"] for row in dutch] == ["Storm op komst", text(SCHEDULE_CHANGED, "nl")]


MY_QUERIES = ["", "?page_size=1", "?page_size=2&page=2", "?page_size=2&page=9", "?page_size=100&page=30000000"]


@pytest.mark.parametrize("query", MY_QUERIES)
def test_my_patrols_answer_as_before(
    app: Flask, client: FlaskClient, make: Factory, monkeypatch: pytest.MonkeyPatch, week: dict[str, Any], query: str
) -> None:
    for who in ("anna", "bram", "carla", "koen"):
        _same_answer(app, client, make, monkeypatch, f"/me/patrols{query}", week[who])


def test_my_patrols_are_the_ones_i_hold_a_place_on_in_every_group(
    app: Flask, client: FlaskClient, make: Factory, monkeypatch: pytest.MonkeyPatch, week: dict[str, Any]
) -> None:
    mine = _same_answer(app, client, make, monkeypatch, "/me/patrols", week["bram"]).get_json()
    names = {str(patrol_id): name for name, patrol_id in week["ids"].items()}
    assert [names[row["patrol"]["id"]] for row in mine] == [
        "running", "full", "short", "elsewhere", "across_dst",
    ]  # fmt: skip
    assert [row["group_name"] for row in mine][3] == week["other"].name


PATROLS = [
    "across_dst", "across_midnight", "full", "short", "cancelled", "schedule_changed", "running", "completed",
    "withdrawn", "scheduled", "far_ahead", "elsewhere",
]  # fmt: skip


@pytest.mark.parametrize("patrol", PATROLS)
def test_a_patrol_with_its_team_answers_every_reader_as_before(
    app: Flask, client: FlaskClient, make: Factory, monkeypatch: pytest.MonkeyPatch, week: dict[str, Any], patrol: str
) -> None:
    for who in ("anna", "bram", "eva", "koen", "olga", "ad"):
        _same_answer(app, client, make, monkeypatch, f"/patrols/{week['ids'][patrol]}", week[who])


def test_a_patrol_nobody_has_is_not_found_as_before(
    app: Flask, client: FlaskClient, make: Factory, monkeypatch: pytest.MonkeyPatch, week: dict[str, Any]
) -> None:
    answer = _same_answer(app, client, make, monkeypatch, f"/patrols/{uuid.uuid4()}", week["anna"])
    assert answer.status_code == 404


def test_the_team_shows_names_places_and_the_street_as_each_reader_may_see_them(
    app: Flask, client: FlaskClient, make: Factory, monkeypatch: pytest.MonkeyPatch, week: dict[str, Any]
) -> None:
    full = f"/patrols/{week['ids']['full']}"
    as_bram = _same_answer(app, client, make, monkeypatch, full, week["bram"]).get_json()
    assert [(m["name"], m["status"]) for m in as_bram["team"]] == [
        ("Anna V.", "confirmed"), ("Carla S.", "confirmed"), ("Dirk M.", "waitlisted"),
        ("Bram van der Berg", "waitlisted"),
    ]  # fmt: skip
    assert (as_bram["confirmed"], as_bram["waitlisted"], as_bram["my_status"]) == (2, 2, "waitlisted")
    as_anna = _same_answer(app, client, make, monkeypatch, full, week["anna"]).get_json()
    assert [m["name"] for m in as_anna["team"]] == ["Anna de Vries", "Carla Smit", "Dirk Mulder", "Bram van der Berg"]
    running = _same_answer(app, client, make, monkeypatch, f"/patrols/{week['ids']['running']}", week["koen"])
    team = running.get_json()["team"]
    assert [(m["name"], m["checked_in_at"], m["no_show"]) for m in team] == [
        ("Bram B.", "2026-10-20T11:05:00+02:00", False), ("Dirk M.", None, True),
    ]  # fmt: skip
    assert _same_answer(app, client, make, monkeypatch, full, week["ad"]).status_code == 403
    assert _same_answer(app, client, make, monkeypatch, full, week["olga"]).status_code == 404
    alone = _same_answer(app, client, make, monkeypatch, f"/patrols/{week['ids']['far_ahead']}", week["eva"])
    assert alone.get_json()["team"] == [] and alone.get_json()["my_status"] is None
