"""The API as production runs it: gunicorn with buurtwacht.serving, two workers, JSON logs, metrics
summed over the workers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from tests.serving.conftest import TOKEN, get


def test_two_workers_log_json_and_their_metrics_add_up(gunicorn):
    base, log = gunicorn
    for _ in range(20):
        assert get(f"{base}/readyz")[0] == 200
    status, body = get(f"{base}/metrics", {"Authorization": f"Bearer {TOKEN}"})
    assert status == 200
    count = next(
        line for line in body.splitlines()
        if line.startswith("buurtwacht_http_request_duration_seconds_count") and 'route="/readyz"' in line
    )  # fmt: skip
    assert float(count.rsplit(" ", 1)[1]) == 20.0  # whichever worker answered
    assert get(f"{base}/metrics")[0] == 401
    time.sleep(0.5)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    requests = [line for line in lines if line["logger"] == "buurtwacht.request"]
    assert len([r for r in requests if r["route"] == "/readyz"]) == 20
    assert all(len(r["request_id"]) == 32 for r in requests)
    assert any(line["logger"].startswith("gunicorn") for line in lines)  # the server's own lines too
    assert not any(line["logger"] == "gunicorn.access" for line in lines)  # each request logged once, by the app
    assert TOKEN not in log.read_text()


def test_a_worker_keeps_what_it_loaded_out_of_the_collectors_sight():
    # In a process of its own: importing buurtwacht.serving switches prometheus_client to its
    # multiprocess mode (PROMETHEUS_MULTIPROC_DIR), which would change this process's /metrics.
    probe = (
        "import gc; import buurtwacht.routes; from buurtwacht import serving; before = gc.get_freeze_count(); "
        "serving.post_worker_init(worker=None); print(before, gc.get_freeze_count())"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BUURTWACHT_", "PROMETHEUS_"))}
    out = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True, timeout=60
    )
    before, after = (int(n) for n in out.stdout.split())
    assert before == 0
    assert after > 50_000  # the modules, models and schemas loaded by then
