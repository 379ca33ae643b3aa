"""A read checks what its worker keeps against the versions the worker read last, and its first statement reads the
versions with its page (readcache.presume): one round trip, and still never an answer a committed change made wrong.

What must hold, on PostgreSQL with the sign-in kept: a read sends one statement, which reads the versions itself;
a change this worker heard nothing of (another worker's commit, its notice not yet arrived) is seen by the very next
read, whether the kept sign-in would have let it in or kept it out; and what was answered under versions that turned
out stale is never kept.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from prometheus_client import REGISTRY
from sqlalchemy import create_engine, text

from buurtwacht.models import MembershipRole
from tests.serving.test_read_cache import caught_up, statements_sent


def presumed(result: str) -> float:
    return REGISTRY.get_sample_value("buurtwacht_presumed_versions_total", {"result": result}) or 0.0


def committed_elsewhere(database_url: str, statement: str, values: dict[str, Any], table: str) -> None:
    """A change as another worker commits it (its table's version advanced in the same transaction), whose notice
    this process has not had: only the versions tell."""
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(statement), values)
            conn.execute(text("UPDATE table_versions SET version = version + 1 WHERE table_name = :t"), {"t": table})
    finally:
        engine.dispose()


def versions_read_alone(app: Any, monkeypatch: Any) -> list[int]:
    """A list that grows by one each time the app reads the versions in a round trip of their own."""
    cache = app.extensions["buurtwacht.readcache"]
    read_alone: list[int] = []
    original = cache._committed.read
    monkeypatch.setattr(cache._committed, "read", lambda: read_alone.append(1) or original())
    return read_alone


def a_member_signed_in(listening: Any, client: Any, make: Any) -> tuple[Any, Any, uuid.UUID, str]:
    """Vera, a volunteer of a group, her sign-in and the group kept by this worker: (vera, group, membership, notes)."""
    vera = make.person("Vera Vrijwilliger")
    group = make.group(coordinator=make.person("Anna de Vries"))
    membership = make.member(group, vera, MembershipRole.VOLUNTEER)
    notes = f"/api/v1/groups/{group.id}/notes"
    caught_up(listening)  # the setup's notices heard first: they would drop the sign-in kept next
    assert client.get(notes, headers=make.headers(vera)).status_code == 200
    caught_up(listening)
    return vera, group, membership, notes


def test_a_read_with_its_sign_in_kept_reads_the_versions_in_its_own_statement(listening, client, make, monkeypatch):
    anna = make.person("Anna de Vries")
    vera = make.person("Vera Vrijwilliger")
    group = make.group(coordinator=anna)
    make.member(group, vera, MembershipRole.VOLUNTEER)
    make.patrol(group, dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
    roster = f"/api/v1/groups/{group.id}/patrols"
    caught_up(listening)  # the setup's notices heard first: they would drop the sign-in kept next
    assert client.get(roster, headers=make.headers(vera)).status_code == 200  # keeps her sign-in and the group
    caught_up(listening)
    confirmed = presumed("confirmed")
    read_alone = versions_read_alone(listening, monkeypatch)
    with statements_sent(listening) as sent:
        page = client.get(f"{roster}?page_size=7", headers=make.headers(vera))  # not a kept answer
    assert page.status_code == 200 and len(page.get_json()) == 1
    assert read_alone == []  # no round trip for the versions on their own
    assert len(sent) == 1 and "table_versions" in sent[0]  # the page read them
    assert presumed("confirmed") == confirmed + 1


def test_a_removal_another_worker_committed_refuses_the_very_next_read(listening, client, make, database_url):
    vera, _, membership, notes = a_member_signed_in(listening, client, make)
    stale = presumed("stale")
    committed_elsewhere(
        database_url, "UPDATE memberships SET status = 'removed' WHERE id = :m", {"m": membership}, "memberships"
    )
    # Kept, she is still a member; her page's versions say otherwise, and the read is answered again.
    assert client.get(f"{notes}?page_size=7", headers=make.headers(vera)).status_code == 404
    assert presumed("stale") == stale + 1
    assert client.get(f"{notes}?page_size=7", headers=make.headers(vera)).status_code == 404  # and nothing was kept


def test_a_refusal_from_memory_is_confirmed_before_it_is_answered(listening, client, make, database_url):
    anna = make.person("Anna de Vries")
    vera = make.person("Vera Vrijwilliger")
    group = make.group(coordinator=anna)
    notes = f"/api/v1/groups/{group.id}/notes"
    caught_up(listening)  # the setup's notices heard first: they would drop the sign-in kept next
    assert client.get(notes, headers=make.headers(vera)).status_code == 404  # keeps her sign-in: no member
    caught_up(listening)
    committed_elsewhere(
        database_url,
        "INSERT INTO memberships (id, group_id, person_id, role, status, created_at, updated_at)"
        " VALUES (:id, :g, :p, 'volunteer', 'active', now(), now())",
        {"id": uuid.uuid4(), "g": group.id, "p": vera.id},
        "memberships",
    )
    # Kept, she is an outsider, refused without a statement; the versions read before the answer say otherwise.
    assert client.get(f"{notes}?page_size=7", headers=make.headers(vera)).status_code == 200


def test_an_empty_page_read_before_its_versions_is_not_kept(listening, client, make, database_url, monkeypatch):
    """A page with no rows carries no versions: they are read after it, and a note committed in between (here by
    another worker, just then) would otherwise be missing from an answer kept under versions that include it."""
    vera = make.person("Vera Vrijwilliger")
    group = make.group(coordinator=make.person("Anna de Vries"))
    make.member(group, vera, MembershipRole.VOLUNTEER)
    notes = f"/api/v1/groups/{group.id}/notes"
    caught_up(listening)  # the setup's notices heard first: they would drop the sign-in kept next
    assert client.get(notes, headers=make.headers(vera)).get_json() == []  # keeps her sign-in
    caught_up(listening)
    cache = listening.extensions["buurtwacht.readcache"]
    original = cache._committed.read
    note = uuid.uuid4()

    def a_note_first() -> Any:
        monkeypatch.setattr(cache._committed, "read", original)  # once
        committed_elsewhere(
            database_url,
            "INSERT INTO notes (id, group_id, author_id, category, what, observed_at, street, called, urgency, status,"
            " held, request_hash, created_at, updated_at) VALUES (:id, :g, :a, 'youth_nuisance', 'Groep jongeren',"
            " now(), 'Statenweg', 'none', 'normal', 'open', false, 'elsewhere', now(), now())",
            {"id": note, "g": group.id, "a": vera.id},
            "notes",
        )
        return original()

    monkeypatch.setattr(cache._committed, "read", a_note_first)
    assert client.get(f"{notes}?page_size=7", headers=make.headers(vera)).get_json() == []  # read before it
    assert [n["id"] for n in client.get(f"{notes}?page_size=7", headers=make.headers(vera)).get_json()] == [str(note)]


# Recording a note presumes too (api.Blueprint.presumes_versions): its one statement commits by itself, so it must
# refuse to write at all under versions that have changed, not only answer again.


def a_note(observed: dt.datetime | None = None) -> dict[str, Any]:
    moment = observed or dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20)
    return {"id": str(uuid.uuid4()), "category": "youth_nuisance", "what": "Groep jongeren bij het speelveld",
            "observed_at": moment.isoformat(), "street": "Statenweg"}  # fmt: skip


def notes_in(database_url: str, group_id: uuid.UUID) -> list[str]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            found = conn.execute(text("SELECT id FROM notes WHERE group_id = :g"), {"g": group_id}).scalars()
            return [str(note) for note in found]
    finally:
        engine.dispose()


def test_recording_a_note_with_its_sign_in_kept_is_one_statement(listening, client, make, monkeypatch, database_url):
    vera, group, _, notes = a_member_signed_in(listening, client, make)
    confirmed = presumed("confirmed")
    read_alone = versions_read_alone(listening, monkeypatch)
    note = a_note()
    with statements_sent(listening) as sent:
        made = client.post(notes, json=note, headers=make.headers(vera))
    assert made.status_code == 201 and made.get_json()["id"] == note["id"]
    assert read_alone == []  # no round trip for the versions on their own
    assert len(sent) == 1 and "INSERT INTO notes" in sent[0] and "table_versions" in sent[0]
    assert presumed("confirmed") == confirmed + 1
    assert notes_in(database_url, group.id) == [note["id"]]
    # The same note again (the offline queue's retry) is the same note, not a second one.
    assert client.post(notes, json=note, headers=make.headers(vera)).get_json()["id"] == note["id"]
    assert notes_in(database_url, group.id) == [note["id"]]


def test_a_removal_another_worker_committed_refuses_the_very_next_note_and_writes_nothing(
    listening, client, make, database_url
):
    vera, group, membership, notes = a_member_signed_in(listening, client, make)
    stale = presumed("stale")
    committed_elsewhere(
        database_url, "UPDATE memberships SET status = 'removed' WHERE id = :m", {"m": membership}, "memberships"
    )
    # Kept, she is still a member, and the note's statement is sent; the versions it reads say otherwise, so it
    # writes nothing (a write that commits by itself could not be taken back), and she is answered as an outsider.
    refused = client.post(notes, json=a_note(), headers=make.headers(vera))
    assert refused.status_code == 404
    assert presumed("stale") == stale + 1
    assert notes_in(database_url, group.id) == []


def test_a_change_to_a_table_not_used_from_memory_does_not_refuse_a_note(listening, client, make, database_url):
    vera, group, _, notes = a_member_signed_in(listening, client, make)
    stale = presumed("stale")
    committed_elsewhere(database_url, "SELECT 1", {}, "patrols")  # another group's roster, say
    note = a_note()
    assert client.post(notes, json=note, headers=make.headers(vera)).status_code == 201
    assert presumed("stale") == stale
    assert notes_in(database_url, group.id) == [note["id"]]
