"""Walking the scheduler through time: every registry job at each of its planned times, then delivery.

Moving the clock minute by minute is too slow; instead each job's fire times are taken from its own
trigger, and at each of them (in time order, with the frozen clock there) the job runs for its slot
as the scheduler process would run it, in an app context of its own. After every moment the push
dispatcher runs, and what reached the fake FCM and the SMTP server is recorded with the moment it
arrived.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from flask import Flask

from buurtwacht import scheduler
from buurtwacht.push import dispatcher
from tests.fakes.fcm import FakeFcm
from tests.mail.smtpd import Inbox, Received

AMS = ZoneInfo("Europe/Amsterdam")


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


def local(*parts: int) -> dt.datetime:
    """A wall-clock time in Emmen (never one of the repeated autumn hour's)."""
    return dt.datetime(*parts, tzinfo=AMS)


def fire_times(job: scheduler.Job, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """The job's planned times in [start, end), in UTC.

    The step past each fire time is taken in UTC: adding a second to an aware Europe/Amsterdam time
    is wall-clock arithmetic, which in the repeated autumn hour lands in its first pass again.
    """
    trigger = job.trigger()
    out: list[dt.datetime] = []
    moment = start
    while True:
        fire = trigger.get_next_fire_time(None, moment)
        if fire is None or fire >= end:
            return out
        out.append(fire.astimezone(dt.UTC))
        moment = fire.astimezone(dt.UTC) + dt.timedelta(seconds=1)


@dataclass
class Push:
    at: dt.datetime
    message: dict[str, Any]

    @property
    def to(self) -> str:
        return str(self.message.get("fid") or self.message.get("token"))

    @property
    def kind(self) -> str:
        return str(self.message.get("data", {}).get("type"))

    @property
    def title(self) -> str:
        return str(self.message["notification"]["title"])

    @property
    def body(self) -> str:
        return str(self.message["notification"]["body"])

    def about(self, key: str) -> str | None:
        return self.message.get("data", {}).get(key)


@dataclass
class Mail:
    at: dt.datetime
    received: Received


@dataclass
class Walk:
    app: Flask
    fcm: FakeFcm
    inbox: Inbox
    pushes: list[Push] = field(default_factory=list)
    mails: list[Mail] = field(default_factory=list)
    runs: list[tuple[str, str, bool]] = field(default_factory=list)  # (job, slot, ran)
    tried: list[tuple[dt.datetime, str]] = field(default_factory=list)  # (moment, recipient) of each SMTP attempt

    def through(
        self,
        start: dt.datetime,
        end: dt.datetime,
        actions: dict[dt.datetime, list[Callable[[], None]]] | None = None,
        only: set[str] | None = None,
    ) -> None:
        """Run every registry job (or `only` these) at each planned time in [start, end); `actions` come first."""
        actions = actions or {}
        with self.app.app_context():
            jobs = [job for job in scheduler.registry() if only is None or job.name in only]
        due: dict[dt.datetime, list[scheduler.Job]] = {}
        for job in jobs:  # registry order within one moment, as listed
            for fire in fire_times(job, start, end):
                due.setdefault(fire, []).append(job)
        moments = sorted(set(due) | {m for m in actions if start <= m < end})
        with time_machine.travel(start, tick=False) as clock:
            for moment in moments:
                clock.move_to(moment)
                for action in actions.get(moment, []):
                    action()
                for job in due.get(moment, []):
                    with self.app.app_context():
                        slot = scheduler.slot_of(moment, job)
                        self.runs.append((job.name, slot, scheduler.run_slot(job, slot)))
                self.deliver(moment)

    def deliver(self, moment: dt.datetime) -> None:
        """Run the push dispatcher until idle; note what arrived where, and when."""
        seen = len(self.fcm.received)
        with self.app.app_context():
            dispatcher.run(stop_when_idle=True)
        self.pushes += [Push(moment, m) for m in self.fcm.received[seen:]]
        have = len(self.mails)
        self.mails += [Mail(moment, r) for r in self.inbox.received[have:]]
        tried = len(self.tried)
        self.tried += [(moment, address) for address in self.inbox.attempts[tried:]]

    def mails_tried_at(self, moment: dt.datetime) -> list[str]:
        return [address for at, address in self.tried if at == moment]

    def pushes_to(self, address: str, kind: str | None = None, **about: uuid.UUID) -> list[Push]:
        return [
            p
            for p in self.pushes
            if p.to == address
            and (kind is None or p.kind == kind)
            and all(p.about(k) == str(v) for k, v in about.items())
        ]
