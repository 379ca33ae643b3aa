"""Every message the API can answer with, read from the code: the ids the error section of the catalogue translates.

A message is written in English where it is raised; an f-string becomes an id with `{}` holes
("this patrol is {}"). The walk finds the messages passed to the domain errors, marshmallow's
ValidationError, error_response and body.py's helpers, the values of `what` (a 404 says
"<what> not found"), the reasons helpers return (api.py's `_refusal`, the token verifier's `_reason`),
and the texts of the errors whose words become a refusal (BadRule, BadImage, TokenRejected,
KeysUnavailable). Marshmallow's, webargs's and werkzeug's own texts are read from the live objects.
"""

from __future__ import annotations

import ast
import itertools
import string
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import marshmallow as ma
from werkzeug.exceptions import default_exceptions

PACKAGE = Path(__file__).resolve().parent.parent / "buurtwacht"

# The callable's name -> where its message is: (position, keyword).
MESSAGE_AT: dict[str, tuple[int, str]] = {
    "DomainError": (0, "message"),
    "Conflict": (0, "message"),
    "Forbidden": (0, "message"),
    "Unauthorized": (0, "message"),
    "Unavailable": (0, "message"),
    "TooMany": (0, "message"),
    "Invalid": (1, "reason"),
    "ValidationError": (0, "message"),
    "error_response": (1, "message"),
    "_bad_request": (0, "message"),
    "_in_error_shape": (1, "message"),
    # Exceptions whose text a service hands on as the refusal (str(exc)).
    "BadRule": (0, "message"),
    "BadImage": (0, "message"),
    "TokenRejected": (0, "message"),
    "KeysUnavailable": (0, "message"),
}
# Helpers whose returned text is a refusal: every string they return is an id.
RETURNS_A_MESSAGE = frozenset({"_refusal", "_reason"})
# Messages that are not a literal, and why each is covered anyway ("module.py:function": reason). The text of
# an exception caught as one of MESSAGE_AT's (`except BadImage as exc: ... str(exc)`) needs no entry.
NOT_LITERAL: dict[str, str] = {
    "api.py:refuse_unstorable": "the reasons of _unstorable_fields, which come from _refusal",
    "body.py:_bad_request": "its callers' messages, collected where they call it",
    "limits.py:_refuse_if_used_up": "too_many(): a Wording (limit.too_many), words from the catalogue",
    "errors.py:_handle_domain_error": "the message of a DomainError, collected where it is raised",
    "access.py:group_for": "`what`, collected from every what= given and the parameter's default",
    "access.py:_allowed": "`what`, as group_for",
}


@dataclass(frozen=True)
class Found:
    where: str  # "module.py:line"
    message_id: str  # an English id, or "Wording:<catalogue key>" for a message worded from the catalogue


WORDING = "Wording:"


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


class _Module:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.relative_to(PACKAGE).as_posix()
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.constants: dict[str, ast.expr] = {}
        self.functions: dict[str, ast.FunctionDef] = {}
        for node in self.tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                self.constants[node.targets[0].id] = node.value
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
                self.constants[node.target.id] = node.value
            elif isinstance(node, ast.FunctionDef):
                self.functions[node.name] = node
        # str(exc) where exc was caught as an exception whose texts are collected where it is raised.
        self.handed_on: set[int] = set()
        for handler in ast.walk(self.tree):
            if isinstance(handler, ast.ExceptHandler) and handler.name and _name(handler.type) in MESSAGE_AT:  # type: ignore[arg-type]
                for node in ast.walk(handler):
                    if (
                        isinstance(node, ast.Call)
                        and _name(node.func) == "str"
                        and len(node.args) == 1
                        and isinstance(node.args[0], ast.Name)
                        and node.args[0].id == handler.name
                    ):
                        self.handed_on.add(id(node))

    def ids(self, node: ast.expr) -> list[str] | None:
        """The message ids an expression can be, or None when it is not made of literals."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [_escape(node.value)]
        if isinstance(node, ast.JoinedStr):
            parts: list[str] = []
            for value in node.values:
                if isinstance(value, ast.Constant):
                    parts.append(_escape(str(value.value)))
                else:
                    parts.append("{}")
            return ["".join(parts)]
        if isinstance(node, ast.Name) and node.id in self.constants:
            return self.ids(self.constants[node.id])
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.ids(node.left), self.ids(node.right)
            if left is None or right is None:
                return None
            return [a + b for a, b in itertools.product(left, right)]
        if isinstance(node, ast.Call) and _name(node.func) in RETURNS_A_MESSAGE and _name(node.func) in self.functions:
            return self.returned(self.functions[_name(node.func)])  # type: ignore[index]
        if isinstance(node, ast.Call) and id(node) in self.handed_on:
            return []
        if isinstance(node, ast.Call) and _name(node.func) == "Wording":
            key = node.args[0] if node.args else None
            assert isinstance(key, ast.Constant) and isinstance(key.value, str), f"{self.name}:{node.lineno}"
            return [WORDING + key.value]
        if isinstance(node, ast.IfExp):
            body, orelse = self.ids(node.body), self.ids(node.orelse)
            return None if body is None or orelse is None else body + orelse
        return None

    def returned(self, function: ast.FunctionDef) -> list[str]:
        found: list[str] = []
        for node in ast.walk(function):
            if isinstance(node, ast.Return) and node.value is not None:
                ids = self.ids(node.value)
                assert ids is not None, (
                    f"{self.name}:{node.lineno}: {function.name} returns a text not made of literals"
                )
                found += ids
        return found

    def enclosing(self, line: int) -> str:
        best = "<module>"
        for node in ast.walk(self.tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.lineno <= line <= (
                node.end_lineno or 0
            ):
                best = node.name
        return best


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    for given in call.keywords:
        if given.arg == keyword:
            return given.value
    return call.args[position] if len(call.args) > position else None


def _leaves(node: ast.expr) -> Iterator[ast.expr]:
    """A ValidationError's message may be a dict or list of messages: its leaves."""
    if isinstance(node, ast.Dict):
        for value in node.values:
            yield from _leaves(value)
    elif isinstance(node, ast.List | ast.Tuple):
        for item in node.elts:
            yield from _leaves(item)
    else:
        yield node


def walk() -> tuple[list[Found], list[str]]:
    """(every message found in the code, where a message is not made of literals and not explained)."""
    found: list[Found] = []
    unexplained: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _Module(path)
        for node in ast.walk(module.tree):
            where = f"{module.name}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.FunctionDef) and node.name in RETURNS_A_MESSAGE:
                found += [Found(where, message) for message in module.returned(node)]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                # A parameter named `what` with a default: that default is a 404's object.
                arguments = node.args.args + node.args.kwonlyargs
                defaults = [None] * (len(node.args.args) - len(node.args.defaults)) + list(node.args.defaults)
                defaults += list(node.args.kw_defaults)
                for argument, default in zip(arguments, defaults, strict=True):
                    if argument.arg == "what" and isinstance(default, ast.Constant) and isinstance(default.value, str):
                        found.append(Found(where, _escape(default.value) + " not found"))
            if isinstance(node, ast.BinOp) and any(
                isinstance(side, ast.Call) and _name(side.func) in RETURNS_A_MESSAGE for side in (node.left, node.right)
            ):  # "field names " + _refusal(...)
                found += [Found(where, message) for message in module.ids(node) or []]
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            for given in node.keywords:
                if given.arg == "what":
                    ids = module.ids(given.value)
                    assert ids is not None, f"{where}: what= is not a literal"
                    found += [Found(where, what + " not found") for what in ids]
            if name == "NotFound":
                what = _argument(node, 0, "what")
                ids = module.ids(what) if what is not None else None
                if ids is None:
                    if f"{module.name}:{module.enclosing(node.lineno)}" not in NOT_LITERAL:
                        unexplained.append(f"{where}: {ast.unparse(node)}")
                    continue
                found += [Found(where, what_id + " not found") for what_id in ids]
                continue
            if name not in MESSAGE_AT:
                continue
            message = _argument(node, *MESSAGE_AT[name])
            if message is None:
                continue
            for leaf in _leaves(message):
                ids = module.ids(leaf)
                if ids is None:
                    if f"{module.name}:{module.enclosing(node.lineno)}" not in NOT_LITERAL:
                        unexplained.append(f"{where}: {ast.unparse(node)}")
                    continue
                found += [Found(where, message_id) for message_id in ids]
    return found, unexplained


def _format_id(template: str) -> str:
    """A str.format template ("Must be one of: {choices}.") as an id with `{}` holes."""
    parts = []
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        parts.append(_escape(literal))
        if field is not None:
            parts.append("{}")
    return "".join(parts)


def _field_message(field: ma.fields.Field[Any], template: str) -> str:
    """A field's text as it is answered: date and time fields fill in their kind ("Not a valid datetime.")."""
    kind = getattr(field, "OBJ_TYPE", None)
    if kind is not None and "{obj_type}" in template:
        template = template.replace("{obj_type}", kind)
    return _format_id(template)


def _fields(field: ma.fields.Field[Any]) -> Iterator[ma.fields.Field[Any]]:
    yield field
    if isinstance(field, ma.fields.List):
        yield from _fields(field.inner)
    elif isinstance(field, ma.fields.Tuple):
        for inner in field.tuple_fields:
            yield from _fields(inner)
    elif isinstance(field, ma.fields.Mapping):
        for inner in (field.key_field, field.value_field):
            if inner is not None:
                yield from _fields(inner)


# A validator's texts (Range fills in its comparisons when made: "Must be greater than or equal to {min}.").
VALIDATOR_MESSAGES = ("error", "message_min", "message_max", "message_all", "message_equal")
# Field texts only a dump can give (a value the API itself holds): never an answer to a request.
DUMP_ONLY_KEYS = frozenset({"format"})


def library_messages(app: Any) -> set[str]:
    """The texts marshmallow, webargs and werkzeug answer with, for the schemas and routes this API has."""
    found: set[str] = set()
    schemas: list[ma.Schema] = []
    seen: set[type] = set()

    def visit(schema: ma.Schema) -> None:
        schemas.append(schema)
        for field in schema.fields.values():
            for inner in _fields(field):
                if isinstance(inner, ma.fields.Nested) and type(inner.schema) not in seen:
                    seen.add(type(inner.schema))
                    visit(inner.schema)

    for schema_class in _loaded_schemas():
        seen.add(schema_class)
        visit(schema_class())
    for schema in schemas:
        found |= {_format_id(str(text)) for text in schema.error_messages.values()}
        found |= {_format_id(str(text)) for text in ma.Schema._default_error_messages.values()}
        for field in schema.load_fields.values():
            for inner in _fields(field):
                for key, text in inner.error_messages.items():
                    if key not in DUMP_ONLY_KEYS:
                        found.add(_field_message(inner, str(text)))
                for validator in inner.validators:
                    for attribute in VALIDATOR_MESSAGES:
                        text = getattr(validator, attribute, None)
                        if isinstance(text, str):
                            found.add(_format_id(text))
    # werkzeug's descriptions, for the errors that carry no message of their own (an unknown URL, 405, ...).
    # (400 malformed, 404 unknown URL, 405, 413 too large, 415, 422 webargs's, 500 a bug.)
    for code in (400, 404, 405, 413, 415, 422, 500):
        found.add(_escape(default_exceptions[code].description or ""))
    return found


def _loaded_schemas() -> list[type[ma.Schema]]:
    """Every schema class of this API and of flask-smorest (its pagination arguments), once imported."""
    classes: list[type[ma.Schema]] = []
    todo = list(ma.Schema.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        module = cls.__module__
        if module.startswith(("buurtwacht.", "flask_smorest.")) and not cls.__name__.startswith("_"):
            classes.append(cls)
    return classes
