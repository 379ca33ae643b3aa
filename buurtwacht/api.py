"""The project's Api and Blueprint: decorators that enforce sign-in and roles and document what they do."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import marshmallow as ma
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint as SmorestBlueprint

from buurtwacht.auth import service as auth_service

F = TypeVar("F", bound=Callable[..., Any])

API_PREFIX = "/api/v1"

BEARER_SCHEME = "firebase"


class Schema(ma.Schema):
    """Base schema: unknown fields are refused, so a typo in a client is a 422, not silently lost."""

    class Meta:
        unknown = ma.RAISE
        ordered = True


class Blueprint(SmorestBlueprint):
    """A flask-smorest Blueprint whose access decorators also write their 401/403/404 into OpenAPI."""

    def signed_in(self, func: F) -> F:
        """Require a valid Firebase ID token; the person is made on first sign-in."""

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            auth_service.authenticate()
            return func(*args, **kwargs)

        wrapper = self.alt_response(401, response="UNAUTHORIZED")(wrapper)
        return self.doc(security=[{BEARER_SCHEME: []}])(wrapper)  # type: ignore[no-any-return]

    def admin_only(self, func: F) -> F:
        """Require a signed-in municipal admin."""

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            auth_service.require_admin()
            return func(*args, **kwargs)

        return self.signed_in(self.alt_response(403, response="FORBIDDEN")(wrapper))  # type: ignore[return-value]

    def group_scoped(self, func: F) -> F:
        """Document the answers of an endpoint inside a group: 403 for a role too low, 404 for outsiders."""
        func = self.alt_response(403, response="FORBIDDEN")(func)
        func = self.alt_response(404, response="NOT_FOUND")(func)
        return self.signed_in(func)

    def conflicts(self, func: F) -> F:
        """Document that the request can clash with the current state (409)."""
        return self.alt_response(409, response="CONFLICT")(func)  # type: ignore[return-value]


class Api(SmorestApi):
    """The project Api: declares the bearer scheme once."""

    def init_app(self, app: Any, *, spec_kwargs: dict[str, Any] | None = None) -> None:
        super().init_app(app, spec_kwargs=spec_kwargs)
        self.spec.components.security_scheme(
            BEARER_SCHEME,
            {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "JWT",
                "description": (
                    "A Firebase ID token of the signed-in user (`user.getIdToken()` in the Firebase "
                    "SDKs). In development, `flask token EMAIL` prints one signed by the local key."
                ),
            },
        )
