"""Summer and winter time: a weekly round keeps its local time on the last Sunday of March and of
October, a night round across the change lasts as long as the clock says, and a time that does not
exist (or exists twice) in Europe/Amsterdam is treated as people would expect."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from buurtwacht.models import MembershipRole

AMS = ZoneInfo("Europe/Amsterdam")
UTC = dt.UTC


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMS)


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def instant(text: str) -> dt.datetime:
    """What a phone makes of a time in an answer: the moment itself, in UTC."""
    return dt.datetime.fromisoformat(text).astimezone(UTC)


@pytest.fixture
def anna(make):
    return make.person("Anna de Vries")


@pytest.fixture
def group(make, anna):
    group = make.group(coordinator=anna, name="Buurtpreventie Angelslo")
    make.member(group, make.person("Bram Jansen"), MembershipRole.VOLUNTEER)
    return group


def plan(client, make, coordinator, group, rrule: str, start: str, end: str):
    response = client.post(
        f"/api/v1/groups/{group.id}/schedules",
        json={"rrule": rrule, "start_time": start, "end_time": end, "meeting_point": "Wijkcentrum Angelslo"},
        headers=make.headers(coordinator),
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def roster(client, make, coordinator, group) -> list[tuple[str, str]]:
    response = client.get(f"/api/v1/groups/{group.id}/patrols?page_size=100", headers=make.headers(coordinator))
    assert response.status_code == 200, response.get_json()
    return [(row["patrol"]["starts_at"], row["patrol"]["ends_at"]) for row in response.get_json()]


def test_sunday_evening_round_stays_at_eight_when_summer_time_starts(client, make, anna, group):
    # Sunday 15 March 2026, winter time: Anna plans every Sunday evening, 20:00-22:00.
    with time_machine.travel(local(2026, 3, 15, 10), tick=False):
        plan(client, make, anna, group, "FREQ=WEEKLY;BYDAY=SU", "20:00", "22:00")
        rounds = roster(client, make, anna, group)

    # Six weeks ahead: 15 March up to and including 26 April, every one at 20:00 on the clock.
    assert rounds == [
        ("2026-03-15T20:00:00+01:00", "2026-03-15T22:00:00+01:00"),
        ("2026-03-22T20:00:00+01:00", "2026-03-22T22:00:00+01:00"),
        ("2026-03-29T20:00:00+02:00", "2026-03-29T22:00:00+02:00"),  # the clocks went forward that night
        ("2026-04-05T20:00:00+02:00", "2026-04-05T22:00:00+02:00"),
        ("2026-04-12T20:00:00+02:00", "2026-04-12T22:00:00+02:00"),
        ("2026-04-19T20:00:00+02:00", "2026-04-19T22:00:00+02:00"),
        ("2026-04-26T20:00:00+02:00", "2026-04-26T22:00:00+02:00"),
    ]
    # The moment itself moves an hour earlier in UTC, so the clock on the wall stays put.
    assert instant(rounds[1][0]) == utc(2026, 3, 22, 19)
    assert instant(rounds[2][0]) == utc(2026, 3, 29, 18)
    # Each round is still two real hours long.
    assert {instant(end) - instant(start) for start, end in rounds} == {dt.timedelta(hours=2)}


def test_sunday_evening_round_stays_at_eight_when_winter_time_starts(client, make, anna, group):
    # Sunday 11 October 2026, summer time.
    with time_machine.travel(local(2026, 10, 11, 10), tick=False):
        plan(client, make, anna, group, "FREQ=WEEKLY;BYDAY=SU", "20:00", "22:00")
        rounds = roster(client, make, anna, group)

    starts = [start for start, _ in rounds]
    assert starts == [
        "2026-10-11T20:00:00+02:00",
        "2026-10-18T20:00:00+02:00",
        "2026-10-25T20:00:00+01:00",  # the clocks went back that night
        "2026-11-01T20:00:00+01:00",
        "2026-11-08T20:00:00+01:00",
        "2026-11-15T20:00:00+01:00",
        "2026-11-22T20:00:00+01:00",
    ]
    assert instant(starts[1]) == utc(2026, 10, 18, 18)
    assert instant(starts[2]) == utc(2026, 10, 25, 19)
    assert rounds[2][1] == "2026-10-25T22:00:00+01:00"


def test_a_night_round_across_the_autumn_change_walks_an_extra_real_hour(client, make, anna, group):
    # Saturday 17 October 2026: a late round every Saturday, 23:00 until 03:00 the next morning.
    with time_machine.travel(local(2026, 10, 17, 10), tick=False):
        plan(client, make, anna, group, "FREQ=WEEKLY;BYDAY=SA", "23:00", "03:00")
        rounds = roster(client, make, anna, group)

    before, across, after = rounds[0], rounds[1], rounds[2]
    assert before == ("2026-10-17T23:00:00+02:00", "2026-10-18T03:00:00+02:00")
    assert across == ("2026-10-24T23:00:00+02:00", "2026-10-25T03:00:00+01:00")
    assert after == ("2026-10-31T23:00:00+01:00", "2026-11-01T03:00:00+01:00")
    # Four hours on the clock; five real hours on the night the clocks go back.
    assert instant(before[1]) - instant(before[0]) == dt.timedelta(hours=4)
    assert (instant(across[0]), instant(across[1])) == (utc(2026, 10, 24, 21), utc(2026, 10, 25, 2))
    assert instant(after[1]) - instant(after[0]) == dt.timedelta(hours=4)


def test_a_night_round_until_two_ends_the_first_time_the_clock_says_two(client, make, anna, group):
    """22:00-02:00 on the night of 24-25 October: 02:00 happens twice. Like a one-off time and like
    an iCalendar DTEND;TZID (RFC 5545), the round ends at the first 02:00 (summer time)."""
    with time_machine.travel(local(2026, 10, 17, 10), tick=False):
        plan(client, make, anna, group, "FREQ=WEEKLY;BYDAY=SA", "22:00", "02:00")
        rounds = roster(client, make, anna, group)

    assert rounds[0] == ("2026-10-17T22:00:00+02:00", "2026-10-18T02:00:00+02:00")
    assert rounds[1] == ("2026-10-24T22:00:00+02:00", "2026-10-25T02:00:00+02:00")
    assert rounds[2] == ("2026-10-31T22:00:00+01:00", "2026-11-01T02:00:00+01:00")
    assert (instant(rounds[1][0]), instant(rounds[1][1])) == (utc(2026, 10, 24, 20), utc(2026, 10, 25, 0))


def test_a_night_round_on_the_spring_change_ends_when_the_clock_jumps(client, make, anna, group):
    """22:00-02:00 on the night of 28-29 March: at 02:00 the clock jumps to 03:00, so the round
    ends at 03:00 summer time, after the same four real hours."""
    with time_machine.travel(local(2026, 3, 21, 10), tick=False):
        plan(client, make, anna, group, "FREQ=WEEKLY;BYDAY=SA", "22:00", "02:00")
        rounds = roster(client, make, anna, group)

    assert rounds[1] == ("2026-03-28T22:00:00+01:00", "2026-03-29T03:00:00+02:00")
    assert instant(rounds[1][1]) - instant(rounds[1][0]) == dt.timedelta(hours=4)
    assert rounds[2] == ("2026-04-04T22:00:00+02:00", "2026-04-05T02:00:00+02:00")


def test_a_one_off_round_at_a_time_that_does_not_exist_is_refused(client, make, anna, group):
    with time_machine.travel(local(2026, 3, 20, 10), tick=False):
        response = client.post(
            f"/api/v1/groups/{group.id}/patrols",
            json={"starts_at": "2026-03-29T02:30", "ends_at": "2026-03-29T04:30", "meeting_point": "Wijkcentrum"},
            headers=make.headers(anna),
        )
        assert response.status_code == 422
        assert "starts_at" in response.get_json()["errors"]["json"]
        assert roster(client, make, anna, group) == []


def test_a_one_off_round_in_the_repeated_hour_asks_which_of_the_two(client, make, anna, group):
    with time_machine.travel(local(2026, 10, 20, 10), tick=False):
        response = client.post(
            f"/api/v1/groups/{group.id}/patrols",
            json={"starts_at": "2026-10-25T02:30", "ends_at": "2026-10-25T04:00", "meeting_point": "Wijkcentrum"},
            headers=make.headers(anna),
        )
        assert response.status_code == 422, response.get_json()
        [reason] = response.get_json()["errors"]["json"]["starts_at"]
        assert "twee keer voor" in reason
        assert "2026-10-25T02:30:00+02:00 (zomertijd, de eerste)" in reason
        assert "2026-10-25T02:30:00+01:00 (wintertijd, de tweede)" in reason
        assert roster(client, make, anna, group) == []

        first = client.post(
            f"/api/v1/groups/{group.id}/patrols",
            json={"starts_at": "2026-10-25T02:30+02:00", "ends_at": "2026-10-25T04:00", "meeting_point": "Wijkcentrum"},
            headers=make.headers(anna),
        )
        assert first.status_code == 201, first.get_json()
        patrol = first.get_json()
    assert patrol["starts_at"] == "2026-10-25T02:30:00+02:00"
    assert instant(patrol["starts_at"]) == utc(2026, 10, 25, 0, 30)
    assert patrol["ends_at"] == "2026-10-25T04:00:00+01:00"
    # The second 02:30, said with its offset.
    with time_machine.travel(local(2026, 10, 20, 10), tick=False):
        second = client.post(
            f"/api/v1/groups/{group.id}/patrols",
            json={"starts_at": "2026-10-25T02:30+01:00", "ends_at": "2026-10-25T04:00", "meeting_point": "Wijkcentrum"},
            headers=make.headers(anna),
        )
        assert second.status_code == 201, second.get_json()
        assert instant(second.get_json()["starts_at"]) == utc(2026, 10, 25, 1, 30)
