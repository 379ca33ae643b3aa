"""Answers to repeated reads, kept per signed-in person and dropped the moment a table they read changes.

Where the time of a read goes on PostgreSQL is the database: each statement is a round trip of
a few tenths of a millisecond, on the same cores as the web workers. A volunteer's app asks the
same things again and again (opening, pull-to-refresh, polling an open alert), so a GET that is
marked `@cacheable` keeps its answer (status, body, headers) under the caller's Firebase uid,
the path with its query, and Accept-Language. The next identical call is answered from memory
after its token is verified, without a statement.

What keeps the answers true:
- Every statement any process sends is sorted into reads and writes by the tables it names
  (`track`, installed on every engine). An answer remembers the tables its statements named.
- A transaction that wrote advances, inside that transaction, a version per table it wrote
  (`table_versions`). Every cacheable request first reads all versions in one round trip, and a
  kept answer is served only while the versions of the tables it read are those it was made
  under. So once a write has been answered, no process serves an answer it changed: the very
  next request anywhere sees the new version (read-your-writes, and a removed member loses
  access at once).
- The same transaction also tells every process, with PostgreSQL's NOTIFY (sent inside it, so a
  rollback tells nobody), which tables it wrote: a listener thread in each process drops those
  answers from memory. That frees memory early and covers changes made outside the app's
  engines (psql, another program), which advance no version.
- A request that wrote anything, answered other than 200, or overlapped a change to a table it
  read, is not kept. While the listener is not connected, or the versions cannot be read,
  nothing is kept or served, and on (re)connecting everything kept is dropped.
- Answers age out after READ_CACHE_SECONDS, for what changes with the clock alone (a round that
  has begun is no longer upcoming).

Only on PostgreSQL: SQLite cannot tell one process about another's commits.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import psycopg
from flask import Flask, Response, has_app_context
from prometheus_client import Counter
from psycopg import sql
from sqlalchemy import String, event, exists, func, literal, select, values
from sqlalchemy import column as sql_column
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError

from buurtwacht import db
from buurtwacht.context import here, this_app, this_request

log = logging.getLogger(__name__)

CHANNEL = "buurtwacht_changes"
VERSIONS_TABLE = "table_versions"
EVERY_TABLE = "*"
PENDING = "buurtwacht_tables_written"
_MARK = "_buurtwacht_cacheable"

LOOKUPS = Counter("buurtwacht_read_cache_lookups", "Cacheable reads by outcome: hit, miss, or off", ["result"])
PRESUMED = Counter(
    "buurtwacht_presumed_versions",
    "Reads that checked what is kept against the versions their worker read last, by whether their first statement "
    "confirmed them (confirmed) or the read started over (stale)",
    ["result"],
)
_CONFIRMED, _STALE = PRESUMED.labels("confirmed"), PRESUMED.labels("stale")

F = TypeVar("F", bound=Callable[..., Any])


def cacheable(view: F) -> F:
    """Mark a GET view whose answer depends only on the caller, the URL, the database and the clock."""
    setattr(view, _MARK, True)
    return view


# Sorting statements


_NOT_DATA = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA", "SET", "SHOW", "LISTEN", "EXPLAIN")
_READS = ("SELECT", "VALUES")
_WRITE_IN_WITH = re.compile(r"\b(INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM|MERGE\s+INTO)\b", re.IGNORECASE)


# Tables the database keeps from another by triggers (migration 0020): what is read of them changes exactly when
# that table does, so a statement naming one names that table, and its version covers both.
KEPT_FROM = {"note_tallies": "notes"}


class StatementSorter:
    """Whether a statement writes, and the tables it names; remembered per statement text."""

    LIMIT = 4096

    def __init__(self, table_names: Iterable[str]) -> None:
        names = sorted(table_names, key=len, reverse=True)
        self._tables = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b")
        self._known: dict[str, tuple[bool, frozenset[str]]] = {}

    def sort(self, statement: str) -> tuple[bool, frozenset[str]]:
        known = self._known.get(statement)
        if known is None:
            known = self._sort(statement)
            if len(self._known) >= self.LIMIT:
                self._known.clear()
            self._known[statement] = known
        return known

    def _sort(self, statement: str) -> tuple[bool, frozenset[str]]:
        text = statement.lstrip(" \t\r\n(")
        first = text[:12].split(None, 1)[0].upper() if text.strip() else ""
        if first in _NOT_DATA:
            return False, frozenset()
        tables = frozenset(KEPT_FROM.get(name, name) for name in self._tables.findall(statement))
        writes = first not in _READS and not (first == "WITH" and not _WRITE_IN_WITH.search(statement))
        if writes and not tables:
            return True, frozenset({EVERY_TABLE})  # DDL or a table we do not know: assume the worst
        return writes, tables


_sorter: StatementSorter | None = None


def _statements() -> StatementSorter:
    global _sorter
    if _sorter is None:
        from buurtwacht import models  # noqa: F401 - every table is declared before the names are read
        from buurtwacht.db import Base

        _sorter = StatementSorter(name for name in Base.metadata.tables if name != VERSIONS_TABLE)
    return _sorter


def writes(statement: str) -> bool:
    """Whether this SQL writes (a data-modifying WITH included), as the read cache sorts statements."""
    return _statements().sort(statement)[0]


# Telling every process what changed


def database_key(url: str | URL) -> str:
    """Which database an engine or a cache is for: its URL without the password."""
    return make_url(url).render_as_string(hide_password=True)


def track(engine: Engine) -> None:
    """Sort this engine's statements: reads into the current cacheable request, writes into a notice on commit."""
    database = database_key(engine.url)

    def on_commit(conn: Connection) -> None:
        _on_commit(conn, database)

    event.listen(engine, "before_cursor_execute", _before_execute)
    event.listen(engine, "commit", on_commit)
    event.listen(engine, "rollback", _on_rollback)


def _before_execute(conn: Connection, _cursor: Any, statement: str, *_rest: Any) -> None:
    writes, tables = _statements().sort(statement)
    if not tables:
        return
    state = here() if has_app_context() else None
    if state is not None and "presumed" in state and not state.get("folding"):
        confirm()  # presumed versions are read before any statement but the one that reads them itself
    if writes:
        options = conn.get_execution_options()
        said = db.apart() if state is not None else None
        if options.get(db.READ_ONLY_OPTION) or said == db.READ_ONLY_OPTION:
            # db.read_only(): a write would commit by itself, before the request's answer, and advance no version.
            raise RuntimeError(f"a write in a request that said it only reads: {statement[:80]}")
        if options.get(db.ONE_STATEMENT_OPTION) or said == db.ONE_STATEMENT_OPTION:  # it commits by itself
            if (
                not options.get(db.ONE_STATEMENT_OPTION)
                or not _WRITES_ITS_VERSIONS.search(statement)
                or state is None
                or state.get("wrote_in_one_statement")
            ):
                # Each write would commit on its own: the request would no longer be one transaction.
                raise RuntimeError(f"a write in a request that said it writes in one statement: {statement[:80]}")
            state.wrote_in_one_statement = True  # its versions and notice are in it (advancing)
        else:
            conn.info.setdefault(PENDING, set()).update(tables)
    reading: Reading | None = state.get("read_cache_reading") if state is not None else None
    if reading is not None:
        reading.saw(tables, writes)


def written_here(conn: Connection, tables: Iterable[str]) -> bool:
    """Whether the connection's open transaction has written any of these tables (not yet committed)."""
    written: set[str] = conn.info.get(PENDING, set())
    return EVERY_TABLE in written or not written.isdisjoint(tables)


def _on_commit(conn: Connection, database: str) -> None:
    written: set[str] | None = conn.info.pop(PENDING, None)
    if not written:
        return
    names = {EVERY_TABLE} if EVERY_TABLE in written else written
    if conn.dialect.name == "postgresql":
        driver = conn.connection.dbapi_connection
        if EVERY_TABLE in names:
            # DDL (a migration) or a table we do not know: every listener drops everything. No versions:
            # the versions table may not exist yet, and a release restarts every worker anyway.
            driver.execute("SELECT pg_notify(%s, %s)", (CHANNEL, EVERY_TABLE))  # type: ignore[union-attr]
        else:
            # Inside the transaction: the versions advance and the notice is delivered when it commits,
            # never if it rolls back. Rows are locked in name order, so two writers never deadlock here.
            # The COMMIT goes in the same round trip (a simple query of two statements); the driver's own
            # commit that follows finds the transaction ended and sends nothing. A COMMIT that fails raises
            # here, and the request is answered as a failed commit is (transactions.py).
            ordered = sorted(names)
            advance = sql.SQL(_ADVANCE_AND_COMMIT).format(
                sql.Literal(ordered), sql.Literal(CHANNEL), sql.Literal(",".join(ordered))
            )
            try:
                driver.execute(advance.as_string(driver))  # type: ignore[union-attr, arg-type]
            except psycopg.Error as error:  # as SQLAlchemy's own commit would raise it: 409 or 503, never 500
                raise DBAPIError.instance("COMMIT", None, error, psycopg.Error) from error
    _changed_in_this_process(database, names)


def advancing(written: Any, tables: Iterable[str]) -> Any:
    """The CTE that advances these tables' versions, when `written` (a CTE of the rows a statement wrote) has rows,
    and sends the change notice: for a write that is one statement committing by itself (db.one_statement_write),
    which then does inside itself what _on_commit does at the end of a transaction. Locked in name order, as there.
    """
    from buurtwacht.models.change import TableVersion

    ordered = sorted(tables)
    names = values(sql_column("name", String), name="names").data([(name,) for name in ordered])
    # The notice is a column of the rows that go in: sent with them, and only when there are any.
    notice = select(func.pg_notify(CHANNEL, ",".join(ordered))).scalar_subquery()
    rows = (
        select(names.c.name, literal(1))
        .where(exists(select(written)), notice.is_not(None))  # void, never null: sent, and true
        .order_by(names.c.name)
    )
    statement = insert(TableVersion).from_select(["table_name", "version"], rows)
    return statement.on_conflict_do_update(
        index_elements=[TableVersion.table_name], set_={"version": TableVersion.version + 1}
    ).cte("advanced")


def advanced_here(engine: Engine, tables: Iterable[str]) -> None:
    """A statement of advancing() has committed: what this process keeps of those tables is stale at once."""
    _changed_in_this_process(database_key(engine.url), tables)


# A write that advances versions itself (advancing): the table versions' upsert in its text.
_WRITES_ITS_VERSIONS = re.compile(r"\bINSERT INTO table_versions\b")

_ADVANCE_AND_COMMIT = (
    "WITH advanced AS ("
    " INSERT INTO table_versions (table_name, version)"
    " SELECT name, 1 FROM unnest({}::text[]) AS name ORDER BY name"
    " ON CONFLICT (table_name) DO UPDATE SET version = table_versions.version + 1 RETURNING 1"
    ") SELECT pg_notify({}, {}); COMMIT"
)
_READ_VERSIONS = "SELECT table_name, version FROM table_versions"


def _on_rollback(conn: Connection) -> None:
    if conn.invalidated:  # the connection was lost (and is not reused): what it wrote went with it
        return
    conn.info.pop(PENDING, None)


# The answers one process keeps


@dataclass
class Kept:
    stored_at: float
    status: int
    body: bytes
    headers: list[tuple[str, str]]
    tables: frozenset[str]
    committed: dict[str, int]  # the database's versions of those tables before it was read


@dataclass
class Reading:
    """A cacheable request under way: what it read, and the versions of those tables when it first did."""

    key: tuple[str, str, str]
    epoch: int
    cache: ReadCache
    committed: dict[str, int]  # every table's version in the database when the request began
    versions: dict[str, int] = field(default_factory=dict)
    wrote: bool = False

    def saw(self, tables: frozenset[str], writes: bool) -> None:
        self.wrote = self.wrote or writes
        for table in tables:
            if table not in self.versions:
                self.versions[table] = self.cache.version(table)


class ReadCache:
    """One process's kept answers: bounded by total bytes (least recently used go first) and by age."""

    def __init__(
        self, url: str, engine: Callable[[], Engine], reader: Callable[[], Connection], seconds: float, max_bytes: int
    ) -> None:
        self.url = url
        self.seconds = seconds
        self.max_bytes = max_bytes
        self._engine = engine
        self._lock = threading.Lock()
        self._pid = -1
        self._entries: OrderedDict[tuple[str, str, str], Kept] = OrderedDict()
        self._by_table: dict[str, set[tuple[str, str, str]]] = {}
        self._versions: dict[str, int] = {}
        self._epoch = 0
        self._bytes = 0
        self._committed = CommittedVersions(reader)
        self.last: dict[str, int] | None = None  # the versions this process read last

    # serving

    def serving(self) -> bool:
        """Answers are kept and served only while this process hears every change."""
        if self._pid != os.getpid():  # a forked worker starts empty, with a listener of its own
            with self._lock:
                self._pid = os.getpid()
                self._drop_everything()
            _register(self)
        return self.listener().live

    def listener(self) -> Listener:
        return _listener_for(self.url, self._engine)

    def committed(self) -> dict[str, int] | None:
        """Every table's version in the database now (one round trip); None when it cannot be read."""
        found = self._committed.read()
        if found is not None:
            self.last = found
        return found

    def __contains__(self, key: tuple[str, str, str]) -> bool:
        with self._lock:
            return key in self._entries

    def get(self, key: tuple[str, str, str], committed: dict[str, int]) -> Kept | None:
        """The answer kept under `key`, if no table it read has changed in the database since."""
        with self._lock:
            kept = self._entries.get(key)
            if kept is None:
                return None
            if not 0 <= time.time() - kept.stored_at < self.seconds or any(
                committed.get(table, 0) != version for table, version in kept.committed.items()
            ):
                self._remove(key)
                return None
            self._entries.move_to_end(key)
            return kept

    def begin(self, key: tuple[str, str, str], committed: dict[str, int]) -> Reading:
        return Reading(key, self._epoch, self, committed)

    def version(self, table: str) -> int:
        return self._versions.get(table, 0) + self._versions.get(EVERY_TABLE, 0)

    @property
    def epoch(self) -> int:
        """Advances whenever everything kept is dropped (a reconnected listener may have missed notices)."""
        return self._epoch

    def keep(self, reading: Reading, response: Response) -> bool:
        body = response.get_data()
        if len(body) > self.max_bytes // 8:
            return False
        headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
        tables = frozenset(reading.versions)
        committed = {table: reading.committed.get(table, 0) for table in tables}
        kept = Kept(time.time(), response.status_code, body, headers, tables, committed)
        with self._lock:
            if reading.epoch != self._epoch or any(self.version(t) != v for t, v in reading.versions.items()):
                return False  # a table it read changed while it was being answered
            if reading.key in self._entries:
                self._remove(reading.key)
            self._entries[reading.key] = kept
            self._bytes += len(body)
            for table in kept.tables:
                self._by_table.setdefault(table, set()).add(reading.key)
            while self._bytes > self.max_bytes:
                self._remove(next(iter(self._entries)))
        return True

    # dropping

    def changed(self, tables: Iterable[str]) -> None:
        with self._lock:
            for table in tables:
                self._versions[table] = self._versions.get(table, 0) + 1
                if table == EVERY_TABLE:
                    self._drop_everything()
                    return
                for key in self._by_table.pop(table, set()):
                    self._remove(key)

    def drop_everything(self) -> None:
        with self._lock:
            self._drop_everything()

    def _drop_everything(self) -> None:
        self._epoch += 1
        self._entries.clear()
        self._by_table.clear()
        self._bytes = 0

    def _remove(self, key: tuple[str, str, str]) -> None:
        kept = self._entries.pop(key, None)
        if kept is None:
            return
        self._bytes -= len(kept.body)
        for table in kept.tables:
            keys = self._by_table.get(table)
            if keys is not None:
                keys.discard(key)

    def __len__(self) -> int:
        return len(self._entries)


class CommittedVersions:
    """Reads `table_versions` on the thread's reader (db.Database.reader: autocommit): one round trip, no transaction.

    Versions advance inside the writing transactions, so what this reads is exactly what has been
    committed: a write that has been answered is always seen.
    """

    def __init__(self, reader: Callable[[], Connection]) -> None:
        self._reader = reader

    def read(self) -> dict[str, int] | None:
        try:
            connection = self._reader()
        except Exception as exc:
            log.warning("read cache: no connection to read the table versions (%s)", type(exc).__name__)
            return None
        try:
            return dict(connection.connection.dbapi_connection.execute(_READ_VERSIONS).fetchall())  # type: ignore[union-attr]
        except Exception as exc:  # the connection broke: serve nothing kept, and connect afresh next time
            log.warning("read cache: the table versions could not be read (%s)", type(exc).__name__)
            with contextlib.suppress(Exception):
                connection.invalidate()
            return None


# This process's caches and their listeners (one per database)

_registry_lock = threading.Lock()
_caches: list[ReadCache] = []
_listeners: dict[tuple[int, str], Listener] = {}


def _register(cache: ReadCache) -> None:
    with _registry_lock:
        if cache not in _caches:
            _caches.append(cache)


def _changed_in_this_process(url: str, tables: Iterable[str]) -> None:
    names = list(tables)
    for cache in list(_caches):
        if cache.url == url:
            cache.changed(names)


def _listener_for(url: str, engine: Callable[[], Engine]) -> Listener:
    key = (os.getpid(), url)
    with _registry_lock:
        listener = _listeners.get(key)
        if listener is None:
            listener = _listeners[key] = Listener(url, engine())
            listener.start()
        return listener


class Listener(threading.Thread):
    """LISTENs on its own connection and drops, in every cache of this database, what a commit changed."""

    RETRY_SECONDS = 1.0

    def __init__(self, url: str, engine: Engine) -> None:
        super().__init__(name="buurtwacht-read-cache-listener", daemon=True)
        self.url = url
        self.engine = engine
        self.live = False
        self.connections = 0  # how many times it has (re)connected

    def _caches(self) -> list[ReadCache]:
        return [c for c in list(_caches) if c.url == self.url]

    def run(self) -> None:
        warned = False
        while True:
            connection = None
            try:
                raw = self.engine.raw_connection()
                raw.detach()  # the listener's own connection, never handed back to the pool
                connection = raw.dbapi_connection
                connection.rollback()  # type: ignore[union-attr]
                connection.autocommit = True  # type: ignore[union-attr]
                connection.execute(f"LISTEN {CHANNEL}")  # type: ignore[union-attr]
                for cache in self._caches():  # whatever was kept before now may have missed a change
                    cache.drop_everything()
                self.live, warned = True, False
                self.connections += 1
                for notice in connection.notifies():  # type: ignore[union-attr]
                    tables = notice.payload.split(",") if notice.payload else [EVERY_TABLE]
                    for cache in self._caches():
                        cache.changed(tables)
            except Exception as exc:  # the database went away: serve nothing kept until it is back
                was_live, self.live = self.live, False
                for cache in self._caches():
                    cache.drop_everything()
                if was_live or not warned:
                    log.warning("read cache off: its listener lost the database (%s); retrying", type(exc).__name__)
                    warned = True
            finally:
                self.live = False
                if connection is not None:
                    with contextlib.suppress(Exception):  # closing a connection that is already gone
                        connection.close()
            time.sleep(self.RETRY_SECONDS)


# The request hooks


def _marks(app: Flask, endpoint: str | None) -> tuple[bool, bool]:
    """Whether the endpoint's GET is cacheable, and whether it confirms presumed versions before it answers
    (api.Blueprint.signed_in marks it); looked up once per endpoint."""
    marks: dict[str | None, tuple[bool, bool]] = app.extensions["buurtwacht.readcache.views"]
    found = marks.get(endpoint)
    if found is None:
        view = app.view_functions.get(endpoint) if endpoint is not None else None
        method = getattr(getattr(view, "view_class", None), "get", view)
        found = marks[endpoint] = (bool(getattr(method, _MARK, False)), bool(getattr(method, CONFIRMS, False)))
    return found


def _look_up() -> Response | None:
    from buurtwacht.auth.service import verified_claims
    from buurtwacht.errors import Unauthorized, Unavailable

    current, app = this_request(), this_app()
    if current.method != "GET":
        return None
    cacheable, confirms = _marks(app, current.endpoint)
    if not cacheable:
        return None
    try:
        uid = str(verified_claims()["uid"])  # verified here once; the view's sign-in reuses it
    except (Unauthorized, Unavailable):
        return None  # the view itself answers 401 or 503
    cache: ReadCache = app.extensions["buurtwacht.readcache"]
    key = (uid, current.full_path, current.headers.get("Accept-Language", ""))
    if confirms and key not in cache:
        presume()  # nothing kept to check: a miss whatever the versions, which its first statement reads
    committed = committed_versions()
    if committed is None:
        LOOKUPS.labels("off").inc()
        return None
    state = here()
    kept = None if "presumed" in state else cache.get(key, committed)
    if kept is not None:
        LOOKUPS.labels("hit").inc()
        state.read_cache = "hit"
        return Response(kept.body, status=kept.status, headers=kept.headers)
    LOOKUPS.labels("miss").inc()
    state.read_cache = "miss"
    state.read_cache_reading = cache.begin(key, committed)
    return None


def _keep(response: Response) -> Response:
    state = here()
    reading: Reading | None = state.pop("read_cache_reading", None)
    if (
        reading is None
        or "presumed" in state  # never confirmed (api.Blueprint.signed_in confirms before answering): not kept
        or reading.wrote
        or response.status_code != 200
        or response.is_streamed
        or response.direct_passthrough
        or "Set-Cookie" in response.headers
    ):
        return response
    reading.cache.keep(reading, response)
    return response


def committed_versions() -> dict[str, int] | None:
    """Every table's committed version, read once per request (one round trip); None off PostgreSQL,
    while the listener is not connected, or when they cannot be read: then nothing kept may be used.

    The read cache checks its answers against these, and the sign-in kept per worker
    (buurtwacht/auth/identities.py) the person, memberships and officer areas it holds.
    """
    state = here()
    if "committed_versions" in state:
        known: dict[str, int] | None = state.committed_versions
        return known
    cache: ReadCache | None = this_app().extensions.get("buurtwacht.readcache")
    if cache is None or not cache.serving():
        state.committed_versions = None
    elif state.pop("may_presume", False) and cache.last is not None:
        state.committed_versions = cache.last
        state.presumed = set()  # the tables whose kept state is checked against them (presumed_for)
    else:
        state.committed_versions = cache.committed()
    return state.committed_versions  # type: ignore[no-any-return]


# Presumed versions: the request's first statement reads them


CONFIRMS = "_buurtwacht_confirms_presumed_versions"


class Presumed(Exception):
    """The versions a request presumed have changed for a table it used from memory: it starts over."""


def presume() -> None:
    """Let this request check what is kept (the sign-in, groups, areas) against the versions its worker read last
    instead of reading them first, when it asks for them before any statement; then its first statement reads them
    (db.fetch_all in the same statement, any other one round trip before it), and confirm() holds them to what was
    presumed. For views that confirm before they answer (api.Blueprint.signed_in: reads, and writes that say so with
    presumes_versions, whose statement refuses to write under changed versions), and only they.

    What the request answers is read in the same statement as, or after, the versions it is checked against, as
    when they are read first: a write that has been answered is always seen. One round trip less per read.
    """
    here().may_presume = True


def presumed_for(tables: Iterable[str]) -> None:
    """What is kept of these tables was just checked against the request's versions (they may be presumed)."""
    presumed: set[str] | None = here().get("presumed")
    if presumed is not None:
        presumed.update(tables)


def confirm(actual: dict[str, int] | None = None) -> None:
    """Presumed versions become the database's, read now (one round trip) or given (`actual`, read with a statement
    by db.fetch_all); Presumed when a table that was checked against them has changed, or they cannot be read."""
    state = here()
    tables: set[str] | None = state.pop("presumed", None)
    if tables is None:
        return
    presumed: dict[str, int] = state.committed_versions
    cache: ReadCache = this_app().extensions["buurtwacht.readcache"]
    if actual is None:
        actual = cache.committed()
    else:
        cache.last = actual
    state.committed_versions = actual
    if actual is None or any(actual.get(table, 0) != presumed.get(table, 0) for table in tables):
        _stale(state)
        raise Presumed
    reading: Reading | None = state.get("read_cache_reading")
    if reading is not None:
        reading.committed = actual
    _CONFIRMED.inc()


def refused() -> None:
    """A write that presumed versions refused to write under them, having found them changed (db.fetch_all's guard):
    the request starts over, as after a stale read (counted once: they need no confirming now)."""
    state = here()
    state.pop("presumed", None)
    _stale(state)


def _stale(state: Any) -> None:
    _STALE.inc()
    state.presumed_stale = True  # told to confirmed() even where something on the way caught the exception


def keep_nothing() -> None:
    """This request's answer is not kept, whatever it is."""
    here().pop("read_cache_reading", None)


def confirmed() -> bool:
    """Whether the versions this request presumed held, confirming them now (one round trip) if none of its
    statements did; True when it presumed none. False: its answer may be wrong, and it must start over."""
    state = here()
    if "presumed" in state:
        with contextlib.suppress(Presumed):
            confirm()
    return not state.get("presumed_stale", False)


# What a request keeps in `g` from its sign-in on: a request that starts over drops it all.
_SIGNED_IN = ("committed_versions", "presumed", "presumed_stale", "may_presume", "read_cache_reading", "person",
              "identity", "db_attach", "apart", "reader_locale", "folding", "wrote_in_one_statement")  # fmt: skip


def start_over() -> None:
    """Forget what this request read or used from memory since it was signed in (its session rolled back and
    closed), to answer it again with the versions read first. The presumed answer is not kept."""
    state = here()
    for name in _SIGNED_IN:
        state.pop(name, None)
    session = state.pop("db_session", None)
    if session is not None:
        session.close()


def changed_here(tables: Iterable[str]) -> tuple[int, ...]:
    """This process's count of change notices for these tables: what was kept before a notice is not used after."""
    cache: ReadCache | None = this_app().extensions.get("buurtwacht.readcache")
    if cache is None:
        return ()
    return (cache.epoch, *(cache.version(table) for table in tables))


def reading_from_memory(tables: frozenset[str]) -> None:
    """A request used what the sign-in keeps instead of reading these tables: a kept answer depends on them too."""
    reading: Reading | None = here().get("read_cache_reading")
    if reading is not None:
        reading.saw(tables, False)


def init_app(app: Flask) -> None:
    """Register before the transaction's hook, so that an answer is kept only once it has committed.

    On PostgreSQL the versions and their listener run even with answers off (READ_CACHE_SECONDS=0):
    the sign-in kept per worker relies on them.
    """
    settings = app.config["BUURTWACHT"]
    database = app.extensions["buurtwacht.db"]
    if not database.url.startswith("postgresql"):
        return
    cache = ReadCache(
        database_key(database.url),
        lambda: database.engine,
        database.reader,
        settings.READ_CACHE_SECONDS,
        settings.READ_CACHE_MEGABYTES * 1024 * 1024,
    )
    app.extensions["buurtwacht.readcache"] = cache
    if settings.READ_CACHE_SECONDS <= 0:
        return
    app.extensions["buurtwacht.readcache.views"] = {}
    app.before_request(_look_up)
    app.after_request(_keep)
