"""A coordinator previews the rounds a schedule would make before creating it: the same rounds, at 20:00 on both
sides of the March change, checked as creating it would be, and nothing stored."""

from __future__ import annotations

import time_machine

from buurtwacht.models import MembershipRole

BODY = {
    "rrule": "FREQ=WEEKLY;BYDAY=TU",
    "start_time": "20:00",
    "end_time": "22:00",
    "meeting_point": "Wijkcentrum De Kolk",
    "starts_on": "2027-03-15",
    "ends_on": "2027-04-06",
}


def preview(client, make, person, group, body=BODY):
    return client.post(f"/api/v1/groups/{group.id}/schedules/preview", json=body, headers=make.headers(person))


def test_the_preview_shows_the_rounds_at_eight_on_both_sides_of_summer_time(client, make):
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna)
    with time_machine.travel("2027-03-10T09:00:00+01:00", tick=False):
        answer = preview(client, make, anna, group)
        assert answer.status_code == 200, answer.get_json()
        assert [(r["starts_at"], r["ends_at"], r["made_at_once"]) for r in answer.get_json()] == [
            ("2027-03-16T20:00:00+01:00", "2027-03-16T22:00:00+01:00", True),
            ("2027-03-23T20:00:00+01:00", "2027-03-23T22:00:00+01:00", True),
            ("2027-03-30T20:00:00+02:00", "2027-03-30T22:00:00+02:00", True),
            ("2027-04-06T20:00:00+02:00", "2027-04-06T22:00:00+02:00", True),
        ]
        # Nothing was stored; creating it then makes exactly these rounds.
        listed = client.get(f"/api/v1/groups/{group.id}/schedules", headers=make.headers(anna)).get_json()
        assert listed == []
        created = client.post(f"/api/v1/groups/{group.id}/schedules", json=BODY, headers=make.headers(anna))
        assert created.status_code == 201
        rounds = client.get(f"/api/v1/groups/{group.id}/patrols", headers=make.headers(anna)).get_json()
        assert [r["patrol"]["starts_at"] for r in rounds] == [r["starts_at"] for r in answer.get_json()]


def test_rounds_beyond_the_weeks_ahead_come_later(client, make):
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna)
    with time_machine.travel("2027-01-04T09:00:00+01:00", tick=False):
        answer = preview(client, make, anna, group, {**BODY, "starts_on": "2027-01-18", "ends_on": None})
    rounds = answer.get_json()
    # Six weeks from its first day; the group keeps six weeks from today, so the last two are made later.
    assert [(r["occurrence"], r["made_at_once"]) for r in rounds] == [
        ("2027-01-19", True),
        ("2027-01-26", True),
        ("2027-02-02", True),
        ("2027-02-09", True),
        ("2027-02-16", False),
        ("2027-02-23", False),
    ]


def test_a_bad_rule_is_refused_as_on_creation(client, make):
    anna = make.person("Anna de Vries", locale="en")
    group = make.group(coordinator=anna)
    answer = preview(client, make, anna, group, {**BODY, "rrule": "FREQ=SECONDLY"})
    assert answer.status_code == 422
    assert "rrule" in answer.get_json()["errors"]["json"]


def test_only_coordinators_preview(client, make):
    anna = make.person("Anna de Vries")
    bram = make.person("Bram Jansen")
    group = make.group(coordinator=anna)
    make.member(group, bram, MembershipRole.VOLUNTEER)
    assert preview(client, make, bram, group).status_code == 403
    assert preview(client, make, make.person("Buiten Staander"), group).status_code == 404
