"""Absolute links that people and their apps keep: built on the configured public address, never on the Host header."""

from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for


def public_url(endpoint: str, **values: Any) -> str:
    """The endpoint's absolute URL on BUURTWACHT_PUBLIC_BASE_URL (outside production, when unset: the request's)."""
    base = current_app.config["BUURTWACHT"].PUBLIC_BASE_URL.rstrip("/") or request.host_url.rstrip("/")
    return base + url_for(endpoint, **values)
