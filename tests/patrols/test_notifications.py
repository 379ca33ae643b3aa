"""What people are told about their rounds: a round called off or moved, a place that came free, a
coordinator's hand on the roster, a swap. Each message is written in the same transaction as the
change (so a refused request tells nobody anything) and reads well in Dutch and in English."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from buurtwacht import db
from buurtwacht.messages import text
from buurtwacht.models import MembershipRole, Notification

AMS = ZoneInfo("Europe/Amsterdam")


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMS)


class Api:
    """Requests as a person; the token is made at the moment of the request (the clock moves)."""

    def __init__(self, client, make) -> None:
        self.client, self.make = client, make

    def call(self, method: str, path: str, who, json=None):
        return self.client.open(f"/api/v1{path}", method=method, headers=self.make.headers(who), json=json)

    def get(self, path, who):
        return self.call("GET", path, who)

    def put(self, path, who, json=None):
        return self.call("PUT", path, who, json)

    def post(self, path, who, json=None):
        return self.call("POST", path, who, json)

    def patch(self, path, who, json=None):
        return self.call("PATCH", path, who, json)

    def delete(self, path, who):
        return self.call("DELETE", path, who)


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
    found = {"anna": anna, "group": group}
    for name in ("Bram Jansen", "Fatima El Amrani", "Henk Bakker"):
        found[name.split()[0].lower()] = make.person(name)
        make.member(group, found[name.split()[0].lower()], MembershipRole.VOLUNTEER)
    found["priya"] = make.person("Priya Ramdin", locale="en")
    make.member(group, found["priya"], MembershipRole.VOLUNTEER)
    return found


@pytest.fixture
def tuesday(api, make, people, clock):
    """Tuesday 3 November, 20:00-22:00, two places: Bram and Fatima are on the team, Henk waits."""
    patrol = make.patrol(people["group"], local(2026, 11, 3, 20), max_team=2)
    for name in ("bram", "fatima", "henk"):
        assert api.put(f"/patrols/{patrol}/signup", people[name]).status_code == 200
        clock.shift(dt.timedelta(minutes=1))
    return str(patrol)


def outbox(app) -> list[tuple[str, str, dict]]:
    """Every queued notification as (whose, kind, params), oldest first."""
    with app.app_context():
        rows = db.session().scalars(select(Notification).order_by(Notification.created_at, Notification.kind))
        return [(str(n.person_id), n.kind, dict(n.params)) for n in rows]


def new_since(app, before: list) -> list[tuple[str, str, dict]]:
    """What was queued after `before` was read (the clock is frozen, so not by time)."""
    rest = list(before)
    added = []
    for row in outbox(app):
        if row in rest:
            rest.remove(row)
        else:
            added.append(row)
    return added


def kinds(app) -> list[tuple[str, str]]:
    return sorted((who, kind) for who, kind, _ in outbox(app))


def pid(someone) -> str:
    return str(someone.id)


# What is queued


def test_calling_off_a_round_tells_the_team_and_the_waiting_list(api, app, people, tuesday):
    response = api.post(f"/patrols/{tuesday}/cancel", people["anna"], {"reason": "Storm: code oranje"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "cancelled"

    queued = outbox(app)
    assert sorted(who for who, _, _ in queued) == sorted(pid(people[n]) for n in ("bram", "fatima", "henk"))
    for _, kind, params in queued:
        assert kind == "patrol.cancelled"
        assert params == {"patrol_id": tuesday, "when": "2026-11-03T19:00:00+00:00", "reason": "Storm: code oranje"}


def test_moving_a_round_tells_everyone_on_it(api, app, people, tuesday):
    response = api.patch(
        f"/patrols/{tuesday}", people["anna"], {"starts_at": "2026-11-03T19:30", "ends_at": "2026-11-03T21:30"}
    )
    assert response.status_code == 200, response.get_json()

    queued = outbox(app)
    assert sorted(who for who, _, _ in queued) == sorted(pid(people[n]) for n in ("bram", "fatima", "henk"))
    assert {(kind, tuple(sorted(params.items()))) for _, kind, params in queued} == {
        (
            "patrol.moved",
            (("old_when", "2026-11-03T19:00:00+00:00"), ("patrol_id", tuesday), ("when", "2026-11-03T18:30:00+00:00")),
        )
    }


def test_changing_only_the_meeting_point_is_not_a_move(api, app, people, tuesday):
    response = api.patch(f"/patrols/{tuesday}", people["anna"], {"briefing": "Let op fietsendiefstal bij het station."})
    assert response.status_code == 200, response.get_json()
    assert [kind for _, kind, _ in outbox(app)] == []


def test_a_place_coming_free_tells_only_the_one_who_gets_it(api, app, people, tuesday):
    assert api.delete(f"/patrols/{tuesday}/signup", people["fatima"]).status_code == 204

    assert outbox(app) == [
        (pid(people["henk"]), "patrol.promoted", {"patrol_id": tuesday, "when": "2026-11-03T19:00:00+00:00"})
    ]
    assert api.get(f"/patrols/{tuesday}", people["henk"]).get_json()["my_status"] == "confirmed"


def test_a_higher_maximum_tells_the_one_who_moves_up(api, app, people, tuesday):
    assert api.patch(f"/patrols/{tuesday}", people["anna"], {"max_team": 3}).status_code == 200

    assert outbox(app) == [
        (pid(people["henk"]), "patrol.promoted", {"patrol_id": tuesday, "when": "2026-11-03T19:00:00+00:00"})
    ]


def test_a_coordinator_taking_someone_off_tells_them_and_the_one_who_moves_up(api, app, people, tuesday):
    assert api.delete(f"/patrols/{tuesday}/team/{people['bram'].id}", people["anna"]).status_code == 204

    assert kinds(app) == sorted([(pid(people["bram"]), "patrol.removed"), (pid(people["henk"]), "patrol.promoted")])


def test_a_coordinator_putting_someone_on_the_team_tells_them(api, app, people, make, clock):
    patrol = str(make.patrol(people["group"], local(2026, 11, 5, 20)))
    response = api.post(f"/patrols/{patrol}/team", people["anna"], {"person_id": pid(people["priya"])})
    assert response.status_code == 200, response.get_json()
    assert outbox(app) == [
        (pid(people["priya"]), "patrol.added", {"patrol_id": patrol, "when": "2026-11-05T19:00:00+00:00"})
    ]

    # Doing it again (a retry) says nothing twice.
    assert api.post(f"/patrols/{patrol}/team", people["anna"], {"person_id": pid(people["priya"])}).status_code == 200
    assert len(outbox(app)) == 1


def test_a_swap_offer_tells_the_receiver_and_its_acceptance_tells_the_offerer(api, app, people, tuesday):
    offer = api.post(f"/patrols/{tuesday}/swaps", people["bram"], {"to_person_id": pid(people["priya"])})
    assert offer.status_code == 201, offer.get_json()
    swap = offer.get_json()["id"]
    offered = outbox(app)
    assert offered == [
        (
            pid(people["priya"]),
            "patrol.swap_offered",
            {"swap_id": swap, "patrol_id": tuesday, "name": "Bram J.", "when": "2026-11-03T19:00:00+00:00"},
        )
    ]

    assert api.post(f"/swaps/{swap}/accept", people["priya"]).status_code == 200
    assert new_since(app, offered) == [
        (
            pid(people["bram"]),
            "patrol.swap_accepted",
            {"swap_id": swap, "patrol_id": tuesday, "name": "Priya R.", "when": "2026-11-03T19:00:00+00:00"},
        )
    ]


# What is not


def test_refused_requests_tell_nobody_anything(api, app, people, tuesday, make):
    anna = people["anna"]
    # Calling off without a reason.
    assert api.post(f"/patrols/{tuesday}/cancel", anna, {}).status_code == 422
    # Moving it so it ends before it starts.
    bad_move = {"starts_at": "2026-11-03T21:00", "ends_at": "2026-11-03T20:00"}
    assert api.patch(f"/patrols/{tuesday}", anna, bad_move).status_code == 422
    # Putting someone on a full team.
    assert api.post(f"/patrols/{tuesday}/team", anna, {"person_id": pid(people["priya"])}).status_code == 409
    # A volunteer trying to call it off.
    assert api.post(f"/patrols/{tuesday}/cancel", people["henk"], {"reason": "Ik heb geen zin"}).status_code == 403
    assert outbox(app) == []

    # Once called off, calling off again or moving it is a conflict, and tells nobody twice.
    assert api.post(f"/patrols/{tuesday}/cancel", anna, {"reason": "Storm: code oranje"}).status_code == 200
    told_once = outbox(app)
    assert len(told_once) == 3
    assert api.post(f"/patrols/{tuesday}/cancel", anna, {"reason": "Nog steeds storm"}).status_code == 409
    moved = {"starts_at": "2026-11-03T19:00", "ends_at": "2026-11-03T21:00"}
    assert api.patch(f"/patrols/{tuesday}", anna, moved).status_code == 409
    assert outbox(app) == told_once


def test_a_two_way_swap_that_cannot_go_through_tells_nobody(api, app, people, tuesday, make, clock):
    """Bram offers Tuesday to Henk for Henk's Wednesday; meanwhile Henk took another round on
    Tuesday evening, so the swap would put him on two rounds at once: 409, and nothing changes."""
    group = people["group"]
    wednesday = make.patrol(group, local(2026, 11, 4, 20))
    assert api.put(f"/patrols/{wednesday}/signup", people["henk"]).status_code == 200
    offer = api.post(
        f"/patrols/{tuesday}/swaps",
        people["bram"],
        {"to_person_id": pid(people["henk"]), "other_patrol_id": str(wednesday)},
    )
    assert offer.status_code == 201, offer.get_json()
    # Henk is only waiting for Tuesday; he withdraws from its list and takes an overlapping round instead.
    assert api.delete(f"/patrols/{tuesday}/signup", people["henk"]).status_code == 204
    clash = make.patrol(group, local(2026, 11, 3, 21))
    assert api.put(f"/patrols/{clash}/signup", people["henk"]).status_code == 200
    before = outbox(app)

    assert api.post(f"/swaps/{offer.get_json()['id']}/accept", people["henk"]).status_code == 409
    assert outbox(app) == before
    assert api.get(f"/patrols/{tuesday}", people["bram"]).get_json()["my_status"] == "confirmed"
    assert api.get(f"/patrols/{wednesday}", people["henk"]).get_json()["my_status"] == "confirmed"


# How it reads


def test_the_texts_read_well_in_both_languages_in_local_time(api, app, people, tuesday):
    assert (
        api.patch(
            f"/patrols/{tuesday}", people["anna"], {"starts_at": "2026-11-03T19:30", "ends_at": "2026-11-03T21:30"}
        ).status_code
        == 200
    )
    _, kind, params = next(n for n in outbox(app) if n[0] == pid(people["henk"]))
    assert text(kind, "nl", **params) == (
        "De ronde van di 3 nov 20:00 is verplaatst naar di 3 nov 19:30. Kun je niet meer? Meld je af in de app."
    )
    assert text(kind, "en", **params) == (
        "The patrol of Tue 3 Nov 20:00 has moved to Tue 3 Nov 19:30. Can't make it now? Withdraw in the app."
    )

    before = outbox(app)
    assert api.post(f"/patrols/{tuesday}/cancel", people["anna"], {"reason": "Storm: code oranje"}).status_code == 200
    _, kind, params = next(n for n in new_since(app, before) if n[0] == pid(people["henk"]))
    assert kind == "patrol.cancelled"
    assert text(kind, "nl", **params) == "De ronde van di 3 nov 19:30 is geannuleerd: Storm: code oranje"
    assert text(kind, "en", **params) == "The patrol of Tue 3 Nov 19:30 is cancelled: Storm: code oranje"


def test_every_patrol_message_reads_in_summer_time_too(api, app, people, make, clock):
    """A promotion in June: 20:00 on the clock is 18:00 UTC, and the message says 20:00."""
    clock.move_to(local(2027, 6, 1, 9))
    patrol = str(make.patrol(people["group"], local(2027, 6, 8, 20), max_team=1))
    assert api.put(f"/patrols/{patrol}/signup", people["bram"]).status_code == 200
    assert api.put(f"/patrols/{patrol}/signup", people["priya"]).status_code == 200
    assert api.delete(f"/patrols/{patrol}/signup", people["bram"]).status_code == 204

    [(who, kind, params)] = outbox(app)
    assert (who, kind, params["when"]) == (pid(people["priya"]), "patrol.promoted", "2027-06-08T18:00:00+00:00")
    assert text(kind, "en", **params) == "A place came free: you are on the team for the patrol of Tue 8 Jun 20:00."
    assert text(kind, "nl", **params) == "Er is een plek vrijgekomen: je loopt mee met de ronde van di 8 jun 20:00."


@pytest.mark.parametrize("locale", ["nl", "en"])
@pytest.mark.parametrize(
    "kind",
    ["patrol.cancelled", "patrol.moved", "patrol.promoted", "patrol.added", "patrol.removed", "patrol.swap_offered",
     "patrol.swap_accepted"],
)  # fmt: skip
def test_every_roster_message_has_both_languages_and_shows_the_local_time(kind, locale):
    params = {
        "patrol_id": "x", "when": "2026-11-03T19:00:00+00:00", "old_when": "2026-11-02T19:00:00+00:00",
        "reason": "Storm", "name": "Bram J.",
    }  # fmt: skip
    rendered = text(kind, locale, **params)
    assert ("di 3 nov 20:00" if locale == "nl" else "Tue 3 Nov 20:00") in rendered
    assert "{" not in rendered and "19:00" not in rendered


def test_a_round_called_off_by_a_schedule_change_reads_in_english_for_an_english_speaker(api, app, people, clock):
    schedule = api.post(
        f"/groups/{people['group'].id}/schedules",
        people["anna"],
        {
            "rrule": "FREQ=WEEKLY;BYDAY=TU,FR",
            "start_time": "20:00",
            "end_time": "22:00",
            "meeting_point": "Wijkcentrum",
        },
    ).get_json()
    rows = api.get(f"/groups/{people['group'].id}/patrols?page_size=100", people["anna"]).get_json()
    friday = next(r["patrol"]["id"] for r in rows if r["patrol"]["starts_at"].startswith("2026-11-06"))
    assert api.put(f"/patrols/{friday}/signup", people["priya"]).status_code == 200
    assert (
        api.patch(f"/schedules/{schedule['id']}", people["anna"], {"rrule": "FREQ=WEEKLY;BYDAY=TU"}).status_code == 200
    )

    [(who, kind, params)] = outbox(app)
    assert (who, kind) == (pid(people["priya"]), "patrol.cancelled")
    assert text(kind, "en", **params) == "The patrol of Fri 6 Nov 20:00 is cancelled: the schedule has changed"
