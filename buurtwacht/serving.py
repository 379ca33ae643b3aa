"""gunicorn's settings for the API: `gunicorn -c python:buurtwacht.serving wsgi:app`.

Measured on two cores (FACTS.md, bench/): sync workers, two per core at most, are the steadiest;
threads keep a keep-alive connection on one worker and make p99 swing. Override with
GUNICORN_CMD_ARGS or WEB_CONCURRENCY (gunicorn reads both itself).
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
from typing import Any

from gunicorn.glogging import Logger

from buurtwacht.config import Settings
from buurtwacht.logs import resolved_format

_settings = Settings.from_env()

bind = "127.0.0.1:8000"  # behind the TLS-terminating proxy; `-b HOST:PORT` to change
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = 30
graceful_timeout = 30
keepalive = 5
# gunicorn builds each request's access-log fields whenever a logging config is given, even with the
# access logger silenced: 2.4 % of a worker's time for GET /me (py-spy, bench/load.py). This logger
# class writes no access line, so nothing is built.
logger_class = "buurtwacht.serving.QuietAccessLogger"
# A worker is replaced now and then, so a slow leak can never take the service down. Not too
# often: a new worker starts with an empty read cache, and one answering 700 requests a second
# would be replaced every half minute at 20,000 (bench/load.py showed the pauses in its p99).
max_requests = 100000
max_requests_jitter = 10000
# The app logs each request itself (by URL rule, with a request id); gunicorn's access log would
# write whole URLs, and a calendar feed's URL is its secret.
accesslog = None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

_formatter = (
    {"()": "buurtwacht.logs.JsonFormatter"}
    if resolved_format(_settings.LOG_FORMAT, _settings.ENV) == "json"
    else {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
)
logconfig_dict: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"main": _formatter},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "main", "stream": "ext://sys.stderr"}},
    "root": {"level": "INFO", "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"level": "WARNING", "handlers": ["stderr"], "propagate": False},
    },
}

# Request metrics are summed over the workers: prometheus_client's multiprocess mode needs a
# folder of its own, set before any worker imports it.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="buurtwacht-metrics-")


def on_starting(server: Any) -> None:
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(folder, ignore_errors=True)  # figures of a previous run are not this run's
    os.makedirs(folder, exist_ok=True)
    # Warned, not refused: the limits still hold in each worker, and an upgrade must not stop a
    # running service; the operator reads this in the log of every start until Redis is set.
    from buurtwacht.limits import shared_storage_warning

    warning = shared_storage_warning(_settings, server.cfg.workers)
    if warning:
        server.log.warning(warning)


def child_exit(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker: Any) -> None:
    """The app is loaded: keep what it made to start (modules, models, schemas) out of the collector's sight.

    Python's oldest generation is collected when it has grown by a quarter, and it holds the whole
    app: in a worker such a collection stopped every request for 100-250 ms (bench/load.py's p99).
    Frozen, the objects made at start are never scanned again and such a collection takes a few ms.
    """
    gc.collect()
    gc.freeze()


class QuietAccessLogger(Logger):
    """gunicorn's logger without its access log (accesslog above is None: the app logs each request itself)."""

    def access(self, *_args: Any) -> None:
        return None
