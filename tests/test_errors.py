"""Bad input gets a clear 4xx in flask-smorest's error shape; nothing answers with a bare HTML page."""

from __future__ import annotations


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
