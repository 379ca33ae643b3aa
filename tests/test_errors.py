"""Bad input gets a clear 4xx in flask-smorest's error shape; nothing answers with a bare HTML page."""

from __future__ import annotations

import io
import uuid


def _is_error_shape(body: dict, code: int) -> bool:
    return body["code"] == code and isinstance(body["status"], str)


def test_unknown_url_is_a_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert _is_error_shape(response.get_json(), 404)


def test_body_over_one_mebibyte_is_413(client, make):
    bram = make.person()
    response = client.patch(
        "/api/v1/me",
        data=b'{"display_name": "' + b"x" * (1024 * 1024 + 10) + b'"}',
        content_type="application/json",
        headers=make.headers(bram),
    )
    assert response.status_code == 413
    assert _is_error_shape(response.get_json(), 413)


def test_malformed_json_is_400_and_changes_nothing(client, make):
    bram = make.person("Bram Jansen")
    response = client.patch(
        "/api/v1/me", data=b"{not json", content_type="application/json", headers=make.headers(bram)
    )
    assert response.status_code == 400
    assert _is_error_shape(response.get_json(), 400)
    assert client.get("/api/v1/me", headers=make.headers(bram)).get_json()["person"]["display_name"] == "Bram Jansen"


def test_wrong_method_is_405_in_the_error_shape(client):
    response = client.delete("/healthz")
    assert response.status_code == 405
    assert _is_error_shape(response.get_json(), 405)


def test_readiness_reports_the_database(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").get_json() == {"status": "ok"}


def test_readiness_is_503_when_the_database_is_gone(make_settings, tmp_path):
    from buurtwacht import create_app

    app = create_app(make_settings(DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none"))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert _is_error_shape(response.get_json(), 503)


def test_json_nested_hundreds_of_levels_deep_is_400_before_parsing_not_a_500(client, make):
    bram = make.person("Bram Jansen")
    # About a kilobyte: Python's json parser recursed once a level and raised RecursionError.
    response = client.patch(
        "/api/v1/me",
        data=b'{"display_name": ' + b"[" * 600 + b"]" * 600 + b"}",
        content_type="application/json",
        headers=make.headers(bram),
    )
    assert response.status_code == 400, response.get_data(as_text=True)
    body = response.get_json()
    assert _is_error_shape(body, 400)
    assert "32 niveaus" in body["message"]


def test_json_nested_just_within_the_limit_reaches_the_schema(client, make):
    bram = make.person("Bram Jansen")
    # Brackets inside strings do not count; 32 levels are parsed and the schema says what is wrong.
    response = client.patch(
        "/api/v1/me",
        data=b'{"display_name": "' + b"[{" * 100 + b'", "x": ' + b"[" * 31 + b"]" * 31 + b"}",
        content_type="application/json",
        headers=make.headers(bram),
    )
    assert response.status_code == 422, response.get_data(as_text=True)
    assert _is_error_shape(response.get_json(), 422)


def test_a_number_python_cannot_parse_is_invalid_json_not_a_500(client, make):
    bram = make.person("Bram Jansen")
    response = client.patch(
        "/api/v1/me",
        data=b'{"display_name": ' + b"9" * 5000 + b"}",
        content_type="application/json",
        headers=make.headers(bram),
    )
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.get_json()["message"] == "De inhoud is geen geldige JSON."


def _chunked(client, make, bram, size: int):
    """A body sent chunked, without Content-Length, as the dev server and gunicorn pass it on."""
    body = b'{"display_name": "' + b"x" * (size - 20) + b'"}'
    body = body[: size - 2] + b'"}'
    assert len(body) == size
    return client.patch(
        "/api/v1/me",
        input_stream=io.BytesIO(body),
        content_type="application/json",
        headers={**make.headers(bram), "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )


def test_a_chunked_body_over_one_mebibyte_is_413_like_one_with_a_content_length(client, make):
    bram = make.person("Bram Jansen")
    for size in (2 * 1024 * 1024, 1024 * 1024 + 1):
        response = _chunked(client, make, bram, size)
        assert response.status_code == 413, (size, response.get_data(as_text=True))
        assert _is_error_shape(response.get_json(), 413)


def test_a_chunked_body_of_exactly_the_limit_is_read_whole(client, make):
    bram = make.person("Bram Jansen")
    response = _chunked(client, make, bram, 1024 * 1024)
    # Read whole and parsed: the schema then finds the name too long (a cut body would be invalid JSON).
    assert response.status_code == 422, response.get_data(as_text=True)
    assert "display_name" in response.get_json()["errors"]["json"]


def test_every_error_has_code_status_message_and_errors(client, make):
    bram = make.person("Bram Jansen")
    response = client.patch("/api/v1/me", json={"display_name": ""}, headers=make.headers(bram))
    body = response.get_json()
    assert response.status_code == 422
    assert set(body) == {"code", "status", "message", "errors"}, body
    malformed = client.patch("/api/v1/me", data=b"{", content_type="application/json", headers=make.headers(bram))
    assert set(malformed.get_json()) == {"code", "status", "message", "errors"}


def test_a_body_not_sent_as_json_is_415_saying_so_not_missing_data_on_every_field(client, make):
    bram = make.person("Bram Jansen")
    before = client.get("/api/v1/me", headers=make.headers(bram)).get_json()
    for content_type in (None, "text/plain", "application/x-www-form-urlencoded"):
        headers = {**make.headers(bram), **({"Content-Type": content_type} if content_type else {})}
        response = client.patch("/api/v1/me", data=b'{"display_name": "Bram J."}', headers=headers)
        assert response.status_code == 415, (content_type, response.get_json())
        body = response.get_json()
        assert set(body) == {"code", "status", "message", "errors"}
        assert "niet als JSON gelezen" in body["message"] and "Content-Type: application/json" in body["message"]
        assert "Missing data" not in response.get_data(as_text=True)
    assert client.get("/api/v1/me", headers=make.headers(bram)).get_json() == before


def test_401_404_405_and_409_name_what_is_at_fault_in_the_same_shape(client, make):
    bram = make.person("Bram Jansen")
    unsigned = client.get("/api/v1/me")
    assert unsigned.status_code == 401
    assert unsigned.get_json()["errors"] == {"headers": {"Authorization": [unsigned.get_json()["message"]]}}
    garbage = client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
    assert garbage.status_code == 401
    assert "segment" not in garbage.get_json()["message"].lower()  # no parser jargon
    for response, status in (
        (client.get(f"/api/v1/groups/{uuid.uuid4()}", headers=make.headers(bram)), 404),
        (client.put("/api/v1/me", json={}, headers=make.headers(bram)), 405),
        (client.get("/no/such/page"), 404),
    ):
        assert response.status_code == status
        assert set(response.get_json()) == {"code", "status", "message", "errors"}, response.get_json()
