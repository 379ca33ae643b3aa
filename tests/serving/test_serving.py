"""What the operations team and a browser see: request ids, JSON logs without secrets, metrics
behind their own token, security headers, and CORS only for the origins configured."""

from __future__ import annotations

import json
import logging

import pytest
from flask import Flask

from buurtwacht import create_app
from buurtwacht.logs import JsonFormatter

METRICS_TOKEN = "scrape-me-please-0123456789"
DASHBOARD = "https://dashboard.emmen.example"


@pytest.fixture
def ops_app(app: Flask, make_settings) -> Flask:  # type: ignore[no-untyped-def]
    """The app as run with metrics and a dashboard origin configured (same database as `app`)."""
    return create_app(make_settings(METRICS_TOKEN=METRICS_TOKEN, CORS_ORIGINS=DASHBOARD))


def json_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(record)) for record in caplog.records]


def test_every_answer_carries_a_request_id_and_a_client_s_own_is_kept(client):
    fresh = client.get("/healthz")
    assert len(fresh.headers["X-Request-ID"]) == 32
    kept = client.get("/healthz", headers={"X-Request-ID": "phone-retry-7f3a9c01"})
    assert kept.headers["X-Request-ID"] == "phone-retry-7f3a9c01"
    odd = client.get("/healthz", headers={"X-Request-ID": "<script>alert(1)</script>"})
    assert odd.headers["X-Request-ID"] != "<script>alert(1)</script>"


def test_a_request_is_logged_as_json_by_its_route_never_with_its_secrets(client, make, caplog):
    anna = make.person("Anna de Vries")
    headers = make.headers(anna)
    token = headers["Authorization"].split()[1]
    feed = client.post("/api/v1/me/calendar", headers=headers).get_json()
    secret_path = feed["url"].removeprefix("http://localhost")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="buurtwacht.request"):
        client.get(secret_path, headers={"X-Request-ID": "req-0000000001"})
        client.get("/api/v1/me", headers=headers)
    lines = [line for line in json_lines(caplog) if line["logger"] == "buurtwacht.request"]
    assert [(line["route"], line["status"]) for line in lines] == [
        ("/calendar/<string:token>.ics", 200),
        ("/api/v1/me", 200),
    ]
    assert lines[0]["request_id"] == "req-0000000001"
    assert all(isinstance(line["duration_ms"], float) for line in lines)
    written = caplog.text + "".join(json.dumps(line) for line in lines)
    assert secret_path.split("/")[-1].removesuffix(".ics") not in written
    assert token not in written and anna.email not in written


def test_api_answers_carry_security_headers_and_no_cors_by_default(client, make):
    response = client.get("/api/v1/me", headers={**make.headers(make.person("Bram Jansen")), "Origin": DASHBOARD})
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    assert "Access-Control-Allow-Origin" not in response.headers


def test_a_configured_dashboard_may_call_the_api_from_a_browser_and_no_other_origin(ops_app, make):
    client = ops_app.test_client()
    preflight = client.options(
        "/api/v1/me",
        headers={
            "Origin": DASHBOARD,
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == DASHBOARD
    assert "PATCH" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    answer = client.get("/api/v1/me", headers={**make.headers(make.person("Bram Jansen")), "Origin": DASHBOARD})
    assert answer.headers["Access-Control-Allow-Origin"] == DASHBOARD
    assert "X-Pagination" in answer.headers["Access-Control-Expose-Headers"]
    other = client.get("/api/v1/me", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_metrics_are_hidden_without_a_token_configured(client):
    assert client.get("/metrics").status_code == 404


def test_metrics_need_their_own_token_not_a_sign_in(ops_app, make):
    client = ops_app.test_client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong-token-0123456789"}).status_code == 401
    signed_in = make.headers(make.person("Gert Gemeente", admin=True))
    assert client.get("/metrics", headers=signed_in).status_code == 401


def test_metrics_show_latency_backlog_pushes_and_job_runs(ops_app, make, fcm):
    from buurtwacht import db, scheduler

    client = ops_app.test_client()
    anna = make.person("Anna de Vries")
    client.get("/api/v1/me", headers=make.headers(anna))
    with ops_app.app_context():
        scheduler.run_slot(scheduler.Job("test-ok", lambda: None, {"minute": "*"}), "2026-11-28T20:00")
        scheduler.run_slot(scheduler.Job("test-broken", lambda: 1 / 0, {"minute": "*"}), "2026-11-28T20:00")
        db.session().commit()
    body = client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).get_data(as_text=True)
    assert 'buurtwacht_http_request_duration_seconds_count{method="GET",route="/api/v1/me",status="200"}' in body
    assert 'buurtwacht_job_runs{job="test-ok",outcome="ok"} 1.0' in body
    assert 'buurtwacht_job_runs{job="test-broken",outcome="failed"} 1.0' in body
    assert "buurtwacht_push_outbox_unexpanded 0.0" in body
    assert "# TYPE buurtwacht_emails gauge" in body


def test_each_security_header_is_sent_once_and_a_pages_own_policy_is_kept(client, make):
    api = client.get("/api/v1/me", headers=make.headers(make.person("Bram Jansen")))
    console = client.get("/console/")
    for response in (api, console):
        for name in ("X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "Content-Security-Policy"):
            assert len(response.headers.getlist(name)) == 1, (name, response.headers.getlist(name))
    assert api.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert "script-src 'self'" in console.headers["Content-Security-Policy"]  # the console's own, not the API's


def test_production_answers_ask_browsers_for_https_once():
    from types import SimpleNamespace

    from flask import Flask

    from buurtwacht import security

    app = Flask(__name__)
    app.config["BUURTWACHT"] = SimpleNamespace(ENV="production", cors_origins=())
    security.init_app(app)
    app.add_url_rule("/api/v1/ping", "ping", lambda: {"ok": True})
    answer = app.test_client().get("/api/v1/ping")
    assert answer.headers.getlist("Strict-Transport-Security") == ["max-age=31536000; includeSubDomains"]
    assert answer.headers["Cache-Control"] == "no-store"


def test_a_log_line_with_fields_orjson_will_not_write_is_still_written() -> None:
    """Another logger's fields may hold what orjson refuses (a key that is not text, a very large number)."""
    record = logging.LogRecord("buurtwacht.jobs", logging.INFO, __file__, 1, "done", (), None)
    record.fields = {1: "a key that is a number", "big": 2**70}  # type: ignore[attr-defined]
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "done" and line["1"] == "a key that is a number" and line["big"] == 2**70
