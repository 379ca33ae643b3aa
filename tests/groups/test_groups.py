"""Groups: the municipality sets up a buurtpreventieteam in a wijk or dorp; members, the wijkagent and admins see it.

A coordinator runs the group (its name, description); only the municipality moves it to another area.
"""

from __future__ import annotations

import json

from sqlalchemy import func, select

from buurtwacht import db
from buurtwacht.models import Group, Person


def create_group(client, make, admin, **changes):  # type: ignore[no-untyped-def]
    body = {
        "name": "Buurtpreventie Bargeres",
        "description": "Avondrondes door Bargeres",
        "area_id": make.area_id("bargeres"),
        "coordinator": {"email": "carla.bos@example.org", "display_name": "Carla Bos"},
    }
    body.update(changes)
    return client.post("/api/v1/groups", json=body, headers=make.headers(admin))


def count(app, model) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model)) or 0


def group_names(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.get_json()
    return [g["name"] for g in response.get_json()]


def test_an_admin_creates_a_group_in_bargeres_naming_its_coordinator_by_e_mail(client, make):
    gemma = make.person("Gemma Gemeente", admin=True)
    response = create_group(client, make, gemma)
    assert response.status_code == 201, response.get_json()
    group = response.get_json()
    assert group["name"] == "Buurtpreventie Bargeres"
    assert group["description"] == "Avondrondes door Bargeres"
    assert group["area"] == {"id": make.area_id("bargeres"), "name": "Bargeres"}
    assert group["coordinators"] == ["Carla B."]
    assert group["member_count"] == 1
    assert group["your_relations"] == ["admin"]
    assert group["patrol_settings"] == {
        "signup_opens_days": 28,
        "withdraw_until_hours": 12,
        "schedule_weeks_ahead": 6,
        "no_show_limit": None,
    }
    again = client.get(f"/api/v1/groups/{group['id']}", headers=make.headers(gemma))
    assert again.status_code == 200
    assert again.get_json() == group


def test_a_group_in_a_district_is_refused_and_nothing_is_created(client, make, app):
    gemma = make.person("Gemma Gemeente", admin=True)
    people_before = count(app, Person)
    for area in ("emmen-zuid", "emmen"):
        response = create_group(client, make, gemma, area_id=make.area_id(area))
        assert response.status_code == 422
        body = response.get_json()
        assert body["errors"]["json"]["area_id"] == ["een groep hoort bij een wijk of een dorp"]
    assert count(app, Group) == 0
    assert count(app, Person) == people_before  # the coordinator was not invited either
    assert client.get("/api/v1/groups", headers=make.headers(gemma)).get_json() == []


def test_a_group_in_an_unknown_area_is_refused_and_nothing_is_created(client, make, app):
    gemma = make.person("Gemma Gemeente", admin=True)
    response = create_group(client, make, gemma, area_id=999_999)
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"]["area_id"] == ["er is geen gebied met deze id"]
    assert count(app, Group) == 0


def test_a_group_in_a_dorp_is_fine(client, make):
    gemma = make.person("Gemma Gemeente", admin=True)
    response = create_group(client, make, gemma, name="Buurtpreventie Schoonebeek", area_id=make.area_id("schoonebeek"))
    assert response.status_code == 201
    assert response.get_json()["area"]["name"] == "Schoonebeek"


def test_only_admins_create_groups(client, make, app):
    anna = make.person("Anna de Vries")
    make.group(coordinator=anna)
    response = create_group(client, make, anna)
    assert response.status_code == 403
    assert response.get_json()["message"] == "alleen beheerders van de gemeente mogen dit"
    assert count(app, Group) == 1


def test_naming_an_existing_person_as_coordinator_makes_them_coordinator(client, make):
    gemma = make.person("Gemma Gemeente", admin=True)
    bram = make.person("Bram Jansen")
    group = create_group(
        client, make, gemma, coordinator={"email": bram.email.upper(), "display_name": "B. Jansen"}
    ).get_json()
    assert group["coordinators"] == ["Bram J."]
    me = client.get("/api/v1/me", headers=make.headers(bram)).get_json()
    assert [(m["group_id"], m["role"]) for m in me["memberships"]] == [(group["id"], "coordinator")]


# Who sees which group


def test_each_person_lists_the_groups_they_relate_to(client, make):
    anna, bram = make.person("Anna de Vries"), make.person("Bram Jansen")
    bargeres = make.group("bargeres", name="Bargeres Waakt", coordinator=anna)
    make.member(bargeres, bram)
    dirk = make.person("Dirk Dekker")
    emmerhout = make.group("emmerhout", name="Emmerhout Alert", coordinator=dirk)
    make.group("rietlanden", name="Rietlanden Veilig", coordinator=make.person("Rita Riet"))
    make.member(emmerhout, bram, status="pending")

    # A volunteer sees only the groups they are active in.
    assert group_names(client.get("/api/v1/groups", headers=make.headers(bram))) == ["Bargeres Waakt"]
    assert group_names(client.get("/api/v1/groups", headers=make.headers(dirk))) == ["Emmerhout Alert"]

    # A wijkagent of Bargeres sees the group of Bargeres.
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "bargeres")
    listed = client.get("/api/v1/groups", headers=make.headers(sanne))
    assert group_names(listed) == ["Bargeres Waakt"]
    assert listed.get_json()[0]["your_relations"] == ["officer"]

    # A wijkagent of the whole gebied Emmen Zuid sees every group in its wijken, not Emmerhout's.
    otto = make.person("Otto Oosting")
    make.officer(otto, "emmen-zuid")
    assert group_names(client.get("/api/v1/groups", headers=make.headers(otto))) == [
        "Bargeres Waakt",
        "Rietlanden Veilig",
    ]
    assert client.get(f"/api/v1/groups/{bargeres.id}", headers=make.headers(otto)).status_code == 200
    assert client.get(f"/api/v1/groups/{emmerhout.id}", headers=make.headers(otto)).status_code == 404

    # The municipality sees every group.
    gemma = make.person("Gemma Gemeente", admin=True)
    assert group_names(client.get("/api/v1/groups", headers=make.headers(gemma))) == [
        "Bargeres Waakt",
        "Emmerhout Alert",
        "Rietlanden Veilig",
    ]

    # Someone with no relation sees nothing, and a group's page is 404 to them.
    stranger = make.person("Sjaak Vreemd")
    assert client.get("/api/v1/groups", headers=make.headers(stranger)).get_json() == []
    assert client.get(f"/api/v1/groups/{bargeres.id}", headers=make.headers(stranger)).status_code == 404


def test_groups_can_be_filtered_by_area(client, make):
    gemma = make.person("Gemma Gemeente", admin=True)
    make.group("bargeres", name="Bargeres Waakt")
    make.group("emmerhout", name="Emmerhout Alert")
    response = client.get(f"/api/v1/groups?area_id={make.area_id('emmerhout')}", headers=make.headers(gemma))
    assert group_names(response) == ["Emmerhout Alert"]


def test_lists_of_groups_are_paged_with_the_total_in_a_header(client, make):
    gemma = make.person("Gemma Gemeente", admin=True)
    for name in ("Groep A", "Groep B", "Groep C"):
        make.group(name=name)
    first = client.get("/api/v1/groups?page=1&page_size=2", headers=make.headers(gemma))
    assert group_names(first) == ["Groep A", "Groep B"]
    pages = json.loads(first.headers["X-Pagination"])
    assert (pages["total"], pages["total_pages"], pages["page"], pages["next_page"]) == (3, 2, 1, 2)

    second = client.get("/api/v1/groups?page=2&page_size=2", headers=make.headers(gemma))
    assert group_names(second) == ["Groep C"]
    assert json.loads(second.headers["X-Pagination"])["total"] == 3


# Changing a group


def test_a_coordinator_renames_the_group(client, make):
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna, name="Buurtpreventie Bargeres")
    response = client.patch(
        f"/api/v1/groups/{group.id}",
        json={"name": "Bargeres Waakt", "description": "Elke dinsdag- en vrijdagavond"},
        headers=make.headers(anna),
    )
    assert response.status_code == 200
    assert (response.get_json()["name"], response.get_json()["description"]) == (
        "Bargeres Waakt",
        "Elke dinsdag- en vrijdagavond",
    )
    assert client.get(f"/api/v1/groups/{group.id}", headers=make.headers(anna)).get_json()["name"] == "Bargeres Waakt"


def test_volunteers_and_the_wijkagent_cannot_rename_the_group(client, make):
    anna, bram, sanne = make.person("Anna de Vries"), make.person("Bram Jansen"), make.person("Sanne Mulder")
    group = make.group(coordinator=anna, name="Buurtpreventie Bargeres")
    make.member(group, bram)
    make.officer(sanne, "bargeres")
    for person in (bram, sanne):
        response = client.patch(
            f"/api/v1/groups/{group.id}", json={"name": "Overgenomen"}, headers=make.headers(person)
        )
        assert response.status_code == 403
    assert client.get(f"/api/v1/groups/{group.id}", headers=make.headers(anna)).get_json()["name"] == group.name


def test_a_coordinator_cannot_move_the_group_to_another_area(client, make):
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna, name="Buurtpreventie Bargeres")
    response = client.patch(
        f"/api/v1/groups/{group.id}",
        json={"name": "Ergens Anders", "area_id": make.area_id("emmerhout")},
        headers=make.headers(anna),
    )
    assert response.status_code == 403
    assert (
        response.get_json()["message"]
        == "alleen beheerders van de gemeente verplaatsen een groep naar een ander gebied"
    )
    unchanged = client.get(f"/api/v1/groups/{group.id}", headers=make.headers(anna)).get_json()
    assert (unchanged["name"], unchanged["area"]["name"]) == ("Buurtpreventie Bargeres", "Bargeres")


def test_an_admin_moves_the_group_and_the_new_wijkagent_sees_it(client, make):
    anna, sanne, erik = make.person("Anna de Vries"), make.person("Sanne Mulder"), make.person("Erik Hout")
    group = make.group(coordinator=anna)
    make.officer(sanne, "bargeres")
    make.officer(erik, "emmerhout")
    gemma = make.person("Gemma Gemeente", admin=True)

    moved = client.patch(
        f"/api/v1/groups/{group.id}", json={"area_id": make.area_id("emmerhout")}, headers=make.headers(gemma)
    )
    assert moved.status_code == 200
    assert moved.get_json()["area"] == {"id": make.area_id("emmerhout"), "name": "Emmerhout"}
    assert client.get(f"/api/v1/groups/{group.id}", headers=make.headers(erik)).status_code == 200
    assert client.get(f"/api/v1/groups/{group.id}", headers=make.headers(sanne)).status_code == 404
    assert client.get("/api/v1/groups", headers=make.headers(sanne)).get_json() == []


def test_an_admin_cannot_move_a_group_into_a_district(client, make):
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna)
    gemma = make.person("Gemma Gemeente", admin=True)
    response = client.patch(
        f"/api/v1/groups/{group.id}", json={"area_id": make.area_id("emmen-zuid")}, headers=make.headers(gemma)
    )
    assert response.status_code == 422
    assert "area_id" in response.get_json()["errors"]["json"]
    assert client.get(f"/api/v1/groups/{group.id}", headers=make.headers(anna)).get_json()["area"]["name"] == "Bargeres"


def test_patrol_rules_are_the_coordinators_choice(client, make):
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna)
    gemma = make.person("Gemma Gemeente", admin=True)
    rules = {"patrol_settings": {"signup_opens_days": 14, "no_show_limit": 3}}
    by_admin = client.patch(f"/api/v1/groups/{group.id}", json=rules, headers=make.headers(gemma))
    assert by_admin.status_code == 403
    by_coordinator = client.patch(f"/api/v1/groups/{group.id}", json=rules, headers=make.headers(anna))
    assert by_coordinator.status_code == 200
    settings = by_coordinator.get_json()["patrol_settings"]
    assert (settings["signup_opens_days"], settings["no_show_limit"], settings["withdraw_until_hours"]) == (14, 3, 12)


# Input the database cannot hold is refused, never a crash

BEYOND_ANY_ID = 10**20  # more than a 64-bit integer: no area can have this id


def test_creating_a_group_with_an_area_id_beyond_any_area_is_422_naming_area_id(client, make, app):
    gemma = make.person("Gemma Gemeente", admin=True)
    response = create_group(client, make, gemma, area_id=BEYOND_ANY_ID)
    assert response.status_code == 422
    assert "area_id" in response.get_json()["errors"]["json"]
    assert count(app, Group) == 0


def test_moving_a_group_to_an_area_id_beyond_any_area_is_422_naming_area_id(client, make):
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna)
    gemma = make.person("Gemma Gemeente", admin=True)
    response = client.patch(f"/api/v1/groups/{group.id}", json={"area_id": BEYOND_ANY_ID}, headers=make.headers(gemma))
    assert response.status_code == 422
    assert "area_id" in response.get_json()["errors"]["json"]


def test_filtering_groups_by_an_area_id_beyond_any_area_is_not_a_crash(client, make):
    gemma = make.person("Gemma Gemeente", admin=True)
    make.group()
    response = client.get(f"/api/v1/groups?area_id={BEYOND_ANY_ID}", headers=make.headers(gemma))
    assert (response.status_code, response.get_json()) == (200, []) or (
        response.status_code == 422 and "area_id" in response.get_json()["errors"]["query"]
    )


def test_a_page_far_past_the_last_is_empty_not_a_crash(client, make):
    gemma = make.person("Gemma Gemeente", admin=True)
    make.group()
    assert client.get("/api/v1/groups?page=100", headers=make.headers(gemma)).get_json() == []
    response = client.get(f"/api/v1/groups?page={BEYOND_ANY_ID}", headers=make.headers(gemma))
    assert response.status_code in (200, 422)
    if response.status_code == 200:
        assert response.get_json() == []


def test_a_coordinator_e_mail_longer_than_254_characters_is_422(client, make, app):
    gemma = make.person("Gemma Gemeente", admin=True)
    too_long = "a" * 64 + "@" + ".".join(["b" * 60] * 5) + ".nl"
    assert len(too_long) > 254
    response = create_group(client, make, gemma, coordinator={"email": too_long, "display_name": "Lange Naam"})
    assert response.status_code == 422
    assert "email" in response.get_json()["errors"]["json"]["coordinator"]
    assert count(app, Group) == 0


def test_a_group_name_with_a_nul_character_is_422(client, make, app):
    gemma = make.person("Gemma Gemeente", admin=True)
    response = create_group(client, make, gemma, name="Buurtpreventie\x00Bargeres")
    assert response.status_code == 422
    assert "name" in response.get_json()["errors"]["json"]
    assert count(app, Group) == 0
