"""buurtwacht.context: the request's `g`, request and app without the proxies, and the same objects."""

from __future__ import annotations

import pytest
from flask import current_app, g, request

from buurtwacht.context import here, this_app, this_request


def test_the_context_objects_are_the_proxies_own(app):
    with app.test_request_context("/api/v1/me?page=2"):
        g.seen = "via the proxy"
        assert here().seen == "via the proxy"
        here().set_here = 1
        assert g.set_here == 1
        assert this_request().full_path == request.full_path == "/api/v1/me?page=2"
        assert this_app() is current_app._get_current_object() is app


def test_outside_a_context_each_refuses_as_the_proxies_do():
    for taken in (here, this_request, this_app):
        with pytest.raises(RuntimeError):
            taken()
