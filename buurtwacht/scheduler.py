"""The scheduler process: every feature's jobs on APScheduler, in Europe/Amsterdam time, each slot once.

Run it as its own process (`flask scheduler run` or `buurtwacht-scheduler`), never in web
workers. Exactly-once rests on the database, not on the scheduler: before a job runs for a slot
(its planned local wall-clock time) it inserts a JobRun with a unique (job, slot); a second
scheduler, a restart, or the hour that repeats when summer time ends finds the row and skips
(jobs that run every hour or more often run in both passes of that hour: see slot_of).
A second scheduler process stands by on a lock (a PostgreSQL advisory lock, a file lock on
SQLite). At start, each job's latest slot within its grace period that never ran is run once,
so a restart at 07:30 on the 1st still sends the monthly summary.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import socket
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from buurtwacht import db
from buurtwacht.localtime import local_zone
from buurtwacht.models import JobRun

log = logging.getLogger(__name__)

ADVISORY_LOCK_KEY = 0x6275757274  # "buurt"


@dataclass(frozen=True)
class Job:
    """A job: its name, when it runs (cron fields in local time), how late it may still run."""

    name: str
    func: Callable[[], Any]
    cron: dict[str, Any]
    grace: dt.timedelta = dt.timedelta(minutes=10)

    def trigger(self) -> CronTrigger:
        return CronTrigger(timezone=local_zone(), **self.cron)

    @property
    def hourly_or_more(self) -> bool:
        """Whether the job runs every hour (no hours named): then both passes of the repeated hour count."""
        return str(self.cron.get("hour", "*")) == "*"


def registry() -> list[Job]:
    """Every feature's jobs, from its own jobs.py."""
    from buurtwacht.alerts import jobs as alert_jobs
    from buurtwacht.forwarding import jobs as forwarding_jobs
    from buurtwacht.mail import jobs as mail_jobs
    from buurtwacht.patrols import jobs as patrol_jobs
    from buurtwacht.privacy import jobs as privacy_jobs
    from buurtwacht.push import jobs as push_jobs
    from buurtwacht.schedules import jobs as schedule_jobs
    from buurtwacht.summaries import jobs as summary_jobs

    modules = (
        patrol_jobs,
        schedule_jobs,
        alert_jobs,
        summary_jobs,
        privacy_jobs,
        push_jobs,
        mail_jobs,
        forwarding_jobs,
    )
    return [job for module in modules for job in module.JOBS]


def by_name(name: str) -> Job:
    for job in registry():
        if job.name == name:
            return job
    raise KeyError(name)


def slot_of(moment: dt.datetime, job: Job | None = None) -> str:
    """The slot key: local wall-clock time to the minute, so a nightly 02:30 job runs once in the
    autumn's repeated hour. A job that runs every hour or more often must run in both passes of
    that hour (an overdue patrol cannot wait an hour), so its second pass carries the offset."""
    local = moment.astimezone(local_zone())
    key = local.strftime("%Y-%m-%dT%H:%M")
    if job is not None and job.hourly_or_more and local.fold:
        key += local.strftime("%z")
    return key


def run_slot(job: Job, slot: str) -> bool:
    """Claim the slot and run the job; False if another scheduler (or an earlier run) had it."""
    session = db.session()
    claim = JobRun(job=job.name, slot=slot, runner=f"{socket.gethostname()}:{os.getpid()}")
    session.add(claim)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        log.info("job %s slot %s already ran", job.name, slot)
        return False
    claim_id = claim.id
    error = None
    try:
        job.func()
    except Exception:
        error = traceback.format_exc(limit=20)
        log.exception("job %s slot %s failed", job.name, slot)
    session.rollback()  # whatever the job left uncommitted after a failure
    finished = session.get_one(JobRun, claim_id)
    finished.finished_at, finished.error = db.utcnow(), error
    session.commit()
    return error is None


def latest_fire(job: Job, now: dt.datetime) -> dt.datetime | None:
    """The job's latest planned time within its grace period before `now`."""
    trigger = job.trigger()
    latest = None
    fire = trigger.get_next_fire_time(None, now - job.grace)
    while fire is not None and fire <= now:
        latest = fire
        # Step in UTC: wall-clock arithmetic on an aware local time drops the fold, and in the
        # repeated autumn hour would step back an hour, for ever.
        fire = trigger.get_next_fire_time(fire, fire.astimezone(dt.UTC) + dt.timedelta(seconds=1))
    return latest


def missed_slot(job: Job, now: dt.datetime) -> str | None:
    """The latest planned slot within the grace period, if it has not run."""
    latest = latest_fire(job, now)
    if latest is None:
        return None
    slot = slot_of(latest, job)
    ran = db.session().scalar(select(JobRun.id).where(JobRun.job == job.name, JobRun.slot == slot))
    return None if ran else slot


def catch_up(app: Flask) -> list[tuple[str, str]]:
    """Run, once, each job whose latest slot fell while no scheduler ran."""
    done = []
    with app.app_context():
        now = db.utcnow()
        for job in registry():
            slot = missed_slot(job, now)
            if slot is not None and run_slot(job, slot):
                done.append((job.name, slot))
    return done


@contextmanager
def leadership(app: Flask, poll_seconds: float = 5.0) -> Iterator[None]:
    """Hold the scheduler lock while the block runs; a second scheduler process waits here."""
    with app.app_context():
        url = db.database().url
    if url.startswith("postgresql"):
        engine = db.make_engine(url)
        connection = engine.connect()
        try:
            while not connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_LOCK_KEY}).scalar():
                connection.rollback()
                log.info("another scheduler is active; standing by")
                time.sleep(poll_seconds)
            connection.commit()
            yield
        finally:
            connection.close()  # closing the session releases the advisory lock
            engine.dispose()
        return
    path = Path(app.config["BUURTWACHT"].SCHEDULER_LOCK_FILE)
    if not path.is_absolute():
        path = Path(app.instance_path) / path
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                log.info("another scheduler is active; standing by")
                time.sleep(poll_seconds)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _runner(app: Flask, job: Job) -> Callable[[], None]:
    def run() -> None:
        with app.app_context():
            # The slot is the planned time this call stands for, not the moment it started.
            planned = latest_fire(job, db.utcnow()) or db.utcnow()
            run_slot(job, slot_of(planned, job))

    return run


def run_forever(app: Flask) -> None:
    """Become the active scheduler (or wait to), catch up, then run every job on its cron."""
    zone = app.config["BUURTWACHT"].TIMEZONE
    with leadership(app):
        for name, slot in catch_up(app):
            log.info("caught up %s for %s", name, slot)
        scheduler = BlockingScheduler(timezone=zone)
        with app.app_context():
            jobs = registry()
            for job in jobs:
                scheduler.add_job(
                    _runner(app, job),
                    trigger=job.trigger(),
                    id=job.name,
                    name=job.name,
                    coalesce=True,
                    max_instances=1,
                    misfire_grace_time=int(job.grace.total_seconds()),
                )
        log.info("scheduler started with %d jobs", len(jobs))
        scheduler.start()


def run_now(name: str) -> bool:
    """Run one job at once, outside its schedule (in a slot of its own, so the planned one still runs)."""
    job = by_name(name)
    return run_slot(job, "manual:" + dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f"))
