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

    The total comes with the page (`count(*) OVER ()`, one round trip instead of two); only a page
    past the end, which has no rows to carry it, counts separately. Not for DISTINCT queries: the
    window would count the rows before DISTINCT.
    """
    session = db.session()
    if page.first_item < MAX_OFFSET:
        rows = session.execute(
            query.add_columns(func.count().over()).offset(page.first_item).limit(page.page_size)
        ).all()
        if rows:
            page.item_count = rows[0][-1]
            return [row[0] for row in rows]
        if page.first_item == 0:
            page.item_count = 0
            return []
    page.item_count = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    return []
