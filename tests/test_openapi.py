"""openapi/openapi.json is the code's own document, valid, and complete enough for a mobile developer."""

from __future__ import annotations

import json
from pathlib import Path

from openapi_spec_validator import validate

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
            if path.startswith("/api/v1"):
                assert operation.get("security") == [{"firebase": []}], f"{method.upper()} {path} has no security"
                assert "401" in operation["responses"], f"{method.upper()} {path} does not document 401"


def test_docs_page_is_served(client):
    response = client.get("/docs")
    assert response.status_code == 200
    assert b"swagger" in response.data.lower()
    # The page's assets come from this server, not a CDN, so /docs works without internet.
    assert b"/docs/assets/swagger-ui-bundle.js" in response.data
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/openapi.json").get_json()["info"]["title"] == "buurtwacht"
