"""Rate limits per person: every change counts, a limit answers 429 with Retry-After and changes
nothing, Redis makes all processes count together, and a Redis outage never blocks anyone."""

from __future__ import annotations

import logging
import uuid

import pytest
from flask import Flask

from buurtwacht import create_app

REDIS = "redis://127.0.0.1:6379/15"


def limited_app(make_settings, **overrides: str) -> Flask:  # type: ignore[no-untyped-def]
    return create_app(make_settings(RATE_LIMIT_WRITES="3/minute", **overrides))


def rename(client, headers, name: str) -> int:  # type: ignore[no-untyped-def]
    return client.patch("/api/v1/me", json={"display_name": name}, headers=headers).status_code


def test_the_fourth_change_in_a_minute_is_refused_and_changes_nothing(app, make, make_settings):
    client = limited_app(make_settings).test_client()
    bram, anna = make.person("Bram Jansen"), make.person("Anna de Vries")
    headers = make.headers(bram)
    assert [rename(client, headers, f"Bram {n}") for n in (1, 2, 3)] == [200, 200, 200]
    refused = client.patch("/api/v1/me", json={"display_name": "Bram 4"}, headers=headers)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    body = refused.get_json()
    assert (
        body["code"] == 429 and "Te veel wijzigingen" in body["message"] and "hoogstens 3 per minuut" in body["message"]
    )
    assert client.get("/api/v1/me", headers=headers).get_json()["person"]["display_name"] == "Bram 3"  # reads count not
    assert rename(client, make.headers(anna), "Anna V") == 200  # someone else is not held back


def test_with_redis_every_process_counts_together(app, make, make_settings):
    first = limited_app(make_settings, RATE_LIMIT_STORAGE=REDIS).test_client()
    second = limited_app(make_settings, RATE_LIMIT_STORAGE=REDIS).test_client()
    headers = make.headers(make.person(f"Bram {uuid.uuid4().hex[:6]}"))
    assert [rename(first, headers, "a"), rename(first, headers, "b"), rename(second, headers, "c")] == [200] * 3
    assert rename(second, headers, "d") == 429
    assert rename(first, headers, "e") == 429


def test_in_memory_each_process_counts_alone(app, make, make_settings):
    first, second = limited_app(make_settings).test_client(), limited_app(make_settings).test_client()
    headers = make.headers(make.person("Bram Jansen"))
    assert [rename(first, headers, n) for n in "abc"] == [200] * 3
    assert rename(first, headers, "d") == 429
    assert rename(second, headers, "e") == 200


def test_when_redis_is_down_changes_go_through_and_the_outage_is_logged(app, make, make_settings, caplog):
    client = limited_app(make_settings, RATE_LIMIT_STORAGE="redis://127.0.0.1:1/0").test_client()
    headers = make.headers(make.person("Bram Jansen"))
    with caplog.at_level(logging.WARNING, logger="buurtwacht.limits"):
        assert [rename(client, headers, n) for n in "abcd"] == [200] * 4
    assert "rate limit storage unavailable" in caplog.text


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("RATE_LIMIT_WRITES", "lots"),
        ("RATE_LIMIT_STORAGE", "memcached://x"),
        ("RATE_LIMIT_TIPS", "5/fortnight"),
        ("RATE_LIMIT_PHOTOS", "20/minute;lots"),
    ],
)
def test_a_malformed_limit_stops_the_start(make_settings, setting, value):
    from buurtwacht.config import ConfigError

    with pytest.raises(ConfigError, match=setting):
        make_settings(**{setting: value})


# In production the counts belong in Redis


def production(make_settings, **overrides: str):  # type: ignore[no-untyped-def]
    from buurtwacht.config import Settings

    return Settings(
        **{
            **make_settings().__dict__,
            "ENV": "production",
            "AUTH_MODE": "firebase",
            "FIREBASE_PROJECT_ID": "buurtwacht-prod",
            "FCM_ENDPOINT": "",
            **overrides,
        }
    )


def test_production_warns_when_each_worker_counts_alone(make_settings):
    from buurtwacht.limits import shared_storage_warning

    warning = shared_storage_warning(production(make_settings), workers=2)
    assert warning is not None and "memory:// with 2 workers" in warning and "redis://" in warning
    assert shared_storage_warning(production(make_settings, RATE_LIMIT_STORAGE=REDIS), workers=2) is None
    assert shared_storage_warning(production(make_settings), workers=1) is None  # one process counts exactly
    assert shared_storage_warning(make_settings(), workers=2) is None  # development and tests


def test_gunicorn_logs_the_warning_when_it_starts(tmp_path):
    """The hook as gunicorn calls it, in a process of its own (buurtwacht.serving changes the process)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import types, buurtwacht.serving as s\n"
        "said = []\n"
        "server = types.SimpleNamespace(cfg=types.SimpleNamespace(workers=2), log=types.SimpleNamespace(warning=said.append))\n"
        "s.on_starting(server)\n"
        "print(said[0] if said else 'nothing')\n"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("BUURTWACHT_")},
        "BUURTWACHT_ENV": "production",
        "BUURTWACHT_AUTH_MODE": "firebase",
        "BUURTWACHT_FIREBASE_PROJECT_ID": "buurtwacht-prod",
        "BUURTWACHT_DATABASE_URL": "postgresql+psycopg://buurtwacht@127.0.0.1/buurtwacht",
        "BUURTWACHT_PUBLIC_BASE_URL": "https://buurtwacht.example",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
    }
    env.pop("FIREBASE_AUTH_EMULATOR_HOST", None)
    run = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script], env=env, cwd=Path(__file__).resolve().parents[2],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert "RATE_LIMIT_STORAGE is memory:// with 2 workers" in run.stdout, run.stderr
