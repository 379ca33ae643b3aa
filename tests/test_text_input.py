"""Text that would break a mail header, a CSV cell or an XML document is refused at the door, naming the field.

Anna, coordinator of Bargeres, renames her group; her app pastes a line break into the name. A
single-line text (a name, a title, a headline, a street) holds no control characters at all; a
multi-line one (a description, a note, a comment, a tip, an alert's text) keeps its line breaks and
tabs but nothing else. Every String field the API loads is one or the other (the last test).
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
import pytest
from flask.testing import FlaskClient

from buurtwacht.api import MULTI_LINE, SINGLE_LINE, MultiLineString
from buurtwacht.routes import BLUEPRINTS
from tests.factories import Factory


def _group(client: FlaskClient, make: Factory, anna: Any, group_id: Any) -> dict[str, Any]:
    response = client.get(f"/api/v1/groups/{group_id}", headers=make.headers(anna))
    assert response.status_code == 200
    return response.get_json()  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "name", ["Bargeres\r\nBcc: iedereen@example.org", "Bargeres\n", "Barg\x1beres", "Bar\x85geres"]
)
def test_a_group_name_with_a_line_break_or_control_character_is_refused_and_nothing_changes(
    client: FlaskClient, make: Factory, name: str
) -> None:
    anna = make.person("Anna de Vries")
    group = make.group("bargeres", name="Buurtpreventie Bargeres", coordinator=anna)
    before = _group(client, make, anna, group.id)

    response = client.patch(
        f"/api/v1/groups/{group.id}", json={"name": name, "description": "Nieuw"}, headers=make.headers(anna)
    )

    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    assert body["code"] == 422 and body["status"] and body["message"]
    assert list(body["errors"]["json"]) == ["name"], body
    assert _group(client, make, anna, group.id) == before


def test_a_description_keeps_its_line_breaks_and_tabs_but_no_other_control_characters(
    client: FlaskClient, make: Factory
) -> None:
    anna = make.person("Anna de Vries")
    group = make.group("bargeres", coordinator=anna)
    url, headers = f"/api/v1/groups/{group.id}", make.headers(anna)

    kept = client.patch(url, json={"description": "Wij lopen op dinsdag.\r\n\tZie ook de app."}, headers=headers)
    refused = client.patch(url, json={"description": "Wij lopen\x07 op dinsdag."}, headers=headers)

    assert kept.status_code == 200, kept.get_json()
    assert _group(client, make, anna, group.id)["description"] == "Wij lopen op dinsdag.\r\n\tZie ook de app."
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["json"] == {"description": ["mag geen stuurtekens bevatten (U+0007)"]}


def test_a_headline_with_a_line_break_is_refused_while_the_alert_s_text_may_have_several_lines(
    client: FlaskClient, make: Factory
) -> None:
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "bargeres")
    alert = {
        "kind": "suspect",
        "headline": "Fietsendief\nbij het station",
        "description": "Man met donkere jas.\nKnipt sloten door.",
        "instruction": "Bel 112.\nNiet zelf ingrijpen.",
        "area_ids": [make.area_id("bargeres")],
    }

    response = client.post("/api/v1/alerts", json=alert, headers=make.headers(sanne))

    assert response.status_code == 422
    assert list(response.get_json()["errors"]["json"]) == ["headline"]


def test_a_lone_surrogate_in_any_text_is_a_422_naming_the_field_not_a_500(client: FlaskClient, make: Factory) -> None:
    bram = make.person("Bram Jansen")

    # "\ud800" is valid JSON, but no UTF-8 text: json= cannot send it, so the body is written out.
    response = client.patch(
        "/api/v1/me",
        data=b'{"display_name": "Bram \\ud800"}',
        content_type="application/json",
        headers=make.headers(bram),
    )
    in_a_name = client.patch(
        "/api/v1/me", data=b'{"\\udfff": "Bram"}', content_type="application/json", headers=make.headers(bram)
    )

    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.get_json()["errors"]["json"] == {
        "display_name": ["moet geldige Unicode zijn: een losse surrogaat (U+D800) kan niet worden opgeslagen"]
    }
    assert in_a_name.status_code == 422, in_a_name.get_data(as_text=True)
    assert client.get("/api/v1/me", headers=make.headers(bram)).get_json()["person"]["display_name"] == "Bram Jansen"


def test_a_query_text_with_a_control_character_is_refused(client: FlaskClient, make: Factory) -> None:
    anna = make.person("Anna de Vries")
    group = make.group("bargeres", coordinator=anna)

    response = client.get(f"/api/v1/groups/{group.id}/notes?category=burglary%0D%0A", headers=make.headers(anna))

    assert response.status_code == 422
    assert "category" in response.get_json()["errors"]["query"]


# Every String the API loads has its rule ---------------------------------------------------------


def _argument_schemas() -> list[tuple[str, ma.Schema]]:
    """Each schema a route loads its arguments with (body, query, path), from the blueprints' docs."""
    found = []
    for blueprint in BLUEPRINTS:
        for endpoint, methods in blueprint._docs.items():
            for method, doc in (methods or {}).items():
                for parameter in (doc or {}).get("arguments", {}).get("parameters", []):
                    schema = parameter["schema"]
                    schema = schema() if isinstance(schema, type) else schema
                    found.append((f"{method.upper()} {blueprint.name}.{endpoint} ({parameter['in']})", schema))
    return found


def _loaded_strings(field: ma.fields.Field[Any], path: str) -> list[tuple[str, ma.fields.String]]:
    if isinstance(field, ma.fields.Nested):
        # A nested schema that is not a buurtwacht.api.Schema (geo.PointSchema: two floats) is walked
        # too: a String in it would have no rule and fail below.
        inners = field.schema.load_fields.items()
        return [s for name, inner in inners for s in _loaded_strings(inner, f"{path}.{name}")]
    if isinstance(field, ma.fields.String):
        return [(path, field)]
    if isinstance(field, ma.fields.List):
        return _loaded_strings(field.inner, f"{path}[]")
    if isinstance(field, ma.fields.Tuple):
        return [s for i, inner in enumerate(field.tuple_fields) for s in _loaded_strings(inner, f"{path}[{i}]")]
    if isinstance(field, ma.fields.Mapping):
        inners = [("key", field.key_field), ("value", field.value_field)]
        return [s for what, inner in inners if inner is not None for s in _loaded_strings(inner, f"{path}{{{what}}}")]
    return []


ARGUMENTS = _argument_schemas()


def test_the_route_table_loads_arguments_with_strings() -> None:
    assert len(ARGUMENTS) > 30
    assert sum(len(_loaded_strings(ma.fields.Nested(schema), label)) for label, schema in ARGUMENTS) > 40


@pytest.mark.parametrize(("label", "schema"), ARGUMENTS, ids=[label for label, _ in ARGUMENTS])
def test_every_string_a_route_loads_is_single_line_or_declared_multi_line(label: str, schema: ma.Schema) -> None:
    for path, field in _loaded_strings(ma.fields.Nested(schema), label):
        rule = MULTI_LINE if isinstance(field, MultiLineString) else SINGLE_LINE
        assert rule in field.validators, f"{path} has no rule on control characters"
        # What a client sees: the field itself refuses a bell, and a line break unless multi-line.
        with pytest.raises(ma.ValidationError) as bell:
            field.deserialize("ab\x07cd")
        assert "must not contain control characters (U+0007)" in bell.value.messages, path
        try:
            field.deserialize("ab\ncd")
        except ma.ValidationError as error:
            broke = any("line" in str(message) for message in error.messages)
        else:
            broke = False
        assert broke is (rule is SINGLE_LINE), path
