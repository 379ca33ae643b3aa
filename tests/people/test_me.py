"""A person signs in with a Firebase ID token and sees who they are."""

from __future__ import annotations

from buurtwacht.models import MembershipStatus


def test_first_sign_in_creates_the_person(client, make):
    import uuid

    from tests.factories import Someone

    newcomer = Someone(uuid.uuid4(), "uid-new-person", "Nieuw@Example.org", "Nina Nieuw")
    response = client.get("/api/v1/me", headers=make.headers(newcomer))
    assert response.status_code == 200
    body = response.get_json()
    assert body["person"]["email"] == "nieuw@example.org"
    assert body["person"]["display_name"] == "Nina Nieuw"
    assert body["memberships"] == []
    again = client.get("/api/v1/me", headers=make.headers(newcomer)).get_json()
    assert again["person"]["id"] == body["person"]["id"]


def test_me_lists_memberships_with_their_status(client, make):
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna)
    other = make.group("emmerhout")
    make.member(other, anna, status=MembershipStatus.PENDING)
    body = client.get("/api/v1/me", headers=make.headers(anna)).get_json()
    statuses = {m["group_name"]: (m["role"], m["status"]) for m in body["memberships"]}
    assert statuses == {group.name: ("coordinator", "active"), other.name: ("volunteer", "pending")}


def test_officer_sees_the_areas_they_serve(client, make):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "bargeres")
    body = client.get("/api/v1/me", headers=make.headers(sanne)).get_json()
    assert [a["code"] for a in body["officer_areas"]] == ["bargeres"]


def test_change_my_language_and_phone(client, make):
    bram = make.person("Bram Jansen")
    response = client.patch("/api/v1/me", json={"locale": "en", "phone": "+31 6 1234 5678"}, headers=make.headers(bram))
    assert response.status_code == 200
    assert response.get_json()["person"]["locale"] == "en"
    assert client.get("/api/v1/me", headers=make.headers(bram)).get_json()["person"]["phone"] == "+31 6 1234 5678"


def test_bad_locale_is_refused_with_the_field_and_changes_nothing(client, make):
    bram = make.person("Bram Jansen")
    response = client.patch("/api/v1/me", json={"locale": "de", "display_name": "B"}, headers=make.headers(bram))
    assert response.status_code == 422
    assert "locale" in response.get_json()["errors"]["json"]
    assert client.get("/api/v1/me", headers=make.headers(bram)).get_json()["person"]["display_name"] == "Bram Jansen"


def test_unknown_field_is_refused(client, make):
    bram = make.person()
    response = client.patch("/api/v1/me", json={"is_admin": True}, headers=make.headers(bram))
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"]["is_admin"] == ["Onbekend veld."]
