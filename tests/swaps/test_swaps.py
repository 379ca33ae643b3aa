"""Two volunteers swap: Bram cannot make Friday and offers his place to Fatima, who accepts or
declines; he may take hers in return. Until she accepts he keeps his place; a refusal changes nothing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from buurtwacht.models import MembershipRole

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
    found = {"anna": anna, "group": group, "priya": make.person("Priya Ramdin")}
    for name in ("Bram Jansen", "Fatima El Amrani", "Henk Bakker", "Sanne Mulder"):
        found[name.split()[0].lower()] = make.person(name)
        make.member(group, found[name.split()[0].lower()], MembershipRole.VOLUNTEER)
    return found


@pytest.fixture
def friday(api, make, people, clock):
    """Friday 6 November, 20:00-22:00: Bram and Henk are on the team, Sanne waits."""
    patrol = make.patrol(people["group"], local(2026, 11, 6, 20), max_team=2)
    for name in ("bram", "henk", "sanne"):
        assert api.put(f"/patrols/{patrol}/signup", people[name]).status_code == 200
        clock.shift(dt.timedelta(minutes=1))
    return patrol


def team(api, people, patrol_id) -> list[tuple[str, str]]:
    response = api.get(f"/patrols/{patrol_id}", people["anna"])
    assert response.status_code == 200, response.get_json()
    return [(m["name"], m["status"]) for m in response.get_json()["team"]]


def swaps(api, who) -> list[tuple[str, str]]:
    return [(s["id"], s["status"]) for s in api.get("/me/swaps", who).get_json()]


def offer(api, patrol_id, giver, taker, other_patrol_id=None):
    body = {"to_person_id": str(taker.id)}
    if other_patrol_id is not None:
        body["other_patrol_id"] = str(other_patrol_id)
    return api.post(f"/patrols/{patrol_id}/swaps", giver, json=body)


def everything(api, people, *patrols) -> tuple:
    """What the coordinator and the swappers see: the rosters and both lists of swaps."""
    return (
        [team(api, people, p) for p in patrols],
        swaps(api, people["bram"]),
        swaps(api, people["fatima"]),
    )


def test_bram_offers_his_place_to_fatima_and_she_takes_it(api, people, friday):
    bram, fatima = people["bram"], people["fatima"]
    offered = offer(api, friday, bram, fatima)
    assert offered.status_code == 201
    swap = offered.get_json()
    assert (swap["patrol_id"], swap["from_person_id"], swap["to_person_id"]) == (
        str(friday),
        str(bram.id),
        str(fatima.id),
    )
    assert (swap["status"], swap["other_patrol_id"], swap["decided_at"]) == ("offered", None, None)
    assert swaps(api, bram) == swaps(api, fatima) == [(swap["id"], "offered")]
    # Until Fatima answers, Bram keeps his place.
    assert ("Bram Jansen", "confirmed") in team(api, people, friday)

    # Offering the same place twice is refused, pointing at the open offer.
    twice = offer(api, friday, bram, people["henk"])
    assert twice.status_code == 409
    assert twice.get_json()["errors"]["swap"]["id"] == [swap["id"]]

    accepted = api.post(f"/swaps/{swap['id']}/accept", fatima)
    assert accepted.status_code == 200
    assert accepted.get_json()["status"] == "accepted"
    assert accepted.get_json()["decided_at"] is not None
    assert sorted(team(api, people, friday)) == [
        ("Fatima El Amrani", "confirmed"),
        ("Henk Bakker", "confirmed"),
        ("Sanne Mulder", "waitlisted"),
    ]
    assert api.get("/me/patrols", bram).get_json() == []
    assert [p["patrol"]["id"] for p in api.get("/me/patrols", fatima).get_json()] == [str(friday)]
    assert api.get(f"/patrols/{friday}", bram).get_json()["my_status"] == "swapped"
    assert swaps(api, bram) == swaps(api, fatima) == [(swap["id"], "accepted")]

    # Accepting twice changes nothing.
    before = everything(api, people, friday)
    assert api.post(f"/swaps/{swap['id']}/accept", fatima).status_code == 409
    assert everything(api, people, friday) == before


def test_a_two_way_swap_trades_places_on_two_patrols(api, make, people, friday, clock):
    bram, fatima = people["bram"], people["fatima"]
    tuesday = make.patrol(people["group"], local(2026, 11, 10, 20), max_team=2)
    api.put(f"/patrols/{tuesday}/signup", fatima)

    swap = offer(api, friday, bram, fatima, other_patrol_id=tuesday).get_json()
    assert swap["other_patrol_id"] == str(tuesday)
    accepted = api.post(f"/swaps/{swap['id']}/accept", fatima)
    assert accepted.status_code == 200

    assert ("Fatima El Amrani", "confirmed") in team(api, people, friday)
    assert ("Bram Jansen", "confirmed") not in team(api, people, friday)
    assert team(api, people, tuesday) == [("Bram Jansen", "confirmed")]
    assert [p["patrol"]["id"] for p in api.get("/me/patrols", bram).get_json()] == [str(tuesday)]
    assert [p["patrol"]["id"] for p in api.get("/me/patrols", fatima).get_json()] == [str(friday)]


def test_two_rounds_at_the_same_time_can_be_traded(api, make, people, clock):
    """Bram walks from the Wijkcentrum and Fatima from the Kerk at the same hour: they trade routes."""
    bram, fatima = people["bram"], people["fatima"]
    wijkcentrum = make.patrol(people["group"], local(2026, 11, 6, 20), meeting_point="Wijkcentrum")
    kerk = make.patrol(people["group"], local(2026, 11, 6, 20), meeting_point="Kerk")
    api.put(f"/patrols/{wijkcentrum}/signup", bram)
    api.put(f"/patrols/{kerk}/signup", fatima)

    swap = offer(api, wijkcentrum, bram, fatima, other_patrol_id=kerk).get_json()
    assert api.post(f"/swaps/{swap['id']}/accept", fatima).status_code == 200
    assert team(api, people, wijkcentrum) == [("Fatima El Amrani", "confirmed")]
    assert team(api, people, kerk) == [("Bram Jansen", "confirmed")]


def test_fatima_declines_and_bram_keeps_his_place(api, people, friday):
    bram, fatima = people["bram"], people["fatima"]
    swap = offer(api, friday, bram, fatima).get_json()

    before = everything(api, people, friday)
    assert api.post(f"/swaps/{swap['id']}/decline", bram).status_code == 403  # only Fatima answers
    assert everything(api, people, friday) == before

    declined = api.post(f"/swaps/{swap['id']}/decline", fatima)
    assert declined.status_code == 200
    assert declined.get_json()["status"] == "declined"
    assert ("Bram Jansen", "confirmed") in team(api, people, friday)
    assert swaps(api, bram) == swaps(api, fatima) == [(swap["id"], "declined")]

    before = everything(api, people, friday)
    assert api.post(f"/swaps/{swap['id']}/accept", fatima).status_code == 409
    assert everything(api, people, friday) == before

    # Bram can ask someone else now.
    again = offer(api, friday, bram, people["sanne"])
    assert again.status_code == 201
    assert again.get_json()["id"] != swap["id"]


def test_bram_takes_his_offer_back(api, people, friday):
    bram, fatima = people["bram"], people["fatima"]
    swap = offer(api, friday, bram, fatima).get_json()

    before = everything(api, people, friday)
    assert api.delete(f"/swaps/{swap['id']}", fatima).status_code == 403  # not hers to take back
    assert everything(api, people, friday) == before

    assert api.delete(f"/swaps/{swap['id']}", bram).status_code == 204
    assert swaps(api, bram) == swaps(api, fatima) == [(swap["id"], "withdrawn")]

    before = everything(api, people, friday)
    late = api.post(f"/swaps/{swap['id']}/accept", fatima)
    assert late.status_code == 409
    assert "withdrawn" in late.get_json()["message"]
    assert everything(api, people, friday) == before
    assert ("Bram Jansen", "confirmed") in team(api, people, friday)


def test_an_offer_of_a_place_bram_gave_up_can_no_longer_be_taken(api, people, friday):
    bram, fatima = people["bram"], people["fatima"]
    swap = offer(api, friday, bram, fatima).get_json()
    assert api.delete(f"/patrols/{friday}/signup", bram).status_code == 204  # Sanne moves up

    before = everything(api, people, friday)
    gone = api.post(f"/swaps/{swap['id']}/accept", fatima)
    assert gone.status_code == 409
    assert "niet meer in het team" in gone.get_json()["message"]
    assert everything(api, people, friday) == before
    assert sorted(team(api, people, friday)) == [("Henk Bakker", "confirmed"), ("Sanne Mulder", "confirmed")]


def test_only_the_person_offered_the_place_accepts_it(api, people, friday):
    bram, fatima = people["bram"], people["fatima"]
    swap = offer(api, friday, bram, fatima).get_json()
    before = everything(api, people, friday)

    assert api.post(f"/swaps/{swap['id']}/accept", bram).status_code == 403
    # Henk and Sanne are in the group but not in this swap; Priya is not even in the group.
    for outsider in (people["henk"], people["sanne"], people["priya"]):
        assert api.post(f"/swaps/{swap['id']}/accept", outsider).status_code == 404
        assert api.delete(f"/swaps/{swap['id']}", outsider).status_code == 404
    assert everything(api, people, friday) == before
    assert swaps(api, people["henk"]) == []


def test_fatima_cannot_take_a_place_at_a_time_she_is_already_walking(api, make, people, friday):
    bram, fatima = people["bram"], people["fatima"]
    elsewhere = make.patrol(people["group"], local(2026, 11, 6, 21), meeting_point="Kerk")
    api.put(f"/patrols/{elsewhere}/signup", fatima)
    swap = offer(api, friday, bram, fatima).get_json()

    before = everything(api, people, friday, elsewhere)
    clash = api.post(f"/swaps/{swap['id']}/accept", fatima)
    assert clash.status_code == 409
    assert clash.get_json()["errors"]["patrol"]["id"] == [str(elsewhere)]
    assert everything(api, people, friday, elsewhere) == before
    assert swaps(api, fatima) == [(swap["id"], "offered")]


def test_a_two_way_swap_that_would_double_book_bram_changes_nothing(api, make, people, friday):
    """The first half of the trade would work; the second clashes with Bram's other round, so neither happens."""
    bram, fatima = people["bram"], people["fatima"]
    tuesday = make.patrol(people["group"], local(2026, 11, 10, 20), max_team=2)
    bram_on_tuesday = make.patrol(people["group"], local(2026, 11, 10, 21), meeting_point="Station")
    api.put(f"/patrols/{tuesday}/signup", fatima)
    api.put(f"/patrols/{bram_on_tuesday}/signup", bram)
    swap = offer(api, friday, bram, fatima, other_patrol_id=tuesday).get_json()

    before = everything(api, people, friday, tuesday, bram_on_tuesday)
    clash = api.post(f"/swaps/{swap['id']}/accept", fatima)
    assert clash.status_code == 409
    assert clash.get_json()["errors"]["patrol"]["id"] == [str(bram_on_tuesday)]
    assert everything(api, people, friday, tuesday, bram_on_tuesday) == before


def test_only_a_place_on_the_team_can_be_offered(api, people, friday):
    fatima, sanne, bram = people["fatima"], people["sanne"], people["bram"]
    before = everything(api, people, friday)

    not_on_it = offer(api, friday, fatima, bram)
    assert not_on_it.status_code == 409
    assert "plek aanbieden die je zelf in het team hebt" in not_on_it.get_json()["message"]
    # Sanne is only waiting.
    assert offer(api, friday, sanne, fatima).status_code == 409
    # Bram offers to someone outside the group, or to himself.
    assert offer(api, friday, bram, people["priya"]).status_code == 422
    myself = offer(api, friday, bram, bram)
    assert myself.status_code == 422
    assert "to_person_id" in myself.get_json()["errors"]["json"]

    assert everything(api, people, friday) == before
    assert swaps(api, sanne) == swaps(api, people["priya"]) == []


def test_a_patrol_that_has_started_takes_no_swaps(api, people, friday, clock):
    bram, fatima, henk = people["bram"], people["fatima"], people["henk"]
    swap = offer(api, friday, bram, fatima).get_json()

    # Friday 20:01: the round has begun, the offer can no longer be taken.
    clock.move_to(local(2026, 11, 6, 20, 1))
    before = everything(api, people, friday)
    late = api.post(f"/swaps/{swap['id']}/accept", fatima)
    assert late.status_code == 409
    assert "nog niet begonnen" in late.get_json()["message"]
    assert everything(api, people, friday) == before

    # Nor can a new offer be made, also not once someone has checked in.
    assert api.post(f"/swaps/{swap['id']}/decline", fatima).status_code == 200
    assert api.post(f"/patrols/{friday}/check-in", henk).status_code == 200
    before = everything(api, people, friday)
    assert offer(api, friday, bram, fatima).status_code == 409
    assert everything(api, people, friday) == before


def test_offering_to_someone_outside_the_group_names_the_field_at_fault(api, people, friday):
    before = everything(api, people, friday)
    outside = offer(api, friday, people["bram"], people["priya"])
    assert outside.status_code == 422
    assert outside.get_json()["errors"]["json"] == {"to_person_id": ["geen actieve deelnemer van deze groep"]}
    assert everything(api, people, friday) == before
