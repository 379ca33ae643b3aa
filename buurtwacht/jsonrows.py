"""A row's children as one JSON array column, aggregated by the database: PostgreSQL and SQLite alike.

A read that answers a list of parents with their children (an alert's areas and updates, a person's
memberships) asks for each parent's children as a correlated subquery that yields a JSON array of
arrays, in the order the answer shows them, so the whole answer is one statement. PostgreSQL orders
inside `json_agg`; SQLite (before 3.44) has no ORDER BY in an aggregate, so it aggregates a subquery
that is already in order. Values come back as JSON gives them: a moment as its ISO text (`moment`
reads it on both), a UUID as text (`uuid_text`).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from sqlalchemy import ColumnElement, Select, String, func, select, type_coerce
from sqlalchemy.dialects.postgresql import aggregate_order_by

from buurtwacht import db


def on_postgresql() -> bool:
    return db.database().engine.dialect.name == "postgresql"


def children(query: Select[*tuple[Any, ...]], *order_by: Any, within: Any) -> ColumnElement[Any]:
    """The rows of `query` as a JSON array of arrays, in `order_by` order, correlated to the enclosing
    statement's `within` (the parent's table or entity).

    Each row is the array of the query's columns; no rows is NULL or [] (`rows` reads both as []).
    """
    query = query.correlate(within)
    if on_postgresql():
        columns = [c for c in query.selected_columns]
        return query.with_only_columns(
            func.json_agg(aggregate_order_by(func.json_build_array(*columns), *order_by)), maintain_column_froms=True
        ).scalar_subquery()
    inner = query.order_by(*order_by).subquery()
    return select(func.json_group_array(func.json_array(*inner.c))).select_from(inner).scalar_subquery()


def as_text(column: Any) -> Any:
    """A column read as the text it is stored as: an enum column's value without making an enum of it."""
    return type_coerce(column, String()).label(column.key)


def rows(value: Any) -> list[list[Any]]:
    """What `children` selected, as a list of rows (psycopg parses JSON itself; SQLite gives its text)."""
    if value is None:
        return []
    if isinstance(value, str):
        return json.loads(value)  # type: ignore[no-any-return]
    return value  # type: ignore[no-any-return]


def moment(text: str) -> dt.datetime:
    """A moment as JSON wrote it: ISO 8601 with an offset (PostgreSQL) or naive UTC as stored (SQLite)."""
    found = dt.datetime.fromisoformat(text)
    return found if found.tzinfo is not None else found.replace(tzinfo=dt.UTC)


def uuid_text(value: str) -> str:
    """A UUID as the schemas write it (hyphenated, lower case), from PostgreSQL's text or SQLite's 32 hex digits."""
    return value if len(value) == 36 else str(uuid.UUID(value))
