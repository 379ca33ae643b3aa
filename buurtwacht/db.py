"""Engine, one session per request or job, and the declarative Base with a naming convention."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
import time
from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import psycopg
from flask import Flask, g
from psycopg.rows import namedtuple_row
from psycopg.types.json import set_json_loads
from sqlalchemy import (
    BigInteger,
    DateTime,
    Integer,
    MetaData,
    Select,
    Text,
    bindparam,
    case,
    cast,
    create_engine,
    event,
    func,
    literal,
    select,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from buurtwacht.context import here, this_app

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC in, aware UTC out, on SQLite (which returns naive values) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def dialect_insert(table: Any) -> Any:
    """INSERT in the session's dialect, which can say ON CONFLICT DO NOTHING (`.on_conflict_do_nothing()`)."""
    if session().get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def sqlite_url_for(instance_path: str) -> str:
    return f"sqlite:///{Path(instance_path) / 'buurtwacht.sqlite3'}"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine whose commits tell the read cache what they changed (readcache.track); see _make_engine."""
    from buurtwacht import readcache

    engine = _make_engine(url, **kwargs)
    readcache.track(engine)
    return engine


def _make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine; on SQLite with foreign keys enforced and WAL on every connection."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # SQLAlchemy, not the driver, begins transactions (see _begin_immediate).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin_immediate(connection: Any) -> None:
            # Take the write lock at the start: a read-then-write transaction in WAL mode would
            # otherwise fail at once ("database is locked") when another writer got in between,
            # instead of waiting its turn. SQLite serialises writers; this makes them queue.
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    # JSON the database built (a row's children, jsonrows.children) parsed by orjson, as answers are
    # written (json_provider.py): a page of 50 alerts parses a hundred small arrays.
    set_json_loads(orjson.loads)
    # No pre-ping: it is one more round trip on every request. A connection the server dropped
    # fails its request with 503 (transactions.py), is invalidated with the rest of the pool, and
    # the next request connects afresh; connections are recycled before any idle timeout.
    return create_engine(url, pool_recycle=RECYCLE_SECONDS, **kwargs)


RECYCLE_SECONDS = 1800

# The fast reads' statements (fetch_all) are prepared by psycopg after five runs, and PostgreSQL then plans each run
# afresh unless the plan it makes without the values looks no dearer than those it made with them. For a page of a
# group's notes or patrols it never does: the estimate for a LIMIT of unknown size is higher, though the plan is as
# good. Planning a page of notes cost 0.2-0.3 ms of its 0.8 (README, capacity); the generic plan is made once
# per connection. Set on the held reader only, whose statements are those few pages and rows by key, each read through
# an index on the group, person or key whatever the values; reset before the connection goes back to the pool.
GENERIC_PLANS = "SET plan_cache_mode = force_generic_plan"


def _hand_back(connection: Connection) -> None:
    """Return a held connection to the pool as the pool gave it (plan_cache_mode as the server's); one that is lost,
    or cannot be reset, is closed for good instead."""
    with contextlib.suppress(Exception):  # the server has already dropped it: the pool discards it
        reader = connection.get_execution_options().get(READ_ONLY_OPTION) and connection.dialect.name == "postgresql"
        if reader and not (connection.invalidated or connection.closed):
            try:
                connection.connection.dbapi_connection.execute("RESET plan_cache_mode")  # type: ignore[union-attr]
            except Exception:
                connection.invalidate()
        connection.close()


class Database:
    """The app's engine and session factory; the engine is made on first use, not at start-up."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: Engine | None = None
        self._sessionmaker: sessionmaker[Session] | None = None
        self._held = threading.local()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.url)
            self._sessionmaker = sessionmaker(self._engine, expire_on_commit=False)
            event.listen(self._sessionmaker, "after_begin", _connected)
        return self._engine

    def new_session(self) -> Session:
        self.engine  # noqa: B018 - makes the engine and session factory on first use
        assert self._sessionmaker is not None
        return self._sessionmaker()

    def reader(self) -> Connection:
        """This thread's connection for reads outside any transaction (PostgreSQL): autocommit, a write on it refused
        (readcache._before_execute), held by the thread instead of handed back to the pool after each request.

        A request that only reads (read_only) reads on it, and every request reads the table versions on it
        (readcache.CommittedVersions): no checkout, no change of isolation level and no reset per request.

        Its prepared statements always run on their generic plan (GENERIC_PLANS).
        """
        return self.held(READ_ONLY_OPTION)

    def held(self, option: str) -> Connection:
        """This thread's autocommit connection marked with `option` (READ_ONLY_OPTION or ONE_STATEMENT_OPTION), held
        by the thread across requests. One that was lost (invalidated when a statement on it failed so) is replaced
        at its next use. Held, it never meets the pool's recycling: after RECYCLE_SECONDS it is handed back and taken
        again, and the pool replaces it then as it does its own, before any idle timeout of the server. A forked
        process makes its own."""
        held = self._held_here()
        found = held.get(option)
        if found is not None:
            connection, since = found
            if not (connection.invalidated or connection.closed) and time.monotonic() - since < RECYCLE_SECONDS:
                return connection
            _hand_back(connection)
        made = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT", **{option: True})
        if option == READ_ONLY_OPTION and made.dialect.name == "postgresql":
            # On the driver's connection: through SQLAlchemy it would begin a transaction the Connection then holds
            # (and a cycle that keeps a finished thread's held connection out of the pool until a collection).
            try:
                made.connection.dbapi_connection.execute(GENERIC_PLANS)  # type: ignore[union-attr]
            except psycopg.Error as error:  # as SQLAlchemy would raise it: 503, never 500
                made.invalidate()
                made.close()
                raise DBAPIError.instance(GENERIC_PLANS, None, error, psycopg.Error) from error
        held[option] = (made, time.monotonic())
        return made

    def _held_here(self) -> dict[str, tuple[Connection, float]]:
        """This thread's held connections by option, with when each was taken; a fork starts with none (the
        parent's are never used in a child)."""
        local = self._held
        if getattr(local, "pid", None) != os.getpid():
            local.pid, local.connections = os.getpid(), {}
        connections: dict[str, tuple[Connection, float]] = local.connections
        return connections

    def dispose(self) -> None:
        """Closes the engine's pool and this thread's held connections (another thread's go with their thread)."""
        held = self._held_here()
        for connection, _since in held.values():
            _hand_back(connection)
        held.clear()
        if self._engine is not None:
            self._engine.dispose()


def init_app(app: Flask, url: str) -> None:
    app.extensions["buurtwacht.db"] = Database(url)
    app.teardown_appcontext(_close_session)


def database() -> Database:
    db: Database = this_app().extensions["buurtwacht.db"]
    return db


def session() -> Session:
    """The session of the current request, CLI command or job (one per app context), made on first use."""
    state = here()
    if "db_session" not in state:
        made = state.db_session = database().new_session()
        for instance in state.pop("db_attach", ()):
            made.add(instance)
    current: Session = state.db_session
    return current


def attach(instance: Any) -> None:
    """Put an instance made from kept values (as if loaded, nothing to write) into this context's session: at once
    when it has one, else when it is made. A request that never needs its session (a read on the held connection,
    with the sign-in and access kept) then makes none: no session to begin, no identity map, nothing to close."""
    state = here()
    if "db_session" in state:
        state.db_session.add(instance)
    else:
        state.setdefault("db_attach", []).append(instance)


def attached(cls: type[Any], key: Any) -> Any | None:
    """The instance of `cls` with this primary key in this context's session, or waiting for it (attach)."""
    state = here()
    current: Session | None = state.get("db_session")
    if current is not None:
        return current.identity_map.get(current.identity_key(cls, key))
    for instance in state.get("db_attach", ()):
        if type(instance) is cls and sa_inspect(instance).identity == (key,):
            return instance
    return None


# A request that only reads, on PostgreSQL: its statements run in autocommit, and a write among them is refused.
READ_ONLY_OPTION = "buurtwacht_read_only"
# A request that writes with one statement committing by itself (one_statement_write).
ONE_STATEMENT_OPTION = "buurtwacht_one_statement"
_CONNECTED = "buurtwacht_connected"


def _connected(current: Session, _transaction: Any, _connection: Any) -> None:
    current.info[_CONNECTED] = True


def _before_any_statement_on_postgresql() -> bool:
    """Whether the request has sent no statement through its session yet, on PostgreSQL (a sign-in read from the
    database has already begun a transaction, and SQLite has no reads or writes outside one to offer)."""
    current: Session | None = here().get("db_session")
    if current is not None and current.info.get(_CONNECTED):
        return False
    return database().engine.dialect.name == "postgresql"


def read_only() -> None:
    """This request only reads from here on: on PostgreSQL its statements run without BEGIN and COMMIT.

    Under READ COMMITTED (PostgreSQL's default) each statement of a transaction takes its own snapshot
    anyway, so a read of one or two statements sees exactly what it would inside a transaction; what
    it saves is two round trips per request. Called before the request's first statement (a sign-in
    read from the database has already begun a transaction: then this does nothing). Its reads through
    fetch_all and connection() go on the thread's reader (Database.reader), so the request's session
    never takes a connection from the pool; a read through the session itself still may (in a
    transaction, never committed). A write after it is refused (readcache._before_execute): it would
    commit on its own, or go unanswered.
    """
    if _before_any_statement_on_postgresql():
        g.apart = READ_ONLY_OPTION


def apart() -> str | None:
    """READ_ONLY_OPTION or ONE_STATEMENT_OPTION when this request said so (read_only, one_statement_write) and its
    statements go on the thread's held connection of that kind (Database.held); else None."""
    found: str | None = here().get("apart")
    return found


def connection() -> Connection:
    """The connection this request's statements go on: the thread's held one after read_only or one_statement_write,
    else the session's."""
    option = apart()
    if option is not None:
        return database().held(option)
    return session().connection()


def one_statement_write() -> bool:
    """This request writes with one statement, which commits by itself: True when it may (PostgreSQL, before the
    request's first statement), and then its statements run in autocommit.

    A transaction of one write costs three round trips besides the write: BEGIN, the write, then the versions'
    advance with COMMIT (readcache._on_commit). A statement that does all of it (readcache.advancing in it) is one,
    and as atomic. The request's statements through fetch_all and connection() go on the thread's held connection
    for such writes (Database.held); a read through the session runs on its own connection, as any would. A second
    write in the request, one that does not advance its versions itself, or a write through the session, is refused
    (readcache._before_execute): the request would no longer be one transaction.
    """
    if not _before_any_statement_on_postgresql():
        return False
    g.apart = ONE_STATEMENT_OPTION
    return True


def reads_only(current: Session) -> bool:
    """Whether the session said it only reads (read_only) and holds nothing to write: it has nothing to commit."""
    return apart() == READ_ONLY_OPTION and not (current.new or current.dirty or current.deleted)


# Reads straight from the driver


@dataclass(frozen=True)
class _Compiled:
    statement: Any  # held, so that its id is not reused while this is kept
    sql: str | None
    compiled: Any  # SQLAlchemy's compiled form: the bound parameters, their defaults and processors


_COMPILED: dict[int, _Compiled] = {}
_MOST_COMPILED = 2_000  # the kept statements are a few dozen; more means one is being built per request


def _compiled(statement: Any, on: Connection) -> _Compiled:
    found = _COMPILED.get(id(statement))
    if found is None or found.statement is not statement:
        compiled = statement.compile(dialect=on.dialect)
        # An expanding IN is written out per request (its text depends on the values): SQLAlchemy's execute.
        sql = None if "POSTCOMPILE" in compiled.string else compiled.string
        if len(_COMPILED) >= _MOST_COMPILED:
            _COMPILED.clear()
        found = _COMPILED[id(statement)] = _Compiled(statement, sql, compiled)
    return found


def fetch_all(statement: Any, values: dict[str, Any]) -> Sequence[Any]:
    """The rows a statement built once and kept (its id is the key) answers, a SELECT or a write with RETURNING,
    each a named tuple of the driver's values.

    On PostgreSQL the statement is compiled once and sent through psycopg's own cursor: no SQLAlchemy
    result processing per value (a page of 50 rows of 20 columns is a thousand calls), no Row objects.
    Values are psycopg's: UUIDs, aware datetimes (in the connection's time zone), JSON already parsed,
    enum columns as the text they store when read with jsonrows.as_text. The engine's cursor events still
    run (the read cache sorts the statement by the tables it reads), and a driver error is handled as
    SQLAlchemy handles its own (wrapped; a lost connection invalidated). Elsewhere (SQLite) it is
    SQLAlchemy's execute, whose rows read the same by position and by name.
    """
    on = connection()
    if on.dialect.name != "postgresql":
        return on.execute(statement, values).all()
    found = _compiled(statement, on)
    # The request's versions were presumed (readcache.presume): its first statement reads them, as its last column.
    state = here()
    folded = "presumed" in state and found.sql is not None and isinstance(statement, Select)
    guarded = False
    if folded:
        from buurtwacht import readcache  # here: readcache imports this module

        if readcache.writes(found.sql):  # type: ignore[arg-type]
            # A write that commits by itself (one_statement_write) reads them too, and refuses to write under versions
            # that have changed (_GUARD); any other write has them read before it, by the statement hook.
            folded = guarded = apart() == ONE_STATEMENT_OPTION
    if folded:
        found = _compiled(_with_versions(statement, guarded), on)
        if guarded:
            tables = sorted(state.presumed)
            values = {**values, _GUARD_TABLES: tables, _GUARD_VERSIONS: [state.committed_versions.get(t, 0)
                                                                          for t in tables]}  # fmt: skip
    if found.sql is None:
        return on.execute(statement, values).all()
    parameters = found.compiled.construct_params(values)
    for name, process in found.compiled._bind_processors.items():
        if name in parameters:
            parameters[name] = process(parameters[name])
    versions: list[Any] = []
    factory = _VersionsLast(versions) if folded else namedtuple_row
    cursor = on.connection.dbapi_connection.cursor(row_factory=factory)  # type: ignore[union-attr]
    dispatch = on.dispatch
    state.folding = folded
    try:
        dispatch.before_cursor_execute(on, cursor, found.sql, parameters, None, False)
    finally:
        state.folding = False
    try:
        cursor.execute(found.sql, parameters)
        rows = cursor.fetchall()
    except psycopg.Error as error:
        if guarded and _REFUSED in str(error):
            readcache.refused()  # the write went in under changed versions: rolled back with its statement
        on._handle_dbapi_exception(error, found.sql, parameters, cursor, None)
    finally:
        cursor.close()
    dispatch.after_cursor_execute(on, cursor, found.sql, parameters, None, False)
    if folded:
        if versions and versions[0] is not None:
            readcache.confirm(orjson.loads(versions[0]))
        else:
            # No rows, no versions: read on their own, after the statement, so they may be newer than what it read;
            # what the request answers is then not kept (an answer is kept only under versions read before it).
            readcache.confirm()
            readcache.keep_nothing()
    return rows


# A statement of fetch_all with the table versions as its last column (readcache.presume), kept per statement and
# guard.
_FOLDED: dict[tuple[int, bool], tuple[Any, Any]] = {}
_VERSIONS = "buurtwacht_versions"
# The guard of a write that commits by itself: the tables the request used from memory, and the versions presumed.
_GUARD_TABLES = "buurtwacht_presumed_tables"
_GUARD_VERSIONS = "buurtwacht_presumed_versions"
_REFUSED = "buurtwacht: presumed versions changed"


def _with_versions(statement: Select[Any], guarded: bool = False) -> Select[Any]:
    found = _FOLDED.get((id(statement), guarded))
    if found is None or found[0] is not statement:
        from buurtwacht.models.change import TableVersion

        # Uncorrelated: computed once per statement, in its snapshot; as text, so that only the first row's is parsed.
        versions: Any = select(cast(func.json_object_agg(TableVersion.table_name, TableVersion.version), Text))
        versions = versions.scalar_subquery()
        if guarded:
            versions = case((_held(), versions), else_=cast(cast(literal(_REFUSED + " ") + versions, Integer), Text))
        if len(_FOLDED) >= _MOST_COMPILED:
            _FOLDED.clear()
        found = _FOLDED[(id(statement), guarded)] = (statement, statement.add_columns(versions.label(_VERSIONS)))
    return found[1]  # type: ignore[no-any-return]


def _held() -> Any:
    """Whether every table the request used from memory still has the version it presumed, in the statement's
    snapshot: else its versions column cannot be made (a number from text), and the statement fails as a whole,
    its writes with it, before it commits. Only evaluated for a row the statement returns, and a write that wrote
    nothing returns none; a table without a row has version 0, as readcache reads it."""
    from buurtwacht.models.change import TableVersion

    presumed = (
        func.unnest(
            bindparam(_GUARD_TABLES, type_=ARRAY(Text())), bindparam(_GUARD_VERSIONS, type_=ARRAY(BigInteger()))
        )
        .table_valued("name", "version")
        .render_derived(name="presumed")
    )
    same = func.coalesce(TableVersion.version, 0) == presumed.c.version
    return (
        select(func.coalesce(func.bool_and(same), True))
        .select_from(presumed.outerjoin(TableVersion, TableVersion.table_name == presumed.c.name))
        .scalar_subquery()
    )


class _VersionsLast:
    """namedtuple_row for a statement of _with_versions: each row as the statement alone gives it, the versions of
    the first row put aside."""

    def __init__(self, versions: list[Any]) -> None:
        self.versions = versions

    def __call__(self, cursor: Any) -> Any:
        whole = namedtuple_row(cursor)
        named = getattr(whole, "__self__", None)  # the namedtuple class whose _make it is; None without a result
        if named is None:
            return whole
        fields = named._fields[:-1]
        row: Any = _ROWS.get(fields)
        if row is None:
            row = _ROWS[fields] = namedtuple("Row", fields)  # type: ignore[misc]
        make, size, versions = row._make, len(fields), self.versions

        def made(values: Sequence[Any]) -> Any:
            if not versions:
                versions.append(values[size])
            return make(values[:size])

        return made


_ROWS: dict[tuple[str, ...], Any] = {}


def has_session() -> bool:
    return "db_session" in g


def _close_session(_exc: BaseException | None) -> None:
    current = g.pop("db_session", None)
    if current is not None:
        current.close()  # rolls back anything not committed at the edge
