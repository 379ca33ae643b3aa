"""Rate limits per signed-in person (the limits library): on every write, and tighter on alerts, tips and photos.

The counts live in memory for one process, or in Redis (BUURTWACHT_RATE_LIMIT_STORAGE) so that
every worker counts together. A limit that is hit answers 429 with Retry-After, in the usual
error shape, and counts nothing. When Redis cannot be reached the request goes through and a
warning is logged: a rate limit protects the service, and must never stop a volunteer from reporting.
"""

from __future__ import annotations

import functools
import logging
import math
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from flask import Flask, current_app, request
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter, RateLimiter

from buurtwacht import db
from buurtwacht.config import ENV_PREFIX, Settings
from buurtwacht.errors import TooMany
from buurtwacht.messages import Wording

log = logging.getLogger(__name__)

# Kinds that count every try, refused or not: reading an image costs the same whether it is kept or
# not. The others count only what a request made, so an alert refused for its wording or as a
# duplicate does not keep a wijkagent from starting the right one a moment later.
COUNTS_TRIES = frozenset({"writes", "photos"})


def rules(kind: str) -> tuple[RateLimitItem, ...]:
    settings = current_app.config["BUURTWACHT"]
    return _parsed(settings.rate_limit(kind))


@functools.lru_cache(maxsize=64)
def _parsed(text: str) -> tuple[RateLimitItem, ...]:
    """A limit's text ("30/minute;500/day") as its items: parsed once, not at every request it counts."""
    return tuple(parse_many(text))


def _refuse_if_used_up(strategy: RateLimiter, kind: str, who: str, items: Sequence[RateLimitItem]) -> None:
    for item in items:
        if not strategy.test(item, kind, who):
            reset = strategy.get_window_stats(item, kind, who).reset_time
            raise TooMany(too_many(kind, item), math.ceil(reset - time.time()))


def too_many(kind: str, item: RateLimitItem) -> Wording:
    """The 429's message, "too many changes: at most 120 per minute; try again later", in the reader's words."""
    unit = item.GRANULARITY.name
    period = f"limit.per.{unit}" if item.multiples == 1 else f"limit.per.{unit}s"
    return Wording(
        "limit.too_many", what_key=f"limit.{kind}", amount=item.amount, period_key=period, count=item.multiples
    )


def _count(strategy: RateLimiter, kind: str, who: str, items: Sequence[RateLimitItem]) -> None:
    for item in items:
        strategy.hit(item, kind, who)


def check(kind: str, who: str) -> None:
    """Count one `kind` for `who`; TooMany (429) when any of its limits is used up."""
    strategy: RateLimiter = current_app.extensions["buurtwacht.limiter"]
    items = rules(kind)
    try:
        _refuse_if_used_up(strategy, kind, who, items)
        _count(strategy, kind, who, items)
    except TooMany:
        raise
    except Exception as exc:  # the limit's storage is down: let the request through
        _storage_down(exc, kind)


@contextmanager
def spending(kind: str, who: str) -> Iterator[None]:
    """Refuse (TooMany, 429) when `who` has used up a `kind` limit; otherwise count the block.

    Kinds in COUNTS_TRIES are counted before the block runs; the others only when it ends
    without an error, that is when the request made what it asked for.
    """
    strategy: RateLimiter = current_app.extensions["buurtwacht.limiter"]
    items = rules(kind)
    counts_tries = kind in COUNTS_TRIES
    try:
        _refuse_if_used_up(strategy, kind, who, items)
        if counts_tries:
            _count(strategy, kind, who, items)
    except TooMany:
        raise
    except Exception as exc:
        _storage_down(exc, kind)
    yield
    if not counts_tries:
        try:
            _count(strategy, kind, who, items)
        except Exception as exc:
            _storage_down(exc, kind)


def _storage_down(exc: Exception, kind: str) -> None:
    """The limit's storage cannot be reached: the request goes through, and the outage is logged."""
    log.warning("rate limit storage unavailable (%s); %s not counted", type(exc).__name__, kind)


def replay_of(model: type[db.Base]) -> Callable[[], bool]:
    """For Blueprint.rate_limited: whether the request's client-made `id` names a `model` row already stored.

    The service answers such a request from that row (a retry whose answer got lost), or with 409
    when it is another's: it makes nothing new, so it is neither refused nor counted. Read through
    the session, so the service's own lookup of the same row costs no second query. Put the
    decorator below @blp.arguments: the body has then passed the parser's depth check.
    """

    def stored() -> bool:
        try:
            body = request.get_json(silent=True)
        except RecursionError:  # nested too deep to parse: not a retry of anything
            return False
        given = body.get("id") if isinstance(body, dict) else None
        if not isinstance(given, str):
            return False
        try:
            key = uuid.UUID(given)
        except ValueError:
            return False
        return db.session().get(model, key) is not None

    return stored


def shared_storage_warning(settings: Settings, workers: int) -> str | None:
    """What to tell the operator when production counts in memory over several worker processes."""
    if settings.ENV != "production" or workers <= 1 or not settings.RATE_LIMIT_STORAGE.startswith("memory://"):
        return None
    return (
        f"{ENV_PREFIX}RATE_LIMIT_STORAGE is memory:// with {workers} workers: each worker counts alone, so "
        f"every rate limit lets through up to {workers} times as much (e.g. {ENV_PREFIX}RATE_LIMIT_TIPS "
        f"{settings.RATE_LIMIT_TIPS!r} per worker). Set it to redis://host:6379/0 so that all count together."
    )


def init_app(app: Flask) -> None:
    """The counts' storage and the moving window over it, kept as the app's "buurtwacht.limiter".

    Every limit is checked explicitly, per person, through check() and spending(); Flask-Limiter's
    extension added hooks to every request (a check that found nothing to apply, headers, a context)
    that cost 7 % of a read answered by the read cache, so the limits library is used directly.
    """
    settings = app.config["BUURTWACHT"]
    uri = settings.RATE_LIMIT_STORAGE
    options = {"socket_connect_timeout": 1, "socket_timeout": 1} if uri.startswith("redis") else {}
    storage = storage_from_string(uri, **options)
    app.extensions["buurtwacht.limiter"] = MovingWindowRateLimiter(storage)
