"""Schemathesis over the app's whole OpenAPI document: no 5xx, and no answer that breaks the document.

The document is the live one flask-smorest writes (`/openapi.json`), loaded with
`schemathesis.openapi.from_wsgi` from the very app under test, never the committed file. Every
operation is its own test, sent in-process through WSGI, against a fresh copy of the authorization
matrix's world (tests/test_authorization_matrix.py: groups A and B, their patrols, schedule, swap,
notes, photo, alert, devices, feeds) as each of its eight roles in turn: anonymous; the volunteer,
coordinator and wijkagent of group A; their counterparts of group B (members of another group);
the admin. Roles run from the least to the most powerful, so one that removes or closes something
runs after those who only look.

Reaching past 404s: path parameters, a few query parameters and the id-like fields of bodies are
drawn (by hypothesis, so the run stays reproducible) from the world's real objects, from what
schemathesis generated, or from EDGES (values at the edge of what a field holds: year 1 and 9999,
ids beyond 2**31 and 2**63), and one case in ten puts HOSTILE input in a body field (a lone
surrogate, control characters, JSON nested 600 levels deep). Times the app bounds (a note's
`observed_at`, a patrol's window) are sometimes moved near now, and alerts sometimes get the target
a rule needs (area_ids or circle).

Budget: rate limits too high to reach (tests/fuzz/conftest.py); hypothesis derandomized (the same
cases every run), without its example database and without shrinking; EXAMPLES cases per role and
generation mode, about 6,000 requests in all: ~80 s on SQLite and ~90 s on PostgreSQL on two cores.
BUURTWACHT_FUZZ_SCALE=20 makes a deeper run on a developer's machine (20 times the cases and time).

Checks, as schemathesis 4 names them:

- `not_a_server_error`: no 5xx. An exception in the app (schemathesis re-raises it instead of
  returning the 500) counts as one.
- `response_schema_conformance`: every JSON body matches the schema documented for its status.
- `status_code_conformance`: the status is documented. flask-smorest documents a `default` error
  response on every operation, and `default` stands for every status, so this check cannot fail
  here; it stays in to catch an operation that loses its `default`.
- `content_type_conformance`: the media type is one the document names for that status. flask-smorest
  documents no content for `@blp.response(200)` without a schema (the iCalendar feed, the CSV export,
  photos, CAP, Atom), so for those answers there is nothing to compare.
- `headers_conformance` (below), in place of `response_headers_conformance`: every documented
  response header matches its schema.

Left out, each because it clashes with what flask-smorest documents:

- `response_headers_conformance`: flask-smorest documents the `X-Pagination` header of every list
  as an object schema (`PaginationMetadata`), and sends it as JSON text. OpenAPI reads an object header in the `simple` style (`k,v,k,v`), so schemathesis
  refuses every paginated answer (ST108 "... is not of type 'object'"). headers_conformance checks
  the same headers, reading an object-typed one the way flask-smorest writes it: as JSON.
- `positive_data_acceptance` (not asked for; named because schemathesis has it): it expects a 2xx for
  any input the document allows, but flask-smorest does not document marshmallow's `unknown = RAISE`
  (no `additionalProperties: false`), and nothing documents the rules a service applies (roles,
  windows, states), so input the document allows is refused with 4xx by design.

Known bugs: inputs that hit one are not sent (KNOWN_BUGS, each naming its strict xfail in
tests/fuzz/test_fuzz_findings.py), so the rest of the operation is still fuzzed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import jsonschema
import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode, Response
from schemathesis.checks import (
    CheckContext,
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup
from schemathesis.schemas import BaseSchema

from buurtwacht import create_app
from buurtwacht.config import Settings
from buurtwacht.notes.categories import CATEGORIES
from tests.factories import Factory
from tests.fuzz import test_fuzz_findings as findings
from tests.test_authorization_matrix import World, small_png

# From the least to the most powerful in group A.
ROLES = (
    "anonymous",
    "other_volunteer",
    "other_coordinator",
    "other_officer",
    "volunteer",
    "officer",
    "coordinator",
    "admin",
)

# Cases per role and generation mode. Anonymous callers get 401 on everything under /api/v1, so a few do.
EXAMPLES = {
    GenerationMode.POSITIVE: {"anonymous": 2, "signed_in": 7},
    GenerationMode.NEGATIVE: {"anonymous": 0, "signed_in": 2},
}

# A deeper run on a developer's machine: BUURTWACHT_FUZZ_SCALE=20 multiplies the cases (and the time).
SCALE = int(os.environ.get("BUURTWACHT_FUZZ_SCALE", "1"))

HTTP_METHODS = ("get", "put", "post", "delete", "patch")


def _document_operations() -> list[tuple[str, str]]:
    """(METHOD, path) of every operation, from the document the app writes (create_app does no I/O)."""
    app = create_app(Settings.from_env(environ={}, ENV="test", AUTH_MODE="local", DATABASE_URL="sqlite://"))
    document = app.test_client().get("/openapi.json").get_json()
    return [
        (method.upper(), path) for path, item in document["paths"].items() for method in item if method in HTTP_METHODS
    ]


OPERATIONS = _document_operations()


# The check that stands in for response_headers_conformance ------------------------------------------


def _resolve(document: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _header_value(raw: str, schema: dict[str, Any]) -> Any:
    """A header's text as its schema reads it: an object as JSON (how flask-smorest sends X-Pagination)."""
    kind = schema.get("type")
    try:
        if kind == "object":
            return json.loads(raw)
        if kind == "integer":
            return int(raw)
        if kind == "number":
            return float(raw)
    except ValueError as exc:
        raise AssertionError(f"{raw!r} is not {'JSON' if kind == 'object' else 'a ' + kind}") from exc
    return raw


def headers_conformance(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """schemathesis's response_headers_conformance, except that an object-typed header is read as the
    JSON text flask-smorest sends (X-Pagination), not in OpenAPI's `simple` style."""
    document = case.operation.schema.raw_schema
    responses = document["paths"][case.operation.path][case.operation.method.lower()]["responses"]
    documented = _resolve(document, responses.get(str(response.status_code), responses.get("default")))
    for name, header in (documented or {}).get("headers", {}).items():
        header = _resolve(document, header)
        values = response.headers.get(name.lower())
        if not values:
            assert not header.get("required"), f"header {name} is missing"
            continue
        schema = _resolve(document, header.get("schema", {}))
        value = _header_value(values[0], schema)
        errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(value)]
        assert not errors, f"header {name}: {values[0]} breaks its schema: {errors}"
    return None


CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
    headers_conformance,
]


# Known bugs: inputs not sent, each bug pinned by a strict xfail in test_fuzz_findings.py ------------


@dataclass(frozen=True)
class KnownBug:
    """Inputs that hit a known bug: not sent, so the rest of the operation is still fuzzed."""

    operations: tuple[str, ...] | None  # "METHOD /path" as in the document; None: every operation
    xfails: tuple[str, ...]  # the tests in tests/fuzz/test_fuzz_findings.py that pin it
    matches: Callable[[Case], bool]


# None open: the fuzzer sends every input it draws.
KNOWN_BUGS: list[KnownBug] = []


# Aiming generated cases at the world --------------------------------------------------------------


def _ids(*values: Any) -> list[str]:
    return [str(v) for v in values]


def _path_values(w: World, role: str) -> dict[str, list[Any]]:
    """Real values for each path parameter name of the document."""
    return {
        "group_id": _ids(w.group_a.id, w.group_b.id),
        "membership_id": _ids(*w.own_membership.values(), w.target_membership, w.pending_membership),
        "area_id": [w.group_a.area_id, w.spare_area_id, w.district_id, w.subscribed_area_id],
        "person_id": _ids(w.target.id, w.person("officer").id, w.person("volunteer").id, w.applicant.id),
        "patrol_id": _ids(w.patrol, w.next_patrol, w.running),
        "schedule_id": _ids(w.schedule),
        "swap_id": _ids(w.swap),
        "token": [w.feed_tokens.get(role, w.feed_tokens["volunteer"])],
        "note_id": _ids(w.note, w.unshared_note, w.held_note),
        "photo_id": _ids(w.photo),
        "alert_id": _ids(w.alert),
        "device_id": _ids(w.devices.get(role, w.devices["volunteer"])),
        "month": [w.month],
    }


def _query_values(w: World) -> dict[str, list[Any]]:
    now = dt.datetime.now(dt.UTC)
    return {
        "area_id": [w.group_a.area_id, w.subscribed_area_id],
        "patrol_id": _ids(w.patrol, w.running),
        "year": [w.stats_year],
        "from": [(now - dt.timedelta(days=2)).isoformat()],
        "to": [(now + dt.timedelta(days=5)).isoformat()],
        "page": [1, 2],
        "page_size": [1, 100],
    }


def _body_values(w: World) -> dict[str, list[Any]]:
    now = dt.datetime.now(dt.UTC)
    return {
        "area_id": [w.group_a.area_id, w.spare_area_id],
        "area_ids": [[w.group_a.area_id], [w.subscribed_area_id]],
        "group_id": _ids(w.group_a.id),
        "person_id": _ids(w.target.id, w.person("volunteer").id),
        "to_person_id": _ids(w.target.id, w.person("coordinator").id),
        "person_ids": [_ids(w.target.id)],
        "patrol_id": _ids(w.patrol, w.running),
        "other_patrol_id": _ids(w.patrol),
        "code": [w.invite_code],
        "category": list(CATEGORIES),
        "categories": [list(CATEGORIES)[:3]],
        "observed_at": [(now - dt.timedelta(minutes=30)).isoformat()],
        "rrule": ["FREQ=WEEKLY;BYDAY=TU", "FREQ=DAILY;INTERVAL=3"],
        "start_time": ["20:00"],
        "end_time": ["22:00"],
        "quiet_from": ["22:30"],
        "quiet_until": ["07:00"],
        "photo": [small_png()],
    }


# Values at the edges of what a field can hold, drawn one time in five where there are some.
EDGES: dict[str, list[Any]] = {
    name: ["0001-01-01T00:00:00", "0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00+00:00"]
    for name in ("observed_at", "starts_at", "ends_at", "from", "to")
} | {
    "area_ids": [[2**31], [2**63]],
    "area_id": [2**31, 2**63],
    "page": [2**31, 2**63],
    "page_size": [2**31],
    "year": [1, 9999],
}

# Input no field may hold, put in place of one JSON body field's value in one case of ten: a lone surrogate
# (valid JSON, no UTF-8), line breaks and control characters (mail headers, CSV, XML), and JSON nested
# far deeper than the app parses (Python's parser recursed once a level: a RecursionError, a 500).
DEEPLY_NESTED: Any = []
for _ in range(600):
    DEEPLY_NESTED = [DEEPLY_NESTED]
HOSTILE: list[Any] = ["Bargeres\ud800", "\udfff", "Bargeres\r\nBcc: iedereen@example.org", "sirene\x07", DEEPLY_NESTED]

# Fields a rule needs although the document cannot say so (one of area_ids and circle): sometimes added.
BODY_ADDITIONS = {"POST /api/v1/alerts": ("area_ids",)}


def _real_or_generated(data: st.DataObject, name: str, generated: Any, real: list[Any], label: str) -> Any:
    """What schemathesis generated one time in five, an edge value one in five (if any), else a real one."""
    choice = data.draw(st.integers(0, 4), label=f"{label}: 0 generated, 1 edge, else real")
    if choice == 1 and name in EDGES:
        return data.draw(st.sampled_from(EDGES[name]), label=label)
    if choice >= 1 and real:
        return data.draw(st.sampled_from(real), label=label)
    return generated


def _near_future_window(data: st.DataObject) -> tuple[str, str]:
    days, hours = data.draw(st.integers(1, 20), label="days ahead"), data.draw(st.integers(1, 3), label="hours")
    starts = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=days)
    return starts.isoformat(), (starts + dt.timedelta(hours=hours)).isoformat()


def _aim(container: Any, real: dict[str, list[Any]], data: st.DataObject, where: str) -> None:
    if isinstance(container, dict):
        for name in list(container):
            if name in real or name in EDGES:
                real_values = real.get(name, [])
                container[name] = _real_or_generated(data, name, container[name], real_values, f"{where}.{name}")


def aim_at_world(case: Case, data: st.DataObject, w: World, role: str) -> None:
    """Point path parameters, some query parameters and body fields at the world's real objects."""
    _aim(case.path_parameters, _path_values(w, role), data, "path")
    _aim(case.query, _query_values(w), data, "query")
    if not isinstance(case.body, dict):
        return
    real = _body_values(w)
    _aim(case.body, real, data, "body")
    label = f"{case.operation.method.upper()} {case.operation.path}"
    for name in BODY_ADDITIONS.get(label, ()):
        if name not in case.body and data.draw(st.booleans(), label=f"add body.{name}"):
            case.body[name] = data.draw(st.sampled_from(real[name]), label=f"body.{name}")
    if "starts_at" in case.body and "ends_at" in case.body and data.draw(st.booleans(), label="near now"):
        case.body["starts_at"], case.body["ends_at"] = _near_future_window(data)
    json_body = (case.media_type or "application/json") == "application/json"
    if json_body and case.body and data.draw(st.integers(0, 9), label="hostile: 0 yes") == 0:
        name = data.draw(st.sampled_from(sorted(case.body)), label="hostile field")
        case.body[name] = data.draw(st.sampled_from(HOSTILE), label=f"hostile body.{name}")


# Running one operation ---------------------------------------------------------------------------


@dataclass
class Found:
    """One kind of failure of an operation: the roles that met it and the first request that did."""

    status: int
    title: str
    mode: str
    request: str
    message: str
    roles: list[str] = field(default_factory=list)

    def describe(self) -> str:
        lines = [f"{self.status} {self.title} ({self.mode} data; as {', '.join(self.roles)})", f"    {self.request}"]
        return "\n".join(lines + [f"    {line}" for line in self.message.splitlines()[:16]])


def _raised(exc: BaseException) -> str:
    where = traceback.extract_tb(exc.__traceback__)[-1]
    return f"{type(exc).__name__}: {exc}\nraised at {where.filename}:{where.lineno} in {where.name}"


def _failures(case: Case, response: Response) -> Iterator[Any]:
    try:
        case.validate_response(response, checks=CHECKS)
    except FailureGroup as group:
        yield from group.exceptions


@pytest.fixture(scope="module")
def schema(unlimited_app: Flask) -> BaseSchema:
    config = schemathesis.Config.from_dict({"generation": {"with-security-parameters": False}})
    return schemathesis.openapi.from_wsgi("/openapi.json", unlimited_app, config=config)


def test_every_operation_of_the_document_is_fuzzed(schema: BaseSchema) -> None:
    in_schema = {(op.ok().method.upper(), op.ok().path) for op in schema.get_all_operations()}
    assert in_schema == set(OPERATIONS)
    for bug in KNOWN_BUGS:
        for label in bug.operations or ():
            assert tuple(label.split(" ", 1)) in in_schema, (label, bug.xfails)
        for name in bug.xfails:
            assert hasattr(findings, name), f"KNOWN_BUGS names {name}, which tests/fuzz/test_fuzz_findings.py lacks"


@dataclass
class Run:
    """One operation's fuzzing: the app and world it aims at, and the distinct failures found."""

    app: Flask
    world: World
    known: list[KnownBug]
    found: dict[tuple[int, str, str], Found]

    def record(self, role: str, mode: GenerationMode, case: Case, status: int, title: str, message: str) -> None:
        key = (status, title, mode.value)
        if key not in self.found:
            self.found[key] = Found(status, title, mode.value, case.as_curl_command(), message)
        if role not in self.found[key].roles:
            self.found[key].roles.append(role)

    def fuzz(self, strategy: st.SearchStrategy[Case], mode: GenerationMode, role: str, headers: dict[str, str]) -> None:
        examples = EXAMPLES[mode]["anonymous" if role == "anonymous" else "signed_in"] * SCALE
        if not examples:
            return

        @settings(
            max_examples=examples,
            derandomize=True,
            database=None,
            deadline=None,
            phases=(Phase.explicit, Phase.generate),
            suppress_health_check=list(HealthCheck),
        )
        @given(data=st.data())
        def one_case(data: st.DataObject) -> None:
            case = data.draw(strategy, label="case")
            if role == "anonymous" and case.headers:
                case.headers.pop("Authorization", None)
            aim_at_world(case, data, self.world, role)
            if any(bug.matches(case) for bug in self.known):
                return
            try:
                response = case.call(app=self.app, headers=headers)
            except Exception as exc:  # schemathesis re-raises what the app raised: a 500
                self.record(role, mode, case, 500, f"Unhandled {type(exc).__name__} (a 500)", _raised(exc))
                return
            for failure in _failures(case, response):
                self.record(role, mode, case, response.status_code, failure.title, failure.message)

        try:
            one_case()
        except Unsatisfiable:
            # Negative mode on an operation with nothing to get wrong (no parameters, no body).
            if mode is not GenerationMode.NEGATIVE:
                raise


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation(
    schema: BaseSchema,
    app: Flask,
    make: Factory,
    world: World,
    method: str,
    path: str,
) -> None:
    operation = schema[path][method]
    label = f"{method} {path}"
    run = Run(app, world, [bug for bug in KNOWN_BUGS if bug.operations is None or label in bug.operations], {})
    for mode in EXAMPLES:
        strategy = operation.as_strategy(generation_mode=mode)
        for role in ROLES:
            run.fuzz(strategy, mode, role, make.headers(world.people[role]))

    found = run.found.values()
    assert not found, f"{label}: {len(found)} distinct failure(s)\n" + "\n".join(f.describe() for f in found)
