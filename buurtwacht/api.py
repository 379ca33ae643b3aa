"""The project's Api and Blueprint: decorators that enforce sign-in and roles and document what they do."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

import marshmallow as ma
from flask import request
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint as SmorestBlueprint

from buurtwacht import limits, messages, readcache
from buurtwacht.auth import service as auth_service
from buurtwacht.body import BodyParser
from buurtwacht.operations import operation_id

F = TypeVar("F", bound=Callable[..., Any])

API_PREFIX = "/api/v1"

BEARER_SCHEME = "firebase"
# Method views whose requests change something: each counts against the person's write limit.
WRITE_VIEWS = frozenset({"post", "put", "patch", "delete"})
PRESUMES_VERSIONS = "_buurtwacht_presumes_versions"


# Ids and numbers the database stores as 32-bit integers.
MAX_INT = 2**31 - 1


# Characters no text may hold: NUL and the other C0 controls, DEL and the C1 controls, lone surrogates
# ("\ud800" is valid JSON, but neither UTF-8 nor a database can hold it) and U+FFFE/U+FFFF (XML 1.0
# cannot carry them). A multi-line text may keep tab, line feed and carriage return; a single-line
# one (names, titles, headlines: they end up in e-mail headers, CSV cells and XML) none of those, nor
# the Unicode line and paragraph separators.
_NOT_IN_MULTI_LINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_NOT_IN_SINGLE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
# What cannot be stored at all, in any string of a body, keys included (PostgreSQL refuses NUL).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _refusal(character: str) -> str:
    if "\ud800" <= character <= "\udfff":
        return f"must be valid Unicode: a lone surrogate (U+{ord(character):04X}) cannot be stored"
    if character == "\x00":
        return "must not contain NUL characters"
    if character in "\r\n\u2028\u2029":
        return f"must be a single line: no line breaks (U+{ord(character):04X})"
    return f"must not contain control characters (U+{ord(character):04X})"


class TextCharacters(ma.validate.Validator):
    """Refuses the control characters a text may not hold: every String the API loads has one."""

    def __init__(self, *, multi_line: bool) -> None:
        self.multi_line = multi_line
        self.pattern = _NOT_IN_MULTI_LINE if multi_line else _NOT_IN_SINGLE_LINE

    def _repr_args(self) -> str:
        return f"multi_line={self.multi_line!r}"

    def __call__(self, value: Any) -> Any:
        found = self.pattern.search(value) if isinstance(value, str) else None
        if found:
            raise ma.ValidationError(_refusal(found.group()))
        return value


SINGLE_LINE = TextCharacters(multi_line=False)
MULTI_LINE = TextCharacters(multi_line=True)


class MultiLineString(ma.fields.String):
    """A text that may span lines (a description, a note, a comment): tabs and line breaks are kept."""


def MultiLine(**kwargs: Any) -> MultiLineString:
    """A multi-line text; every other String the API loads is single-line."""
    return MultiLineString(**kwargs)


def check_characters(field: ma.fields.Field[Any]) -> None:
    """Give a loaded String, also one inside a List, Tuple or Dict, its rule on control characters."""
    if isinstance(field, ma.fields.String):
        rule = MULTI_LINE if isinstance(field, MultiLineString) else SINGLE_LINE
        if rule not in field.validators:
            field.validators.append(rule)
    elif isinstance(field, ma.fields.List):
        check_characters(field.inner)
    elif isinstance(field, ma.fields.Tuple):
        for inner in field.tuple_fields:
            check_characters(inner)
    elif isinstance(field, ma.fields.Mapping):
        for key_or_value in (field.key_field, field.value_field):
            if key_or_value is not None:
                check_characters(key_or_value)


def _unstorable_fields(data: Any, path: str = "") -> dict[str, str]:
    """Where the input holds what cannot be stored, by dotted path; a bad field name is shown with U+FFFD."""
    if isinstance(data, str):
        found = _UNSTORABLE.search(data)
        return {path: _refusal(found.group())} if found else {}
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    found_in: dict[str, str] = {}
    for key, value in items:
        name = str(key)
        shown = _UNSTORABLE.sub("\ufffd", name)
        where = f"{path}.{shown}" if path else shown
        if shown != name:
            found_in[where] = "field names " + _refusal(_UNSTORABLE.findall(name)[0])
        found_in.update(_unstorable_fields(value, where))
    return found_in


class Schema(ma.Schema):
    """Base schema: unknown fields are refused, so a typo in a client is a 422, not silently lost.

    Text is refused with control characters: every String the schema loads is single-line unless
    declared with `MultiLine()`, which keeps tabs and line breaks. NUL and lone surrogates, which
    nothing can store, are refused anywhere in the input, field names included.
    """

    class Meta:
        unknown = ma.RAISE
        ordered = True

    def on_bind_field(self, field_name: str, field_obj: ma.fields.Field[Any]) -> None:
        if not field_obj.dump_only:
            check_characters(field_obj)

    @ma.pre_load(pass_collection=True)
    def refuse_unstorable(self, data: Any, **_kwargs: Any) -> Any:
        bad = _unstorable_fields(data)
        if bad:
            raise ma.ValidationError({field or "_schema": [reason] for field, reason in bad.items()})
        return data

    def _serialize(self, obj: Any, *, many: bool = False) -> Any:
        """marshmallow's own serialisation, field by field, through a plan made once per schema.

        marshmallow reaches each value through four layers of calls (Field.serialize, get_value,
        the schema's accessor, utils.get_value), a thousand times for a list of 50. The plan fetches
        a plain attribute or key directly and hands it to the same field's `_serialize`, so the
        answer is identical; a field that gets its value another way goes through marshmallow.
        """
        if type(obj) is Dumped:
            return obj
        if type(obj) is _DumpedOne:
            return _DumpedOne(obj)
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


class Dumped(list[Any]):
    """An answer already in the form the response schema would dump it to (dicts of JSON values).

    A fast read path builds its rows straight from the database and returns them wrapped in this, so
    that the schema, which still documents the answer, passes them through unchanged. It is a list
    so that pagination slices and counts it like any other; a single object is a Dumped of one,
    unwrapped by `one`. tests/test_same_answers.py holds every such path to the bytes the schema
    would have written.

    Its moments may be aware datetimes (in local time) and its ids UUIDs: the answer is encoded by orjson
    without Flask's default for datetimes (json_provider.py), which writes them as the schemas do.
    """

    dumped = True  # json_provider: its datetimes are written as ISO 8601, as the schemas write them

    @classmethod
    def one(cls, answer: dict[str, Any]) -> Any:
        return _DumpedOne(answer)


class _DumpedOne(dict[str, Any]):
    """A single answer already dumped (see Dumped.one)."""

    dumped = True


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

    # Refuses too deep a JSON body before parsing it (400), as every blueprint's arguments are read.
    ARGUMENTS_PARSER = BodyParser()
    # The page and page_size of a list: the same parser, so their schema is made once, not per request.
    PAGINATION_ARGUMENTS_PARSER = BodyParser()

    @staticmethod
    def _make_pagination_metadata(page: int, page_size: int, item_count: int) -> dict[str, int]:
        """The X-Pagination header's numbers, as flask-smorest's PaginationMetadataSchema would dump them
        (in its field order), without making that schema on every request."""
        if item_count == 0:
            return {"total": 0, "total_pages": 0}
        last = (item_count - 1) // page_size + 1
        made = {"total": item_count, "total_pages": last, "first_page": 1, "last_page": last}
        if page <= last:
            made["page"] = page
            if page > 1:
                made["previous_page"] = page - 1
            if page < last:
                made["next_page"] = page + 1
        return made

    def signed_in(self, func: F) -> F:
        """Require a valid Firebase ID token; the person is made on first sign-in."""

        writes = func.__name__ in WRITE_VIEWS
        # A write presumes only when its view says it may (`presumes_versions`): its statement must then refuse
        # to write under versions that have changed (db.fetch_all's guard), since it may commit by itself.
        presuming_write = writes and getattr(func, PRESUMES_VERSIONS, False)

        def sign_in() -> None:
            person = auth_service.authenticate()
            if writes:
                limits.check("writes", str(person.id))

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not presuming_write and (writes or request.method not in ("GET", "HEAD")):
                sign_in()
                return func(*args, **kwargs)
            # A read checks the sign-in and access it keeps against the versions its worker read last, and its
            # first statement reads them (readcache.presume); confirmed before it answers, in error too. When a
            # table it used from memory has changed since, it is answered again, with the versions read first.
            readcache.presume()
            try:
                sign_in()
                answer = func(*args, **kwargs)
            except Exception:
                if readcache.confirmed():
                    raise
            else:
                if readcache.confirmed():
                    return answer
            readcache.start_over()  # a write refused under stale versions wrote nothing, and was counted once
            auth_service.authenticate()
            return func(*args, **kwargs)

        if not writes:
            setattr(wrapper, readcache.CONFIRMS, True)
        wrapper = self.alt_response(401, response="UNAUTHORIZED")(wrapper)
        if writes:
            wrapper = self.alt_response(429, response="TOO_MANY_REQUESTS")(wrapper)
        return self.doc(security=[{BEARER_SCHEME: []}])(wrapper)  # type: ignore[no-any-return]

    def rate_limited(self, kind: str, replay: Callable[[], bool] | None = None) -> Callable[[F], F]:
        """Count the request against the signed-in person's `kind` limit (alerts, tips, photos): 429 beyond it.

        `replay` tells a retry that the service answers from what it stored (limits.replay_of):
        it makes nothing new, so it is neither refused nor counted. What counts is limits.spending's.
        """

        def decorate(func: F) -> F:
            @functools.wraps(func)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                who = str(auth_service.authenticate().id)
                if replay is not None and replay():
                    return func(*args, **kwargs)
                with limits.spending(kind, who):
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

    @staticmethod
    def presumes_versions(func: F) -> F:
        """Let this write check its kept sign-in and access against the versions its worker read last, as reads do
        (signed_in, readcache.presume): one round trip less. Only for a view whose first statement goes through
        db.fetch_all, which then refuses to write when those versions have changed since; placed below signed_in
        (group_scoped)."""
        setattr(func, PRESUMES_VERSIONS, True)
        return func


class Api(SmorestApi):
    """The project Api: declares the bearer scheme once; every error says what went wrong."""

    def handle_http_exception(self, error: Any) -> Any:
        # werkzeug's own errors (404 for an unknown URL, 405, 413) and webargs's 422 carry a
        # description but no message: give them one, so every error has the same
        # {code, status, message, errors} shape.
        data = getattr(error, "data", None)
        if not data:
            if error.description:
                error.data = {"message": error.description}
        elif isinstance(data, dict) and "message" not in data and error.description:
            error.data = {**data, "message": error.description}
        # Every error has `errors`, naming the fields at fault where there are any: {} where none is.
        data = getattr(error, "data", None)
        if isinstance(data, dict) and "errors" not in data and "messages" not in data:  # webargs says "messages"
            error.data = data = {**data, "errors": {}}
        # Every error passes here: its words, written in English (or as a catalogue Wording), are given in the
        # reader's language, the message and every text in `errors` (marshmallow's field errors too).
        if isinstance(data, dict):
            locale = messages.request_locale()
            error.data = {
                key: messages.localized(value, locale) if key in ("message", "errors", "messages") else value
                for key, value in data.items()
            }
        return super().handle_http_exception(error)

    def register_blueprint(self, blp: Any, *, parameters: Any = None, **options: Any) -> None:
        """Register the blueprint, naming its operations from buurtwacht/operations.py, and settle
        what the document says each component holds (see `settle_directions`)."""
        name = options.get("name", blp.name)
        # flask-smorest keeps each view's documentation in Blueprint._docs until it is registered.
        for endpoint, documented in blp._docs.items():
            for method, operation in documented.items():
                if method == "parameters":
                    continue
                manual = operation.setdefault("manual_doc", {})
                found = operation_id(f"{name}.{endpoint}", method)
                if found is not None:
                    manual["operationId"] = found
                # No sign-in decorator documented a scheme: the operation is public, and says so.
                manual.setdefault("security", [])
        super().register_blueprint(blp, parameters=parameters, **options)
        # Components both sent and answered that cannot be told apart (tests/test_openapi.py lists them).
        self.two_faced_schemas = settle_directions(self.spec, self.ma_plugin.converter)

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


# What the document says a component holds depends on which way it travels ---------------------------
#
# flask-smorest writes one JSON schema per marshmallow schema, with `required` naming only fields
# declared `required=True`: right for a request, but an answer's fields are then all optional, and
# generated clients (openapi-typescript, @hey-api/openapi-ts, Kotlin's) make every field `T | undefined`.
# An answer always holds every field the dump plan writes (Schema._serialize skips only a value the
# object does not have), so a component that only answers lists every property as required, except
# fields declared `metadata={"optional": True}` (an answer that leaves them out on purpose).
# A request component keeps marshmallow's `required`; its `default`s move into the description, as
# openapi-typescript makes a property with a `default` required in every component schema.
# A component both sent and answered cannot say both: the schema is split (tests/test_openapi.py).

OPTIONAL = "optional"


def _refs_in(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[-1]} if isinstance(node.get("$ref"), str) else set()
        for value in node.values():
            found |= _refs_in(value)
        return found
    if isinstance(node, list):
        return set().union(*(_refs_in(item) for item in node))
    return set()


def _with_nested(names: set[str], schemas: dict[str, Any]) -> set[str]:
    found, todo = set(names), list(names)
    while todo:
        for name in _refs_in(schemas.get(todo.pop(), {})) - found:
            found.add(name)
            todo.append(name)
    return found


def directions(document: dict[str, Any]) -> tuple[set[str], set[str]]:
    """The component schemas that requests carry and those that answers carry, nested ones included."""
    requests: set[str] = set()
    answers: set[str] = set()
    for item in document.get("paths", {}).values():
        for method, operation in item.items():
            if method == "parameters" or not isinstance(operation, dict):
                continue
            requests |= _refs_in(operation.get("requestBody", {})) | _refs_in(operation.get("parameters", []))
            for status, response in operation.get("responses", {}).items():
                if str(status).startswith("2"):
                    answers |= _refs_in(response)
    schemas = document.get("components", {}).get("schemas", {})
    return _with_nested(requests, schemas), _with_nested(answers, schemas)


def settle_directions(spec: Any, converter: Any) -> list[str]:
    """Give each component schema the `required` list and defaults that are true for its direction.

    Returns the components that travel both ways and cannot say the same for both: fields a request
    may leave out that an answer always holds, or a `default`. Their schema needs splitting.
    """
    requests, answers = directions(spec.to_dict())
    schemas = spec.components.schemas
    classes = {name: key[0] for key, name in converter.refs.items()}
    two_faced = []
    for name in answers:
        component, schema_class = schemas.get(name), classes.get(name)
        if component is None or schema_class is None or "properties" not in component:
            continue
        always = [
            key
            for key, field in _fields_by_key(schema_class(), dump=True).items()
            if key in component["properties"] and not field.metadata.get(OPTIONAL)
        ]
        if name in requests:
            defaults = any("default" in prop for prop in component["properties"].values())
            if defaults or set(always) != set(component.get("required", [])):
                two_faced.append(name)
        elif always:
            component["required"] = always
        else:
            component.pop("required", None)
    for name in requests - answers:
        for prop in schemas.get(name, {}).get("properties", {}).values():
            if "default" in prop:
                said = json.dumps(prop.pop("default"), ensure_ascii=False)
                told = prop.get("description", "").rstrip(". ")
                prop["description"] = f"{told}. Left out: `{said}`." if told else f"Left out: `{said}`."
    return sorted(two_faced)


def _fields_by_key(schema: ma.Schema, *, dump: bool) -> dict[str, ma.fields.Field[Any]]:
    fields = schema.dump_fields if dump else schema.load_fields
    return {field.data_key or attr: field for attr, field in fields.items()}
