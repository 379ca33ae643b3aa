"""SQL-side pagination for flask-smorest's `paginate()`: count and slice in the database."""

from __future__ import annotations

from typing import Any

from flask_smorest.pagination import PaginationParameters
from sqlalchemy import Select, func, select

from buurtwacht import db

# Past this a page number cannot be a real page, and OFFSET would overflow the database's integer.
MAX_OFFSET = 2**31 - 1


def paginate(query: Select[Any], page: PaginationParameters) -> list[Any]:
    """One page of the query's first column, and the total in `page.item_count`.

    A page shorter than the page size is the last one, so it tells the total itself (a small group's
    whole list, the common case, is one statement). Otherwise the total is counted by a statement of
    its own, which reads no more than the index needs: a `count(*) OVER ()` beside the page would
    make the database carry every matching row, all its columns, to the end (measured: 6.7 ms
    against 2.5 ms for a page and a count of 2,000 notes, 30 ms against 5 ms for 20,000).
    """
    session = db.session()
    rows: list[Any] = []
    if page.first_item < MAX_OFFSET:
        rows = list(session.scalars(query.offset(page.first_item).limit(page.page_size)))
        if (rows and len(rows) < page.page_size) or (not rows and page.first_item == 0):
            page.item_count = page.first_item + len(rows)
            return rows
    page.item_count = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    return rows
