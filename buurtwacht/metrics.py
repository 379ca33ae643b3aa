"""Prometheus metrics at /metrics, for the operations team only (a bearer token of its own).

Request latency is measured in each web worker (summed over gunicorn's workers through
prometheus_client's multiprocess mode when PROMETHEUS_MULTIPROC_DIR is set). What the other
processes do (pushes sent and failed, e-mail, job runs) is read from the database at scrape time,
so the numbers are the same whichever worker answers and survive restarts.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Iterator
from typing import Any

from flask import Flask, Response, abort, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import case, func, select

from buurtwacht import db
from buurtwacht.auth.identities import LOOKUPS as SIGN_IN_LOOKUPS
from buurtwacht.context import here, this_request
from buurtwacht.models import Broadcast, Delivery, Email, JobRun, Notification
from buurtwacht.readcache import LOOKUPS

REQUEST_SECONDS = Histogram(
    "buurtwacht_http_request_duration_seconds",
    "Time to answer a request, by URL rule, method and status",
    ["route", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)


class OutboxCollector(Collector):
    """Pushes and e-mail by status, work not yet expanded, and job runs: read from the database."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        session = db.session()
        deliveries = GaugeMetricFamily(
            "buurtwacht_push_deliveries", "Push deliveries by status (pending is the backlog)", labels=["status"]
        )
        for status, count in session.execute(select(Delivery.status, func.count()).group_by(Delivery.status)):
            deliveries.add_metric([str(status)], count)
        yield deliveries
        unexpanded = session.scalar(select(func.count()).select_from(Broadcast).where(Broadcast.expanded_at.is_(None)))
        unexpanded_notes = session.scalar(
            select(func.count()).select_from(Notification).where(Notification.expanded_at.is_(None))
        )
        yield GaugeMetricFamily(
            "buurtwacht_push_outbox_unexpanded",
            "Alert messages and notifications written but not yet turned into deliveries",
            value=(unexpanded or 0) + (unexpanded_notes or 0),
        )
        emails = GaugeMetricFamily("buurtwacht_emails", "E-mails by status (pending is the backlog)", labels=["status"])
        for status, count in session.execute(select(Email.status, func.count()).group_by(Email.status)):
            emails.add_metric([str(status)], count)
        yield emails
        runs = GaugeMetricFamily(
            "buurtwacht_job_runs", "Scheduled job runs by job and outcome", labels=["job", "outcome"]
        )
        outcome = case((JobRun.error.is_not(None), "failed"), (JobRun.finished_at.is_(None), "running"), else_="ok")
        for job, result, count in session.execute(
            select(JobRun.job, outcome, func.count()).group_by(JobRun.job, outcome)
        ):
            runs.add_metric([job, result], count)
        yield runs
        session.rollback()  # a read-only scrape leaves nothing open


# Each (route, method, status)'s histogram, looked up once: `labels` checks and locks on every call.
_CHILDREN: dict[tuple[str, str, int], Any] = {}


def _observe(response: Response) -> Response:
    started = here().get("request_started")
    current = this_request()
    rule = current.url_rule
    if started is not None and rule is not None and rule.rule != "/metrics":
        key = (rule.rule, current.method, response.status_code)
        child = _CHILDREN.get(key)
        if child is None:
            child = _CHILDREN[key] = REQUEST_SECONDS.labels(key[0], key[1], str(key[2]))
        child.observe(time.perf_counter() - started)
    return response


def _authorized() -> bool:
    token = current_app.config["BUURTWACHT"].METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


def scrape() -> Response:
    """The metrics, for a Prometheus server holding BUURTWACHT_METRICS_TOKEN; 404 when none is set."""
    if not current_app.config["BUURTWACHT"].METRICS_TOKEN:
        abort(404)
    if not _authorized():
        return Response("metrics need their bearer token\n", status=401, headers={"WWW-Authenticate": "Bearer"})
    registry: Any = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_SECONDS)
        registry.register(LOOKUPS)
        registry.register(SIGN_IN_LOOKUPS)
    registry.register(OutboxCollector())
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    app.after_request(_observe)
    app.add_url_rule("/metrics", "metrics", scrape, methods=["GET"])
