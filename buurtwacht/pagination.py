"""SQL-side pagination for flask-smorest's `paginate()`: count and slice in the database."""

from __future__ import annotations

from typing import Any

from flask_smorest.pagination import PaginationParameters
from sqlalchemy import Select, func, select

from buurtwacht import db

# Past this a page number cannot be a real page, and OFFSET would overflow the database's integer.
MAX_OFFSET = 2**31 - 1


def paginate(query: Select[Any], page: PaginationParameters) -> list[Any]:
    session = db.session()
    page.item_count = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    if page.first_item >= min(page.item_count, MAX_OFFSET):
        return []
    return list(session.scalars(query.offset(page.first_item).limit(page.page_size)))
