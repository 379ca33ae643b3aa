"""The X-Pagination header a list sends: the numbers flask-smorest documents, made without its schema."""

from __future__ import annotations

import json

import pytest
from flask_smorest.pagination import PaginationMixin

from buurtwacht.api import Blueprint


@pytest.mark.parametrize("item_count", [0, 1, 49, 50, 51, 100, 101, 5000])
@pytest.mark.parametrize("page", [1, 2, 3, 101])
@pytest.mark.parametrize("page_size", [1, 10, 50])
def test_the_header_says_what_flask_smorest_would(page: int, page_size: int, item_count: int) -> None:
    ours = Blueprint._make_pagination_metadata(page, page_size, item_count)
    theirs = PaginationMixin._make_pagination_metadata(page, page_size, item_count)
    assert json.dumps(ours) == json.dumps(theirs)  # the same numbers, in the same order
