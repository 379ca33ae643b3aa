"""Rate limits per signed-in person (flask-limiter): on every write, and tighter on alerts and tips.

The counts live in memory for one process, or in Redis (BUURTWACHT_RATE_LIMIT_STORAGE) so that
every worker counts together. A limit that is hit answers 429 with Retry-After, in the usual
error shape. When Redis cannot be reached the request goes through and a warning is logged: a
rate limit protects the service, and must never stop a volunteer from reporting.
"""

from __future__ import annotations

import logging
import math
import time

from flask import Flask, current_app
from flask_limiter import Limiter
from limits import RateLimitItem, parse_many

from buurtwacht.errors import TooMany

log = logging.getLogger(__name__)

# What each kind of limit counts, as a person reads it in the 429's message.
KINDS = {
    "writes": "changes",
    "alerts": "alerts",
    "tips": "tips",
}


def rules(kind: str) -> list[RateLimitItem]:
    settings = current_app.config["BUURTWACHT"]
    return list(parse_many(settings.rate_limit(kind)))


def check(kind: str, who: str) -> None:
    """Count one `kind` for `who`; TooMany (429) when any of its limits is used up."""
    limiter: Limiter = current_app.extensions["buurtwacht.limiter"]
    items = rules(kind)
    try:
        strategy = limiter.limiter
        for item in items:
            if not strategy.test(item, kind, who):
                reset = strategy.get_window_stats(item, kind, who).reset_time
                raise TooMany(
                    f"too many {KINDS[kind]}: at most {item}; try again later",
                    math.ceil(reset - time.time()),
                )
        for item in items:
            strategy.hit(item, kind, who)
    except TooMany:
        raise
    except Exception as exc:  # the limit's storage is down: let the request through
        log.warning("rate limit storage unavailable (%s); %s not counted", type(exc).__name__, kind)


def init_app(app: Flask) -> None:
    settings = app.config["BUURTWACHT"]
    limiter = Limiter(
        key_func=lambda: "",  # every limit is checked explicitly, per person, through check()
        app=app,
        storage_uri=settings.RATE_LIMIT_STORAGE,
        storage_options={"socket_connect_timeout": 1, "socket_timeout": 1}
        if settings.RATE_LIMIT_STORAGE.startswith("redis")
        else {},
        strategy="moving-window",
        key_prefix="buurtwacht",
    )
    # Every limit is checked through check(); flask-limiter's own pass before each request finds
    # no limit to apply and only costs time (about a tenth of a millisecond a request): take it out.
    app.before_request_funcs[None].remove(limiter._check_request_limit)
    app.extensions["buurtwacht.limiter"] = limiter
