"""Security headers on every answer, and CORS only for the origins the configuration names.

The API answers JSON to a mobile app, so a browser may not frame it, sniff its types, or send a
referrer on. CORS is off unless BUURTWACHT_CORS_ORIGINS lists origins (a web dashboard, say):
then those origins, and only those, may call the API from a browser.
"""

from __future__ import annotations

from flask import Flask, Response

from buurtwacht.context import this_app, this_request

API_CSP = "default-src 'none'; frame-ancestors 'none'"
# The API browser at /docs runs Swagger UI from assets the app serves itself.
DOCS_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
)
CORS_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
CORS_REQUEST_HEADERS = "Authorization, Content-Type, If-Match, Idempotency-Key, X-Request-ID"
CORS_EXPOSED_HEADERS = "ETag, X-Pagination, X-Request-ID, Retry-After, Location"


# On every answer unless the view set its own: (name, lower-case name, value).
_EVERY_ANSWER = tuple(
    (name, name.lower(), value)
    for name, value in (
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("Cross-Origin-Resource-Policy", "same-site"),
    )
)
_HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def _headers(response: Response) -> Response:
    settings = this_app().config["BUURTWACHT"]
    current = this_request()
    headers = response.headers
    # One look at the names the answer has, then one extend: `setdefault` per header scanned the list each time.
    present = {name.lower() for name, _value in headers.items()}
    path = current.path
    missing = [(name, value) for name, lower, value in _EVERY_ANSWER if lower not in present]
    if "content-security-policy" not in present:
        missing.append(("Content-Security-Policy", DOCS_CSP if path.startswith("/docs") else API_CSP))
    if settings.ENV == "production" and "strict-transport-security" not in present:
        missing.append(_HSTS)
    if path.startswith("/api/") and "cache-control" not in present:
        missing.append(("Cache-Control", "no-store"))  # personal data stays out of shared caches
    headers.extend(missing)
    origin = current.headers.get("Origin")
    if origin and origin in settings.cors_origins:
        headers["Access-Control-Allow-Origin"] = origin
        headers.add("Vary", "Origin")
        headers["Access-Control-Expose-Headers"] = CORS_EXPOSED_HEADERS
        if current.method == "OPTIONS":
            headers["Access-Control-Allow-Methods"] = CORS_METHODS
            headers["Access-Control-Allow-Headers"] = CORS_REQUEST_HEADERS
            headers["Access-Control-Max-Age"] = "600"
    return response


def init_app(app: Flask) -> None:
    app.after_request(_headers)
