"""Times as people in Emmen say them: answers carry the Europe/Amsterdam offset, a time without an
offset is read as Amsterdam time, and a time with one is exactly that moment."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine

from buurtwacht import db
from buurtwacht.models import MembershipRole, Patrol

AMS = ZoneInfo("Europe/Amsterdam")
UTC = dt.UTC


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMS)


class Api:
    def __init__(self, client, make) -> None:
        self.client, self.make = client, make

    def call(self, method: str, path: str, who, json=None):
        return self.client.open(f"/api/v1{path}", method=method, headers=self.make.headers(who), json=json)


@pytest.fixture
def clock():
    """Monday 2 November 2026, 09:00 in Emmen."""
    with time_machine.travel(local(2026, 11, 2, 9), tick=False) as traveller:
        yield traveller


@pytest.fixture
def api(client, make):
    return Api(client, make)


@pytest.fixture
def people(make):
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna)
    bram = make.person("Bram Jansen")
    make.member(group, bram, MembershipRole.VOLUNTEER)
    return {"anna": anna, "group": group, "bram": bram}


def plan(api, people, starts_at: str, ends_at: str) -> dict:
    response = api.call(
        "POST",
        f"/groups/{people['group'].id}/patrols",
        people["anna"],
        {"starts_at": starts_at, "ends_at": ends_at, "meeting_point": "Wijkcentrum"},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def stored(app, patrol_id: str) -> tuple[dt.datetime, dt.datetime]:
    with app.app_context():
        patrol = db.session().get_one(Patrol, uuid.UUID(patrol_id))
        return patrol.starts_at.astimezone(UTC), patrol.ends_at.astimezone(UTC)


def test_a_time_without_offset_is_amsterdam_time_and_answers_say_so(api, app, people, clock):
    winter = plan(api, people, "2026-11-03T20:00", "2026-11-03T22:00")
    summer = plan(api, people, "2027-06-08T20:00", "2027-06-08T22:00")

    assert (winter["starts_at"], winter["ends_at"]) == ("2026-11-03T20:00:00+01:00", "2026-11-03T22:00:00+01:00")
    assert (summer["starts_at"], summer["ends_at"]) == ("2027-06-08T20:00:00+02:00", "2027-06-08T22:00:00+02:00")
    assert stored(app, winter["id"]) == (
        dt.datetime(2026, 11, 3, 19, tzinfo=UTC),
        dt.datetime(2026, 11, 3, 21, tzinfo=UTC),
    )
    assert stored(app, summer["id"]) == (
        dt.datetime(2027, 6, 8, 18, tzinfo=UTC),
        dt.datetime(2027, 6, 8, 20, tzinfo=UTC),
    )
    # Reading it back shows the same local time, for everyone.
    detail = api.call("GET", f"/patrols/{winter['id']}", people["bram"]).get_json()
    assert detail["patrol"]["starts_at"] == "2026-11-03T20:00:00+01:00"


@pytest.mark.parametrize(
    ("sent", "instant", "shown"),
    [
        ("2026-11-03T19:00:00Z", dt.datetime(2026, 11, 3, 19, tzinfo=UTC), "2026-11-03T20:00:00+01:00"),
        ("2026-11-03T19:00:00+00:00", dt.datetime(2026, 11, 3, 19, tzinfo=UTC), "2026-11-03T20:00:00+01:00"),
        ("2026-11-03T20:00:00+01:00", dt.datetime(2026, 11, 3, 19, tzinfo=UTC), "2026-11-03T20:00:00+01:00"),
        ("2026-11-04T00:30:00+05:30", dt.datetime(2026, 11, 3, 19, tzinfo=UTC), "2026-11-03T20:00:00+01:00"),
        ("2026-11-03T14:00:00-05:00", dt.datetime(2026, 11, 3, 19, tzinfo=UTC), "2026-11-03T20:00:00+01:00"),
    ],
)
def test_a_time_with_an_offset_is_exactly_that_moment(api, app, people, clock, sent, instant, shown):
    patrol = plan(api, people, sent, "2026-11-03T22:00")
    assert stored(app, patrol["id"])[0] == instant
    assert patrol["starts_at"] == shown


def test_a_time_that_is_not_a_time_is_refused_and_named(api, app, people, clock):
    for bad in ("morgen om acht", "2026-11-03 8pm", 20261103):
        response = api.call(
            "POST",
            f"/groups/{people['group'].id}/patrols",
            people["anna"],
            {"starts_at": bad, "ends_at": "2026-11-03T22:00", "meeting_point": "Wijkcentrum"},
        )
        assert response.status_code == 422, bad
        assert list(response.get_json()["errors"]["json"]) == ["starts_at"]


def test_moments_of_the_walk_carry_the_local_offset(api, app, people, clock):
    patrol = plan(api, people, "2026-11-03T20:00", "2026-11-03T22:00")
    assert api.call("PUT", f"/patrols/{patrol['id']}/signup", people["bram"]).status_code == 200
    clock.move_to(local(2026, 11, 3, 19, 55))
    checked_in = api.call("POST", f"/patrols/{patrol['id']}/check-in", people["bram"]).get_json()
    assert checked_in["checked_in_at"] == "2026-11-03T19:55:00+01:00"
    clock.move_to(local(2026, 11, 3, 22, 5))
    checked_out = api.call("POST", f"/patrols/{patrol['id']}/check-out", people["bram"]).get_json()
    assert checked_out["checked_out_at"] == "2026-11-03T22:05:00+01:00"

    detail = api.call("GET", f"/patrols/{patrol['id']}", people["anna"]).get_json()
    assert (detail["patrol"]["started_at"], detail["patrol"]["completed_at"]) == (
        "2026-11-03T19:55:00+01:00",
        "2026-11-03T22:05:00+01:00",
    )
    assert detail["team"][0]["checked_in_at"] == "2026-11-03T19:55:00+01:00"


def test_the_period_filter_reads_times_without_offset_as_amsterdam_time(api, app, people, clock):
    """Tuesday's round is 20:00-22:00 local (19:00-21:00 UTC). Read as UTC, 'to 20:00' would
    include it and 'from 22:30' would too; read as Amsterdam time neither does."""
    group = people["group"].id
    tuesday = plan(api, people, "2026-11-03T20:00", "2026-11-03T22:00")
    wednesday = plan(api, people, "2026-11-04T20:00", "2026-11-04T22:00")

    def listed(query: str) -> list[str]:
        response = api.call("GET", f"/groups/{group}/patrols?{query}", people["bram"])
        assert response.status_code == 200, response.get_json()
        return [row["patrol"]["id"] for row in response.get_json()]

    assert listed("to=2026-11-03T20:00") == []
    assert listed("to=2026-11-03T20:01") == [tuesday["id"]]
    assert listed("from=2026-11-03T22:00") == [wednesday["id"]]
    assert listed("from=2026-11-03T21:59") == [tuesday["id"], wednesday["id"]]
    assert listed("from=2026-11-03T00:00&to=2026-11-04T00:00") == [tuesday["id"]]
    # With an offset the filter is that moment: 19:00 UTC is 20:00 in Emmen.
    assert listed("to=2026-11-03T19:00:00%2B00:00") == []
    assert listed("to=2026-11-03T19:01Z") == [tuesday["id"]]


def test_a_filter_time_that_does_not_exist_is_refused_and_named(api, app, people, clock):
    response = api.call("GET", f"/groups/{people['group'].id}/patrols?from=2027-03-28T02:30", people["bram"])
    assert response.status_code == 422
    assert "from" in response.get_json()["errors"]["query"]


def test_the_calendar_feed_setting_shows_local_time(api, app, people, clock):
    made = api.call("POST", "/me/calendar", people["bram"]).get_json()
    assert made["created_at"] == "2026-11-02T09:00:00+01:00"


def test_an_ended_schedule_says_when_in_local_time(api, app, people, clock):
    response = api.call(
        "POST",
        f"/groups/{people['group'].id}/schedules",
        people["anna"],
        {"rrule": "FREQ=WEEKLY;BYDAY=TU", "start_time": "20:00", "end_time": "22:00", "meeting_point": "Wijkcentrum"},
    )
    schedule = response.get_json()
    assert api.call("DELETE", f"/schedules/{schedule['id']}", people["anna"]).status_code == 204
    ended = api.call("GET", f"/schedules/{schedule['id']}", people["anna"]).get_json()
    assert ended["ended_at"] == "2026-11-02T09:00:00+01:00"


def test_the_member_list_says_since_when_in_local_time(api, app, people, clock):
    response = api.call("GET", f"/groups/{people['group'].id}/members", people["anna"])
    assert response.status_code == 200, response.get_json()
    sinces = [m["since"] for m in response.get_json()]
    assert sinces
    for since in sinces:
        moment = dt.datetime.fromisoformat(since)
        assert moment.utcoffset() == moment.astimezone(AMS).utcoffset(), since
