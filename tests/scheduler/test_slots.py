"""Each job once per slot: the hour that repeats when summer time ends, two schedulers, failures, runs by hand.

A slot is the job's planned local wall-clock minute. Before a job runs it claims (job, slot) in
job_runs; whoever claims second does nothing. A second scheduler process waits on a lock (a
PostgreSQL advisory lock, or a file lock on SQLite) until the first one stops.
"""

from __future__ import annotations

import dataclasses
import signal
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from sqlalchemy import select, text

from buurtwacht import db, scheduler
from buurtwacht.models import Email, JobMark, JobRun, MembershipRole
from buurtwacht.push import dispatcher
from tests.scheduler.walk import Walk, fire_times, local, utc


def runs_of(app, name: str) -> list[JobRun]:
    with app.app_context():
        return list(db.session().scalars(select(JobRun).where(JobRun.job == name).order_by(JobRun.id)))


class Counting:
    """A job's work that counts its runs; `fail_first` runs raise after leaving a row uncommitted."""

    def __init__(self, fail_first: int = 0, seconds: float = 0.0) -> None:
        self.runs = 0
        self.fail_first = fail_first
        self.seconds = seconds
        self._lock = threading.Lock()

    def __call__(self) -> None:
        with self._lock:
            self.runs += 1
            run = self.runs
        time.sleep(self.seconds)
        if run <= self.fail_first:
            db.session().add(JobMark(kind="test.half-done", key=str(run)))
            db.session().flush()
            raise RuntimeError("the SMTP server is gone")


def register(client, make, person, address: str) -> None:
    response = client.put(
        f"/api/v1/me/devices/{uuid.uuid4()}",
        json={"address_kind": "fid", "address": address, "platform": "android"},
        headers=make.headers(person),
    )
    assert response.status_code == 200, response.get_json()


# The hour that repeats


def test_a_02_30_job_fires_twice_when_the_clocks_go_back_and_runs_once(app):
    work = Counting()
    job = scheduler.Job("test-night", work, {"hour": "2", "minute": "30"})
    with app.app_context():
        fires = fire_times(job, local(2026, 10, 25, 0, 0), local(2026, 10, 26, 0, 0))
    assert fires == [utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30)]  # 02:30 summer time, 02:30 winter time
    with app.app_context():
        assert {scheduler.slot_of(f, job) for f in fires} == {"2026-10-25T02:30"}
    ran = []
    with time_machine.travel(fires[0], tick=False) as clock:
        for fire in fires:
            clock.move_to(fire)
            with app.app_context():
                ran.append(scheduler.run_slot(job, scheduler.slot_of(fire, job)))
    assert ran == [True, False]
    assert work.runs == 1
    assert [r.slot for r in runs_of(app, "test-night")] == ["2026-10-25T02:30"]


class Hung(Exception):
    pass


def within(seconds: float, call: Callable[[], Any]) -> Any:
    """call(), or a plain test failure if it is still running after `seconds` (an alarm interrupts it)."""

    def interrupt(_signum: int, _frame: Any) -> None:
        raise Hung

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    hung = False
    try:
        return call()
    except Hung:
        hung = True  # the interrupted frame's traceback is not worth showing (nor always printable)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if hung:
            pytest.fail(f"still running after {seconds} s", pytrace=False)


HANGS = (
    "BUG: scheduler.latest_fire loops forever in the repeated autumn hour: it steps past each fire time with "
    "`fire + timedelta(seconds=1)` on an aware Europe/Amsterdam datetime, which is wall-clock arithmetic and drops "
    "the fold, so from 02:00 winter time (fold=1) the next step lands in 02:00:01 summer time, an hour earlier, "
    "and `fire <= now` never ends; catch_up and every scheduled run (_runner) of a job firing in that hour hang. "
    "(Step in UTC: fire.astimezone(UTC) + 1 s.)"
)


def test_a_scheduler_restarted_in_the_repeated_hour_catches_up(app):
    with time_machine.travel(utc(2026, 10, 25, 1, 10), tick=False):  # 02:10 winter time
        done = within(1.5, lambda: scheduler.catch_up(app))
    assert ("mail", "2026-10-25T02:10+0100") in done  # the second pass of 02:10, in winter time


def test_a_scheduled_run_in_the_repeated_hour_finishes(app):
    work = Counting()
    job = scheduler.Job("test-every-five", work, {"minute": "*/5"})
    with time_machine.travel(utc(2026, 10, 25, 1, 5, 1), tick=False):  # 02:05 winter time
        within(1, scheduler._runner(app, job))  # what APScheduler calls
    assert [r.slot for r in runs_of(app, "test-every-five")] == ["2026-10-25T02:05+0100"]  # winter time


def test_an_overdue_alarm_in_the_repeated_hour_comes_on_time(app, client, make, fcm, smtp):
    anna, bram, henk = make.person("Anna de Vries"), make.person("Bram Jansen"), make.person("Henk Bakker")
    group = make.group("bargeres", coordinator=anna)
    for volunteer in (bram, henk):
        make.member(group, volunteer, MembershipRole.VOLUNTEER)
    register(client, make, anna, "fid-anna-phone")
    # A night round from 23:00 summer time to 02:00 winter time; nobody checks out.
    starts, ends = local(2026, 10, 24, 23, 0), utc(2026, 10, 25, 1, 0)
    make.patrol_with_team(
        group, starts, ends, status="running", team=[bram, henk], check_ins={p.id: (starts, None) for p in (bram, henk)}
    )
    walk = Walk(app, fcm, smtp)
    walk.through(utc(2026, 10, 25, 0, 0), utc(2026, 10, 25, 2, 5), only={"patrol-overdue"})
    alarms = walk.pushes_to("fid-anna-phone", "patrol.overdue")
    assert [a.at for a in alarms] == [utc(2026, 10, 25, 1, 35)]  # 02:35 winter time, half an hour after the end


# Two schedulers


def test_two_schedulers_waking_at_07_00_on_the_first_queue_the_summary_once(app, make):
    sanne, anna = make.person("Sanne Mulder"), make.person("Anna de Vries")
    make.officer(sanne, "emmen-zuid")
    make.group("bargeres", coordinator=anna)
    monthly = scheduler.by_name("monthly-summary")
    start = threading.Barrier(2)
    results: list[bool] = []

    def scheduler_process() -> None:
        with app.app_context():
            start.wait()
            results.append(scheduler.run_slot(monthly, "2026-11-01T07:00"))

    with time_machine.travel(local(2026, 11, 1, 7, 0), tick=False):
        threads = [threading.Thread(target=scheduler_process) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert sorted(results) == [False, True]
    assert len(runs_of(app, "monthly-summary")) == 1
    with app.app_context():
        assert sorted(db.session().scalars(select(Email.to_address))) == sorted([anna.email, sanne.email])


def test_two_claims_of_one_slot_run_a_slow_job_once(app):
    work = Counting(seconds=0.3)
    job = scheduler.Job("test-slow", work, {"minute": "*"})
    start = threading.Barrier(2)
    results: list[bool] = []

    def claim() -> None:
        with app.app_context():
            start.wait()
            results.append(scheduler.run_slot(job, "2026-10-12T20:00"))

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == [False, True]
    assert work.runs == 1


# Failures


def test_a_failing_job_is_recorded_and_its_next_slot_still_runs(app):
    work = Counting(fail_first=1)
    job = scheduler.Job("test-flaky", work, {"minute": "*"})
    with time_machine.travel(local(2026, 10, 12, 20, 0), tick=False) as clock:
        with app.app_context():
            assert scheduler.run_slot(job, "2026-10-12T20:00") is False
        clock.move_to(local(2026, 10, 12, 20, 1))
        with app.app_context():
            assert scheduler.run_slot(job, "2026-10-12T20:01") is True
    failed, fine = runs_of(app, "test-flaky")
    assert failed.slot == "2026-10-12T20:00" and "RuntimeError: the SMTP server is gone" in failed.error
    assert failed.finished_at == local(2026, 10, 12, 20, 0)
    assert (fine.slot, fine.error, fine.finished_at) == ("2026-10-12T20:01", None, local(2026, 10, 12, 20, 1))
    with app.app_context():  # what the failed run left half-done was rolled back
        assert db.session().scalars(select(JobMark.key).where(JobMark.kind == "test.half-done")).all() == []
    assert work.runs == 2


# By hand, and the list


def test_flask_jobs_run_warns_of_a_short_team_now_and_the_planned_run_still_comes(app, client, make, fcm):
    anna = make.person("Anna de Vries")
    group = make.group("bargeres", coordinator=anna)
    register(client, make, anna, "fid-anna-phone")
    runner = app.test_cli_runner()
    with time_machine.travel(local(2026, 10, 12, 9, 30), tick=False) as clock:
        patrol_id = make.patrol(group, local(2026, 10, 13, 20, 0), min_team=2)  # tomorrow evening, nobody yet

        result = runner.invoke(args=["jobs", "run", "patrol-short-teams"])
        assert result.exit_code == 0, result.output
        assert result.output.strip() == "patrol-short-teams done"
        [manual] = runs_of(app, "patrol-short-teams")
        assert manual.slot.startswith("manual:") and manual.error is None
        with app.app_context():
            dispatcher.run(stop_when_idle=True)
        [warning] = fcm.to("fid-anna-phone")
        assert warning["data"] == {"type": "patrol.short", "patrol_id": str(patrol_id)}

        # The 10:07 run happens as planned, and warns nobody again.
        clock.move_to(local(2026, 10, 12, 10, 7))
        with app.app_context():
            assert scheduler.run_slot(scheduler.by_name("patrol-short-teams"), "2026-10-12T10:07") is True
            dispatcher.run(stop_when_idle=True)
        assert len(fcm.to("fid-anna-phone")) == 1

    unknown = runner.invoke(args=["jobs", "run", "patrol-everything"])
    assert unknown.exit_code != 0
    assert "no job named 'patrol-everything'" in unknown.output


def test_flask_jobs_run_says_so_when_the_job_fails(app, monkeypatch):

    def broken() -> None:
        raise RuntimeError("no database")

    jobs = [*scheduler.registry(), scheduler.Job("test-broken", broken, {"minute": "*"})]
    monkeypatch.setattr(scheduler, "registry", lambda: jobs)
    result = app.test_cli_runner().invoke(args=["jobs", "run", "test-broken"])
    assert result.exit_code != 0
    assert "test-broken failed" in result.output
    [run] = runs_of(app, "test-broken")
    assert "RuntimeError: no database" in run.error


def test_flask_jobs_list_names_every_job_and_when_it_runs(app):
    result = app.test_cli_runner().invoke(args=["jobs", "list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    with app.app_context():
        jobs = scheduler.registry()
    assert len(lines) == len(jobs) == len({j.name for j in jobs})
    for job, line in zip(jobs, lines, strict=True):
        assert line.split()[0] == job.name
        assert " ".join(f"{k}={v}" for k, v in job.cron.items()) in line
    monthly = next(line for line in lines if line.startswith("monthly-summary"))
    assert "day=1 hour=7 minute=0" in monthly and "grace 12:00:00" in monthly
    names = {j.name for j in jobs}
    assert {
        "patrol-reminders", "patrol-short-teams", "patrol-overdue", "alert-expiry", "alert-close-reminders",
        "monthly-summary", "retention", "push-outbox-sweep", "mail",
    } <= names  # fmt: skip


# Standing by


def advisory_lock_held(app) -> bool:
    """Whether a scheduler holds the lock in this test run's database (other runs have their own)."""
    with app.app_context():
        return bool(
            db.session().scalar(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = :k "
                    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                ),
                {"k": scheduler.ADVISORY_LOCK_KEY & 0xFFFFFFFF},
            )
        )


def test_a_second_scheduler_stands_by_until_the_first_one_stops(app, is_postgres, tmp_path, monkeypatch):
    lock_file = tmp_path / "scheduler.lock"
    settings = dataclasses.replace(app.config["BUURTWACHT"], SCHEDULER_LOCK_FILE=str(lock_file))
    monkeypatch.setitem(app.config, "BUURTWACHT", settings)
    entered, events = threading.Event(), []

    def second_scheduler() -> None:
        with scheduler.leadership(app, poll_seconds=0.02):
            events.append(("second in", time.monotonic()))
            entered.set()

    with scheduler.leadership(app, poll_seconds=0.02):
        events.append(("first in", time.monotonic()))
        standby = threading.Thread(target=second_scheduler)
        standby.start()
        assert not entered.wait(0.5)  # standing by
        if is_postgres:
            assert advisory_lock_held(app)
        else:
            assert lock_file.exists()
        events.append(("first out", time.monotonic()))
    standby.join(10)
    assert entered.is_set()  # it took over once the first one stopped
    assert [name for name, _ in events] == ["first in", "first out", "second in"]
    if is_postgres:
        assert not advisory_lock_held(app)  # released when the second one left too


def test_a_volunteer_turns_reminders_off_in_the_app(client, make):
    bram = make.person("Bram Jansen")
    me = client.get("/api/v1/me", headers=make.headers(bram)).get_json()
    assert me["person"]["reminder_hours"] == [24, 2]
    response = client.patch("/api/v1/me", json={"reminder_hours": []}, headers=make.headers(bram))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["person"]["reminder_hours"] == []
    response = client.patch("/api/v1/me", json={"reminder_hours": [2, 12]}, headers=make.headers(bram))
    assert response.get_json()["person"]["reminder_hours"] == [12, 2]


@pytest.mark.parametrize(
    ("hours", "reason"),
    [
        ([0], "tussen 1 en 72"),
        ([73], "tussen 1 en 72"),
        ([2, 2], "maar één keer"),
        ([1, 2, 3, 4, 5], "4"),
    ],
)
def test_reminder_hours_out_of_range_are_refused_and_change_nothing(client, make, hours, reason):
    bram = make.person("Bram Jansen")
    response = client.patch("/api/v1/me", json={"reminder_hours": hours}, headers=make.headers(bram))
    assert response.status_code == 422
    assert reason in str(response.get_json()["errors"]["json"]["reminder_hours"])
    assert client.get("/api/v1/me", headers=make.headers(bram)).get_json()["person"]["reminder_hours"] == [24, 2]
