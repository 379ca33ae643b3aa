"""openapi/openapi.json is the code's own document, valid, and complete enough for a mobile developer."""

from __future__ import annotations

import json
import re
from pathlib import Path

from openapi_spec_validator import validate

from buurtwacht.api import directions
from buurtwacht.operations import OPERATION_IDS

COMMITTED = Path(__file__).resolve().parent.parent / "openapi" / "openapi.json"


def _written(app, tmp_path) -> dict:
    target = tmp_path / "openapi.json"
    result = app.test_cli_runner().invoke(args=["openapi", "write", str(target)])
    assert result.exit_code == 0, result.output
    return json.loads(target.read_text())


def test_committed_document_is_not_stale(app, tmp_path):
    written = _written(app, tmp_path)
    committed = json.loads(COMMITTED.read_text())
    assert written == committed, (
        "openapi/openapi.json is stale: run 'flask --app wsgi openapi write openapi/openapi.json' and commit it"
    )


def test_document_is_valid_openapi_3_1(app, tmp_path):
    document = _written(app, tmp_path)
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_operation_is_summarised_and_every_api_operation_needs_sign_in(app, tmp_path):
    document = _written(app, tmp_path)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"
            # The development sign-in (AUTH_MODE=local only) is how the console gets a token: public by design.
            if path.startswith("/api/v1") and not path.startswith("/api/v1/dev/"):
                assert operation.get("security") == [{"firebase": []}], f"{method.upper()} {path} has no security"
                assert "401" in operation["responses"], f"{method.upper()} {path} does not document 401"


def _operations(document: dict) -> list[tuple[str, str, dict]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method != "parameters"
    ]


def test_every_operation_has_a_stable_readable_unique_operation_id(app, tmp_path):
    document = _written(app, tmp_path)
    ids = {}
    for method, path, operation in _operations(document):
        found = operation.get("operationId")
        assert found, f"{method} {path} has no operationId: give its view one in buurtwacht/operations.py"
        assert re.fullmatch(r"[a-z]+(?:[A-Z][a-z0-9]*)*", found), f"{found} ({method} {path}) is not camelCase"
        assert found not in ids, f"{found} names both {ids[found]} and {method} {path}"
        ids[found] = f"{method} {path}"
        assert found in OPERATION_IDS.values()


def test_public_operations_say_they_need_no_sign_in(app, tmp_path):
    document = _written(app, tmp_path)
    for method, path, operation in _operations(document):
        if not path.startswith("/api/v1"):
            assert operation.get("security") == [], f"{method} {path} does not say it is public"
    assert document["servers"] and document["info"]["license"]["identifier"] == "EUPL-1.2"


def test_answers_list_their_fields_as_required_and_requests_only_what_must_be_sent(app, tmp_path):
    document = _written(app, tmp_path)
    schemas = document["components"]["schemas"]
    requests, answers = directions(document)

    # Fields an answer always holds are required, so generated clients read them without a check.
    me = schemas["PersonSelf"]
    assert {"id", "email", "display_name", "phone", "locale"} <= set(me["required"])
    assert me["properties"]["phone"]["type"] == ["string", "null"]
    assert "email" not in schemas["Member"]["required"]  # coordinators only
    # A request requires what must be sent; what has a default is told in words, not as `default`
    # (openapi-typescript would make it required).
    tip = schemas["TipCreate"]
    assert tip["required"] == ["id", "text"]
    assert "default" not in tip["properties"]["lat"] and "Left out: `null`" in tip["properties"]["lat"]["description"]
    # A component both sent and answered says the same for both ways; otherwise its schema is split.
    api = app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    assert api.two_faced_schemas == [], "split these schemas into a request and an answer schema"
    assert requests & answers == {"Circle", "GroupCategories", "Point"}


def test_closed_sets_are_enums(app, tmp_path):
    document = _written(app, tmp_path)
    schemas = document["components"]["schemas"]
    assert "domestic_violence" in schemas["Category"]["properties"]["code"]["enum"]
    assert "domestic_violence" not in schemas["NoteCreate"]["properties"]["category"]["enum"]  # refused there
    assert schemas["Note"]["properties"]["status"]["enum"] == ["open", "reported", "resolved", "no_action"]
    assert None in schemas["Alert"]["properties"]["outcome"]["enum"]


def test_docs_page_is_served(client):
    response = client.get("/docs")
    assert response.status_code == 200
    assert b"swagger" in response.data.lower()
    # The page's assets come from this server, not a CDN, so /docs works without internet.
    assert b"/docs/assets/swagger-ui-bundle.js" in response.data
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/openapi.json").get_json()["info"]["title"] == "buurtwacht"
