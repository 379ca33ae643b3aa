"""The sign-in each worker keeps never outlives a change (gunicorn, two workers, PostgreSQL, answers not kept).

Each web worker keeps who a signed-in person is, their roles and their wijkagent areas
(buurtwacht/auth/identities.py). With the read cache's answers off, every request below is answered
from the database with that kept sign-in: a removed member, a demoted coordinator, a wijkagent who
loses their area and an erased account are refused on the very next request, whichever worker
answers, and what was kept is really used.
"""

from __future__ import annotations

import pytest

from buurtwacht.models import MembershipRole
from tests.serving.conftest import ask_both_workers, call, counted, stale_group_names

ROUNDS = 40


@pytest.fixture
def gunicorn_settings() -> dict[str, str]:
    return {"BUURTWACHT_RATE_LIMIT_WRITES": "10000/minute", "BUURTWACHT_READ_CACHE_SECONDS": "0"}


@pytest.fixture
def served(is_postgres, request):  # type: ignore[no-untyped-def]
    if not is_postgres:
        pytest.skip("sign-in is kept on PostgreSQL only; on SQLite every request reads the person")
    return request.getfixturevalue("gunicorn")


def test_a_removed_member_is_refused_on_the_very_next_request(served, make):
    base, _log = served
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna)
    notes = f"/api/v1/groups/{group.id}/notes"
    still_in = []
    for round_ in range(ROUNDS):
        volunteer = make.person(f"Vera Vrijwilliger{round_}")
        membership = make.member(group, volunteer, MembershipRole.VOLUNTEER)
        ask_both_workers(base, notes, make.headers(volunteer))
        status, body = call("DELETE", f"{base}/api/v1/groups/{group.id}/members/{membership}", make.headers(anna))
        assert status == 204, body
        status, _body = call("GET", f"{base}{notes}", make.headers(volunteer))
        if status != 404:
            still_in.append((round_, status))
    assert still_in == []
    assert counted(base, "buurtwacht_sign_in_lookups", "kept") > 0  # the warm-up reads were signed in from memory
    # Each read checked what is kept against the versions its worker read last, and its page read them: the warm-up
    # reads found them right, and a read after a removal the other worker (or this one's own write) made did not,
    # and was answered again with the versions read first (readcache.presume).
    assert counted(base, "buurtwacht_presumed_versions", "confirmed") > 0
    assert counted(base, "buurtwacht_presumed_versions", "stale") > 0


def test_a_demoted_coordinator_loses_the_coordinators_view_on_the_very_next_request(served, make):
    base, _log = served
    anna = make.person("Anna de Vries")
    carla = make.person("Carla Coördinator")
    group = make.group(coordinator=anna)
    membership = make.member(group, carla, MembershipRole.COORDINATOR)
    members = f"/api/v1/groups/{group.id}/members"  # coordinators see members' e-mail addresses, volunteers do not
    wrong = []
    for round_ in range(ROUNDS):
        role = "volunteer" if round_ % 2 == 0 else "coordinator"
        ask_both_workers(base, members, make.headers(carla))
        status, body = call("PATCH", f"{base}{members}/{membership}", make.headers(anna), {"role": role})
        assert status == 200, body
        status, body = call("GET", f"{base}{members}", make.headers(carla))
        assert status == 200, body
        if (anna.email in body) != (role == "coordinator"):
            wrong.append((round_, role))
    assert wrong == []


def test_a_wijkagent_who_loses_the_area_is_refused_on_the_very_next_request(served, make):
    base, _log = served
    admin = make.person("Gemma Gemeente", admin=True)
    agnes = make.person("Agnes Agent")
    group = make.group("bargeres", "Buurtpreventie Bargeres")
    area = make.area_id("bargeres")
    path = f"/api/v1/groups/{group.id}/patrols"
    officers = f"{base}/api/v1/areas/{area}/officers"
    wrong = []
    for round_ in range(ROUNDS // 2):
        given = {"email": agnes.email, "display_name": agnes.name}
        status, body = call("POST", officers, make.headers(admin), given)
        assert status == 201, body
        ask_both_workers(base, path, make.headers(agnes))
        status, body = call("DELETE", f"{officers}/{agnes.id}", make.headers(admin))
        assert status == 204, body
        status, _body = call("GET", f"{base}{path}", make.headers(agnes))
        if status != 404:
            wrong.append((round_, status))
    assert wrong == []


def test_an_erased_account_is_refused_on_the_very_next_request(served, make):
    base, _log = served
    refused = []
    for round_ in range(ROUNDS // 2):
        bram = make.person(f"Bram Jansen{round_}")
        headers = make.headers(bram)  # one token: a token signed after the erasure is a new sign-in, and may
        ask_both_workers(base, "/api/v1/me/patrols", headers)
        status, body = call("DELETE", f"{base}/api/v1/me", headers)
        assert status == 204, body
        status, _body = call("GET", f"{base}/api/v1/me/patrols", headers)
        if status != 401:
            refused.append((round_, status))
    assert refused == []


def test_a_renamed_group_is_read_afresh_on_the_very_next_request(served, make):
    """The group each worker keeps for its access checks: a coordinator's change in one worker is what a
    volunteer sees next, whichever worker answers."""
    base, _log = served
    assert stale_group_names(base, make, ROUNDS) == []
    assert counted(base, "buurtwacht_group_lookups", "kept") > 0  # the primed reads found the group in memory
