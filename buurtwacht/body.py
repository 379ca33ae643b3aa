"""The request body: JSON nested no deeper than a limit, and a streamed body held to MAX_CONTENT_LENGTH."""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import IO, Any, NoReturn, cast

import flask
import marshmallow as ma
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.exceptions import BadRequest, HTTPException, RequestEntityTooLarge, UnsupportedMediaType
from werkzeug.utils import cached_property
from werkzeug.wsgi import LimitedStream, get_input_stream

# No request of the API nests deeper than a few levels. Python's json parser recurses once per level
# and raises RecursionError at about a thousand: a kilobyte of brackets was a 500.
MAX_JSON_DEPTH = 32

_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_A_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON text nests arrays and objects deeper than `limit`, without parsing it.

    Fewer opening brackets than the limit (nearly every request) is two `count`s; otherwise the
    strings are cut out and the brackets left are added up, all in C, linear in the body's size.
    """
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    brackets = _JSON_STRING.sub(b"", body).translate(None, _NOT_A_BRACKET)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0) > limit


class BodyParser(FlaskParser):
    """webargs's Flask parser: too deep a JSON body is refused before it is parsed, and JSON that Python
    cannot hold (an integer of more than 4,300 digits) is invalid JSON, both 400 in the error shape.

    A schema given as a class (as flask-smorest passes arguments and pagination parameters) is made
    once and reused: webargs would build it anew, fields deep-copied, on every request. Loading keeps
    no state in the schema (marshmallow 4 has no context), so one instance serves every request."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._schemas: dict[type[ma.Schema], ma.Schema] = {}

    def _get_schema(self, argmap: Any, req: Any) -> ma.Schema:
        if isinstance(argmap, type) and issubclass(argmap, ma.Schema):
            made = self._schemas.get(argmap)
            if made is None:
                made = self._schemas[argmap] = argmap()
            return made
        return super()._get_schema(argmap, req)

    def _raw_load_json(self, req: flask.Request) -> Any:
        if not is_json_request(req):
            if req.get_data(cache=True):  # a body sent as something else would read as "missing" on every field
                _unsupported(req.mimetype)
            return core.missing
        body = req.get_data(cache=True)
        if too_deep(body):
            _bad_request(f"JSON body nested deeper than {MAX_JSON_DEPTH} levels.")
        try:
            return core.parse_json(body)
        except json.JSONDecodeError:
            raise
        except ValueError as error:
            raise json.JSONDecodeError(str(error), body.decode(errors="replace"), 0) from error

    def _handle_invalid_json_error(self, error: Any, req: flask.Request, *args: Any, **kwargs: Any) -> NoReturn:
        _bad_request("Invalid JSON body.")


def _unsupported(mimetype: str) -> NoReturn:
    """A 415 in the error shape: the body was not read, because it was not sent as JSON."""
    if mimetype:
        _in_error_shape(
            UnsupportedMediaType(),
            f"The body was not read as JSON: it came as {mimetype}. Send it with 'Content-Type: application/json'.",
        )
    _in_error_shape(
        UnsupportedMediaType(),
        "The body was not read as JSON: it came without a Content-Type. Send it with 'Content-Type: application/json'.",
    )


def _bad_request(message: str) -> NoReturn:
    """A 400 in flask-smorest's error shape, naming the body as what is wrong."""
    _in_error_shape(BadRequest(), message)


def _in_error_shape(error: HTTPException, message: str) -> NoReturn:
    """Raise `error` with `message` (an English message id: the error handler renders it in the reader's
    language) as its message and as what is wrong with the body."""
    error.data = {"message": message, "errors": {"json": [message]}}  # type: ignore[attr-defined]
    raise error


class _CappedStream(LimitedStream):
    """A body the server ends (chunked), read one byte past `limit` to tell a body of exactly `limit`
    bytes from a longer one: a longer one is a 413, not a body silently cut at the limit."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        super().__init__(stream, limit + 1, is_max=True)
        self.max_bytes = limit

    def readinto(self, b: Any) -> int | None:  # type: ignore[override]
        size = super().readinto(b)
        if self._pos > self.max_bytes:
            raise RequestEntityTooLarge()
        return size


class Request(flask.Request):
    """Flask's request, whose streamed body over MAX_CONTENT_LENGTH is a 413 like one with a Content-Length.

    werkzeug stops reading a server-ended (chunked) body at the limit and hands over what it read,
    so 2 MiB sent chunked reached the JSON parser cut at 1 MiB and was answered 400 "Invalid JSON".
    """

    @cached_property
    def stream(self) -> IO[bytes]:
        limit = self.max_content_length
        if limit is None or "wsgi.input_terminated" not in self.environ or self.shallow:
            return super().stream
        get_input_stream(self.environ, max_content_length=limit)  # a Content-Length over the limit: 413
        return cast(IO[bytes], _CappedStream(self.environ["wsgi.input"], limit))
