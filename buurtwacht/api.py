"""The project's Api and Blueprint: decorators that enforce sign-in and roles and document what they do."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import marshmallow as ma
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint as SmorestBlueprint

from buurtwacht import limits
from buurtwacht.auth import service as auth_service

F = TypeVar("F", bound=Callable[..., Any])

API_PREFIX = "/api/v1"

BEARER_SCHEME = "firebase"
# Method views whose requests change something: each counts against the person's write limit.
WRITE_VIEWS = frozenset({"post", "put", "patch", "delete"})


# Ids and numbers the database stores as 32-bit integers.
MAX_INT = 2**31 - 1


def _nul_fields(data: Any, path: str = "") -> list[str]:
    if isinstance(data, str):
        return [path] if "\x00" in data else []
    if isinstance(data, dict):
        return [f for key, value in data.items() for f in _nul_fields(value, f"{path}.{key}" if path else str(key))]
    if isinstance(data, list):
        return [f for i, value in enumerate(data) for f in _nul_fields(value, f"{path}.{i}")]
    return []


class Schema(ma.Schema):
    """Base schema: unknown fields are refused, so a typo in a client is a 422, not silently lost;
    text with NUL characters is refused too (PostgreSQL cannot store them)."""

    class Meta:
        unknown = ma.RAISE
        ordered = True

    @ma.pre_load(pass_collection=True)
    def refuse_nul(self, data: Any, **_kwargs: Any) -> Any:
        bad = _nul_fields(data)
        if bad:
            raise ma.ValidationError({field or "_schema": ["must not contain NUL characters"] for field in bad})
        return data

    def _serialize(self, obj: Any, *, many: bool = False) -> Any:
        """marshmallow's own serialisation, field by field, through a plan made once per schema.

        marshmallow reaches each value through four layers of calls (Field.serialize, get_value,
        the schema's accessor, utils.get_value), a thousand times for a list of 50. The plan fetches
        a plain attribute or key directly and hands it to the same field's `_serialize`, so the
        answer is identical; a field that gets its value another way goes through marshmallow.
        """
        if many and obj is not None:
            return [self._serialize(item) for item in obj]
        plan = self.__dict__.get("_dump_plan")
        if plan is None:
            plan = self._dump_plan = _dump_plan(self)
        answer = {}
        for key, attr_name, name, field, direct in plan:
            if direct:
                value = _value_of(obj, name)
                if value is ma.missing:
                    default = field.dump_default
                    value = default() if callable(default) else default
                    if value is ma.missing:
                        continue
                value = field._serialize(value, attr_name, obj)
            else:
                value = field.serialize(attr_name, obj, accessor=self.get_attribute)
                if value is ma.missing:
                    continue
            answer[key] = value
        return answer


_UNSET = object()


def _value_of(obj: Any, key: str) -> Any:
    """marshmallow.utils.get_value for a key without dots, with a fast way for dicts and objects."""
    if type(obj) is dict:
        value = obj.get(key, _UNSET)
        return getattr(obj, key, ma.missing) if value is _UNSET else value
    if not hasattr(obj, "__getitem__"):
        return getattr(obj, key, ma.missing)
    try:
        return obj[key]
    except (KeyError, IndexError, TypeError, AttributeError):
        return getattr(obj, key, ma.missing)


def _dump_plan(schema: ma.Schema) -> list[tuple[str, str, str, ma.fields.Field[Any], bool]]:
    """Per field: its key in the answer, its name in the schema, the attribute it reads, the field,
    and whether the value can be fetched directly."""
    plan = []
    for attr_name, field in schema.dump_fields.items():
        name = attr_name if field.attribute is None else field.attribute
        direct = (
            field._CHECK_ATTRIBUTE
            and "." not in name
            and type(field).serialize is ma.fields.Field.serialize
            and type(field).get_value is ma.fields.Field.get_value
            and type(schema).get_attribute is ma.Schema.get_attribute
        )
        plan.append((field.data_key if field.data_key is not None else attr_name, attr_name, name, field, direct))
    return plan


def Id(**kwargs: Any) -> ma.fields.Integer:
    """An integer id: whole, positive, and within the database's integer range."""
    return ma.fields.Integer(validate=ma.validate.Range(1, MAX_INT), **kwargs)


def Email(**kwargs: Any) -> ma.fields.Email:
    """An e-mail address that fits the database (RFC 5321: at most 254 characters)."""
    return ma.fields.Email(validate=ma.validate.Length(max=254), **kwargs)


class Blueprint(SmorestBlueprint):
    """A flask-smorest Blueprint whose access decorators also write their 401/403/404 into OpenAPI."""

    def signed_in(self, func: F) -> F:
        """Require a valid Firebase ID token; the person is made on first sign-in."""

        writes = func.__name__ in WRITE_VIEWS

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            person = auth_service.authenticate()
            if writes:
                limits.check("writes", str(person.id))
            return func(*args, **kwargs)

        wrapper = self.alt_response(401, response="UNAUTHORIZED")(wrapper)
        if writes:
            wrapper = self.alt_response(429, response="TOO_MANY_REQUESTS")(wrapper)
        return self.doc(security=[{BEARER_SCHEME: []}])(wrapper)  # type: ignore[no-any-return]

    def rate_limited(self, kind: str) -> Callable[[F], F]:
        """Count the request against the signed-in person's `kind` limit (alerts, tips): 429 beyond it."""

        def decorate(func: F) -> F:
            @functools.wraps(func)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                limits.check(kind, str(auth_service.authenticate().id))
                return func(*args, **kwargs)

            return self.alt_response(429, response="TOO_MANY_REQUESTS")(wrapper)  # type: ignore[no-any-return]

        return decorate

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
    """The project Api: declares the bearer scheme once; every error says what went wrong."""

    def handle_http_exception(self, error: Any) -> Any:
        # werkzeug's own errors (404 for an unknown URL, 405, 413) carry a description but no
        # message: give them one, so every error has the same {code, status, message} shape.
        if not getattr(error, "data", None) and error.description:
            error.data = {"message": error.description}
        return super().handle_http_exception(error)

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
