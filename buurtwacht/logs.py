"""Structured logs: one JSON object per line, each request's lines tied together by a request id.

What is logged is chosen so that no personal data or secret reaches a log: a request is logged
by its URL rule (`/api/v1/notes/<uuid:note_id>`, never the URL itself, which may hold a calendar
token), its method, status and duration; never headers, bodies or query strings.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
import time
import uuid
from typing import Any

import orjson
from flask import Flask, Response, g, has_request_context

from buurtwacht.context import here, this_request

REQUEST_ID_HEADER = "X-Request-ID"
# A client's own request id is kept when it is plainly an id (a phone's retry can then be traced).
CLIENT_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
request_log = logging.getLogger("buurtwacht.request")


def request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON: time (UTC), level, logger, message, request id, fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", None) or request_id()
        if rid:
            entry["request_id"] = rid
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        try:
            return orjson.dumps(entry, default=str).decode()
        except TypeError:  # what orjson will not write (a key that is not text, an integer beyond 64 bits)
            return json.dumps(entry, default=str, ensure_ascii=False)


def configure(log_format: str, level: int = logging.INFO) -> None:
    """Send every log line to stderr, as JSON (`json`) or as readable text (`text`)."""
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.set_name("buurtwacht")
    root = logging.getLogger()
    # Replace our own handler if configured before; leave others (a test runner's) alone.
    root.handlers[:] = [h for h in root.handlers if h.get_name() != "buurtwacht"] + [handler]
    root.setLevel(level)


def resolved_format(setting: str, env: str) -> str:
    """`auto` is JSON in production, text elsewhere."""
    if setting == "auto":
        return "json" if env == "production" else "text"
    return setting


def _start() -> None:
    state = here()
    incoming = this_request().headers.get(REQUEST_ID_HEADER, "")
    state.request_id = incoming if CLIENT_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
    state.request_started = time.perf_counter()


def route_of_request() -> str:
    """The URL rule that answered, e.g. /api/v1/groups/<uuid:group_id>; never the URL itself."""
    rule = this_request().url_rule
    return rule.rule if rule is not None else "unmatched"


def _finish(response: Response) -> Response:
    state = here()
    rid = state.get("request_id")
    response.headers[REQUEST_ID_HEADER] = rid or ""
    if not request_log.isEnabledFor(logging.INFO):
        return response
    started = state.get("request_started")
    duration_ms = round((time.perf_counter() - started) * 1000, 2) if started is not None else None
    method, route, status = this_request().method, route_of_request(), response.status_code
    fields = {"method": method, "route": route, "status": status, "duration_ms": duration_ms}
    if "read_cache" in state:
        fields["read_cache"] = state.read_cache
    # The record made and handled directly: Logger.info would also look up its caller's file and line on
    # the stack, which no line of ours shows.
    record = request_log.makeRecord(
        request_log.name, logging.INFO, __file__, 0, "%s %s %s", (method, route, status), None,
        extra={"request_id": rid, "fields": fields},
    )  # fmt: skip
    request_log.handle(record)
    return response


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
