"""Once a change has been answered, no web worker answers from before it (gunicorn, two workers, PostgreSQL).

Each round primes both workers' read caches with the same read, makes a change through the API
and reads again at once: whichever worker answers, the change shows. The same for a member the
coordinator removes (404 on the very next request), one they demote (their role on /me), and another
person's change (the coordinator renames the group a volunteer reads).
"""

from __future__ import annotations

import json
import time

import pytest

from buurtwacht.models import MembershipRole
from tests.serving.conftest import ask_both_workers, call, stale_group_names

ROUNDS = 200


@pytest.fixture
def gunicorn_settings() -> dict[str, str]:
    return {"BUURTWACHT_RATE_LIMIT_WRITES": "10000/minute"}  # a few hundred changes a minute, by design


@pytest.fixture
def served(is_postgres, request):  # type: ignore[no-untyped-def]
    if not is_postgres:
        pytest.skip("the read cache works on PostgreSQL only; on SQLite every read goes to the database")
    return request.getfixturevalue("gunicorn")


def read_me(base: str, headers: dict[str, str]) -> dict:  # type: ignore[type-arg]
    status, body = call("GET", f"{base}/api/v1/me", headers)
    assert status == 200, body
    return json.loads(body)  # type: ignore[no-any-return]


def hits(log) -> int:  # type: ignore[no-untyped-def]
    time.sleep(0.3)
    lines = (json.loads(line) for line in log.read_text().splitlines() if line.startswith("{"))
    return sum(1 for line in lines if line.get("read_cache") == "hit")


def test_my_own_change_shows_on_the_next_read_whichever_worker_answers(served, make):
    base, log = served
    bram = make.person("Bram Jansen")
    headers = make.headers(bram)
    stale = []
    for round_ in range(ROUNDS):
        ask_both_workers(base, "/api/v1/me", headers)
        name = f"Bram {round_}"
        status, body = call("PATCH", f"{base}/api/v1/me", headers, {"display_name": name})
        assert status == 200, body
        seen = read_me(base, headers)["person"]["display_name"]
        if seen != name:
            stale.append((round_, seen))
    assert stale == []
    assert hits(log) > ROUNDS  # the primed reads were answered from memory: the cache was on throughout


def test_a_removed_member_is_refused_on_the_very_next_request(served, make):
    base, _log = served
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna)
    notes = f"/api/v1/groups/{group.id}/notes"
    still_in = []
    for round_ in range(60):
        volunteer = make.person(f"Vera Vrijwilliger{round_}")
        membership = make.member(group, volunteer, MembershipRole.VOLUNTEER)
        ask_both_workers(base, notes, make.headers(volunteer))
        status, body = call("DELETE", f"{base}/api/v1/groups/{group.id}/members/{membership}", make.headers(anna))
        assert status == 204, body
        status, _body = call("GET", f"{base}{notes}", make.headers(volunteer))
        if status != 404:
            still_in.append((round_, status))
    assert still_in == []


def test_a_demoted_coordinator_reads_their_new_role_on_the_very_next_request(served, make):
    base, _log = served
    anna = make.person("Anna de Vries")
    carla = make.person("Carla Coördinator")
    group = make.group(coordinator=anna)
    membership = make.member(group, carla, MembershipRole.COORDINATOR)
    member_path = f"{base}/api/v1/groups/{group.id}/members/{membership}"
    wrong = []
    for round_ in range(60):
        ask_both_workers(base, "/api/v1/me", make.headers(carla))
        role = "volunteer" if round_ % 2 == 0 else "coordinator"
        status, body = call("PATCH", member_path, make.headers(anna), {"role": role})
        assert status == 200, body
        roles = [m["role"] for m in read_me(base, make.headers(carla))["memberships"]]
        if roles != [role]:
            wrong.append((round_, roles))
    assert wrong == []


def test_another_person_s_change_shows_on_the_very_next_request(served, make):
    base, _log = served
    assert stale_group_names(base, make, 100) == []
