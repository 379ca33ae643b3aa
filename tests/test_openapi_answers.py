"""Every answer the authorization matrix gets matches what the OpenAPI document promises.

Generated clients (openapi-typescript, openapi-python-client, Kotlin's) trust the document: a field
listed as required is read without a check, a field not typed as null is read as a value. So each
2xx JSON answer of every cell of tests/test_authorization_matrix.py (every endpoint, as every role
that may use it, against the same world) is validated against the response schema the live document
gives for its path, method and status, with `required`, null types and `additionalProperties`
enforced. A field the API leaves out or sends as null where the document says otherwise fails here.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

import jsonschema
import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import Factory
from tests.test_authorization_matrix import (
    MATRIX,
    ROLES,
    Bug,
    Row,
    World,
    _request,
    world,  # noqa: F401  (the matrix's world, as a fixture)
)


def _answered_cells() -> list[Any]:
    return [
        pytest.param(r, role, id=f"{r.method} {r.rule} [{role}]")
        for r in MATRIX
        for role in ROLES
        if not isinstance(r.expect[role], Bug) and 200 <= r.expect[role] < 300
    ]


def _document_path(rule: str) -> str:
    return re.sub(r"<([^<>]+)>", r"{\1}", rule)


@pytest.fixture(scope="module")
def document(session_app: Flask) -> dict[str, Any]:
    """The live document, as /openapi.json serves it."""
    return session_app.test_client().get("/openapi.json").get_json()  # type: ignore[no-any-return]


def promised(document: dict[str, Any], method: str, rule: str, status: int) -> dict[str, Any] | None:
    """The JSON schema the document gives for this answer, or None if it documents no JSON body."""
    operation = document["paths"][_document_path(rule)][method.lower()]
    response = operation["responses"].get(str(status))
    assert response is not None, f"{method} {rule} answers {status}, which the document does not list"
    content = response.get("content", {}).get("application/json")
    return None if content is None else content["schema"]


@pytest.mark.parametrize(("r", "role"), _answered_cells())
def test_answer_matches_the_document(
    client: FlaskClient,
    make: Factory,
    world: World,  # noqa: F811
    document: dict[str, Any],
    r: Row,
    role: str,
) -> None:
    body = r.body(world) if callable(r.body) else r.body
    clock = time_machine.travel(r.at(world), tick=False) if r.at else contextlib.nullcontext()
    with clock:
        response = _request(client, make, world, r.method, r.path(world, role), role, body)
    assert response.status_code == r.expect[role], response.get_data(as_text=True)

    schema = promised(document, r.method, r.rule, response.status_code)
    if schema is None:
        assert not response.is_json or response.status_code == 204, "a JSON answer the document has no schema for"
        return
    validator = jsonschema.Draft202012Validator({**schema, "components": document["components"]})
    problems = [
        f"{'/'.join(map(str, error.absolute_path)) or '(the answer)'}: {error.message}"
        for error in validator.iter_errors(response.get_json())
    ]
    assert not problems, "\n".join(problems)
