"""What the roster guarantees: no overbooking under concurrent sign-ups, local times across DST,
and refusals that say why and change nothing."""

from __future__ import annotations

import datetime as dt
import threading
import uuid

import pytest
import time_machine

from buurtwacht import db
from buurtwacht.models import MembershipRole, Patrol, PatrolSignup, PatrolStatus


def _patrol(app, group, starts_in: dt.timedelta, max_team: int = 2) -> str:
    with app.app_context():
        now = db.utcnow()
        patrol = Patrol(
            group_id=group.id,
            starts_at=now + starts_in,
            ends_at=now + starts_in + dt.timedelta(hours=2),
            meeting_point="Wijkcentrum",
            min_team=2,
            max_team=max_team,
            status=PatrolStatus.PLANNED,
        )
        db.session().add(patrol)
        db.session().commit()
        return str(patrol.id)


def _team(app, patrol_id: str) -> dict[str, int]:
    with app.app_context():
        rows = db.session().query(PatrolSignup.status).filter(PatrolSignup.patrol_id == uuid.UUID(patrol_id)).all()
        counts: dict[str, int] = {}
        for (status,) in rows:
            counts[str(status)] = counts.get(str(status), 0) + 1
        return counts


def test_twelve_volunteers_signing_up_at_once_never_overbook(client, make, app):
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna)
    volunteers = [make.person(f"Vrijwilliger{i} Test") for i in range(12)]
    for volunteer in volunteers:
        make.member(group, volunteer, MembershipRole.VOLUNTEER)
    headers = [make.headers(v) for v in volunteers]
    for round_ in range(3):
        patrol_id = _patrol(app, group, dt.timedelta(days=2 + round_ * 3), max_team=3)
        barrier = threading.Barrier(len(volunteers))
        answers: list[tuple[int, str | None]] = []

        def sign_up(h: dict[str, str], patrol_id: str, barrier: threading.Barrier, answers: list) -> None:
            own_client = app.test_client()
            barrier.wait()
            response = own_client.put(f"/api/v1/patrols/{patrol_id}/signup", headers=h)
            answers.append((response.status_code, (response.get_json() or {}).get("status")))

        threads = [threading.Thread(target=sign_up, args=(h, patrol_id, barrier, answers)) for h in headers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(answers) == sorted([(200, "confirmed")] * 3 + [(200, "waitlisted")] * 9)
        assert _team(app, patrol_id) == {"confirmed": 3, "waitlisted": 9}


@pytest.mark.parametrize(
    ("made_on", "before", "after"),
    [
        # The last Sunday of March 2026 (29th): 20:00 is 19:00Z before and 18:00Z from that day on.
        (dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC), dt.date(2026, 3, 27), dt.date(2026, 3, 29)),
        # The last Sunday of October 2026 (25th): 20:00 is 18:00Z before and 19:00Z from that day on.
        (dt.datetime(2026, 10, 16, 9, tzinfo=dt.UTC), dt.date(2026, 10, 23), dt.date(2026, 10, 25)),
    ],
    ids=["march", "october"],
)
def test_a_weekly_schedule_keeps_its_local_time_across_the_clock_change(client, make, made_on, before, after):
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna)
    with time_machine.travel(made_on, tick=False):
        created = client.post(
            f"/api/v1/groups/{group.id}/schedules",
            json={
                "rrule": "FREQ=WEEKLY;BYDAY=FR,SU",
                "start_time": "20:00",
                "end_time": "22:00",
                "meeting_point": "Kerk",
            },
            headers=make.headers(anna),
        )
        assert created.status_code == 201, created.get_json()
        roster = client.get(f"/api/v1/groups/{group.id}/patrols?page_size=100", headers=make.headers(anna)).get_json()
    starts = {dt.datetime.fromisoformat(p["patrol"]["starts_at"]) for p in roster}
    by_day = {s.date(): s for s in starts}
    for day in (before, after):
        local = by_day[day]
        assert (local.hour, local.minute) == (20, 0)
    winter, summer = dt.timedelta(hours=1), dt.timedelta(hours=2)
    march = before.month == 3
    assert by_day[before].utcoffset() == (winter if march else summer)
    assert by_day[after].utcoffset() == (summer if march else winter)


def test_refusals_say_why_and_change_nothing(client, make, app):
    anna, bram, henk = make.person("Anna de Vries"), make.person("Bram Jansen"), make.person("Henk Bakker")
    group = make.group(coordinator=anna)
    make.member(group, bram, MembershipRole.VOLUNTEER)
    make.member(group, henk, MembershipRole.VOLUNTEER)
    soon = _patrol(app, group, dt.timedelta(hours=3))
    overlapping = _patrol(app, group, dt.timedelta(hours=4))
    far = _patrol(app, group, dt.timedelta(days=60))

    assert client.put(f"/api/v1/patrols/{soon}/signup", headers=make.headers(bram)).status_code == 200

    # Withdrawing 3 hours before the start, past the default 12-hour deadline.
    late = client.delete(f"/api/v1/patrols/{soon}/signup", headers=make.headers(bram))
    assert late.status_code == 409
    assert "12 uur" in late.get_json()["message"]
    assert _team(app, soon) == {"confirmed": 1}

    # Signing up before the window opens (default 28 days ahead).
    early = client.put(f"/api/v1/patrols/{far}/signup", headers=make.headers(henk))
    assert early.status_code == 409
    assert "Aanmelden kan vanaf" in early.get_json()["message"]
    assert _team(app, far) == {}

    # A second patrol at the same time.
    clash = client.put(f"/api/v1/patrols/{overlapping}/signup", headers=make.headers(bram))
    assert clash.status_code == 409
    assert clash.get_json()["errors"]["patrol"]["id"] == [soon]
    assert _team(app, overlapping) == {}

    # Checking in on a patrol one is not on.
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=2, minutes=50), tick=False):
        stranger = client.post(f"/api/v1/patrols/{soon}/check-in", headers=make.headers(henk))
    assert stranger.status_code == 403
    detail = client.get(f"/api/v1/patrols/{soon}", headers=make.headers(anna)).get_json()
    assert detail["patrol"]["status"] == "planned"
    assert all(member["checked_in_at"] is None for member in detail["team"])
