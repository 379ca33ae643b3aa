"""Domain errors raised by services, and the one handler that turns them into flask-smorest's error shape.

A message is an English message id ("this patrol is cancelled"), or a `Wording` (a catalogue key and its
parameters) where the words that fill it depend on the language; Api.handle_http_exception renders both in
the reader's language (buurtwacht.messages.request_locale).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import default_exceptions

from buurtwacht import db, messages
from buurtwacht.messages import Wording

Message = str | Wording


class DomainError(Exception):
    """A rule of the domain said no. `errors` names the fields at fault, as webargs does."""

    status = 400

    def __init__(self, message: Message, errors: dict[str, Any] | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.errors = errors


class Unauthorized(DomainError):
    """Names the Authorization header as what is at fault."""

    status = 401

    def __init__(self, message: Message) -> None:
        super().__init__(message, {"headers": {"Authorization": [message]}})


class Forbidden(DomainError):
    status = 403


class NotFound(DomainError):
    """Also for objects that exist but that the caller may not know about."""

    status = 404

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} not found")


class Conflict(DomainError):
    status = 409


class Unavailable(DomainError):
    status = 503


class TooMany(DomainError):
    """A rate limit: says when to try again."""

    status = 429

    def __init__(self, message: Message, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = max(int(retry_after_seconds), 1)


class Invalid(DomainError):
    """Well-formed input that breaks a rule; always names the field."""

    status = 422

    def __init__(self, field: str, reason: Message, location: str = "json") -> None:
        super().__init__(reason, {location: {field: [reason]}})


def error_response(status: int, message: Message | None = None, errors: dict[str, Any] | None = None) -> Response:
    """The response flask-smorest gives for `abort(status, message=..., errors=...)`, in the reader's language."""
    exc = default_exceptions[status]()
    exc.data = {k: v for k, v in (("message", message), ("errors", errors)) if v is not None}  # type: ignore[attr-defined]
    api = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    return current_app.make_response(api.handle_http_exception(exc))


def _rollback() -> None:
    messages.remember_reader()  # the rollback expires the signed-in person, whose language the answer needs
    if db.has_session():
        db.session().rollback()


def _handle_domain_error(err: DomainError) -> Any:
    _rollback()
    response = error_response(err.status, err.message, err.errors)
    if isinstance(err, TooMany):
        response.headers["Retry-After"] = str(err.retry_after_seconds)
    return response


def _handle_integrity_error(_err: IntegrityError) -> Any:
    # A unique key caught a race the service's own checks could not (two requests at once).
    _rollback()
    return error_response(409, "conflicts with the current state; reload and try again")


def _handle_operational_error(_err: OperationalError) -> Any:
    _rollback()
    return error_response(503, "the database is unavailable; try again shortly")


def init_app(app: Flask) -> None:
    app.register_error_handler(DomainError, _handle_domain_error)
    app.register_error_handler(IntegrityError, _handle_integrity_error)
    app.register_error_handler(OperationalError, _handle_operational_error)
