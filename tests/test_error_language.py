"""A refusal reads in the reader's language: Accept-Language when it names nl or en, else the signed-in
person's language, else Dutch. Every message the code can raise has its Dutch text, and none is left unused."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from flask import Flask

from buurtwacht import create_app
from buurtwacht.messages import CATALOGUE, ERRORS, Wording, localized, translate
from tests.error_wording import NOT_LITERAL, PACKAGE, WORDING, library_messages, walk

EN = {"Accept-Language": "en"}


# Every message has its Dutch text --------------------------------------------------------------------------


def test_every_message_the_code_raises_has_a_dutch_text():
    found, unexplained = walk()
    assert not unexplained, "messages that are not made of literals (say in NOT_LITERAL why they are covered):\n" + (
        "\n".join(unexplained)
    )
    missing = sorted(
        {
            f"{f.where}: {f.message_id!r}"
            for f in found
            if f.message_id not in ERRORS and not f.message_id.startswith(WORDING)
        }
    )
    assert not missing, "no Dutch text in buurtwacht/messages.py ERRORS for:\n" + "\n".join(missing)


def test_every_message_of_marshmallow_webargs_and_werkzeug_the_api_answers_with_has_a_dutch_text(app):
    missing = sorted(library_messages(app) - set(ERRORS))
    assert not missing, "no Dutch text in buurtwacht/messages.py ERRORS for:\n" + "\n".join(map(repr, missing))


def test_no_dutch_text_is_left_unused(app):
    found, _ = walk()
    used = {f.message_id for f in found} | library_messages(app)
    assert sorted(set(ERRORS) - used) == []


def test_the_explained_exceptions_still_exist():
    """NOT_LITERAL names functions by module and name: one that moved or went would hide nothing, but say so."""
    for place in NOT_LITERAL:
        module, function = place.split(":")
        assert f"def {function}(" in (PACKAGE / module).read_text(encoding="utf-8"), place


def test_holes_take_the_same_number_of_values_in_dutch():
    for message_id, dutch in ERRORS.items():
        holes = message_id.count("{}")
        if holes == 0:
            assert "{" not in dutch, message_id
            continue
        filled = dutch.format(*(f"\x00{n}\x00" for n in range(holes)))
        assert sorted(filled.split("\x00")[1::2]) == [str(n) for n in range(holes)], message_id


def test_the_wordings_exist_in_both_languages():
    found, _ = walk()
    keys = {f.message_id.removeprefix(WORDING) for f in found if f.message_id.startswith(WORDING)}
    assert keys >= {"patrol.signup_not_open_yet", "patrol.not_begun", "note.held"}
    for key in keys | {"limit.too_many"}:
        assert set(CATALOGUE[key]) == {"nl", "en"}, key
    with pytest.raises(KeyError):
        Wording("no.such.message")


# Rendering ---------------------------------------------------------------------------------------------------


def test_a_message_with_holes_keeps_its_values_and_matches_the_longest_id_first():
    assert translate("this patrol is cancelled", "nl") == "deze ronde is cancelled"
    assert translate("this patrol is cancelled; tell your coordinator", "nl") == (
        "deze ronde is cancelled; laat het je coördinator weten"
    )
    assert translate("Must be one of: nl, en.", "nl") == "Moet een van deze zijn: nl, en."
    assert translate("this patrol is cancelled", "en") == "this patrol is cancelled"
    assert translate("words nobody wrote down", "nl") == "words nobody wrote down"


def test_errors_are_rendered_leaf_by_leaf():
    errors = {"json": {"name": ["Not a valid string."], "tags": {"0": ["Unknown field."]}}}
    assert localized(errors, "nl") == {"json": {"name": ["Geen geldige tekst."], "tags": {"0": ["Onbekend veld."]}}}
    assert localized(errors, "en") == errors


# Over HTTP: a Dutch person, an English person, and the header ---------------------------------------------------


@pytest.fixture
def readers(make):
    return {"bram": make.person("Bram Jansen"), "emma": make.person("Emma Smith", locale="en")}


def _get(client, url, headers):
    response = client.get(url, headers=headers)
    return response.status_code, response.get_json()


def test_a_domain_error_in_each_readers_language(client, make, readers):
    url = f"/api/v1/patrols/{uuid.uuid4()}"
    bram, emma = make.headers(readers["bram"]), make.headers(readers["emma"])
    assert _get(client, url, bram) == (
        404,
        {"code": 404, "status": "Not Found", "message": "ronde niet gevonden", "errors": {}},
    )
    assert _get(client, url, {**bram, **EN})[1]["message"] == "patrol not found"
    assert _get(client, url, emma)[1]["message"] == "patrol not found"
    assert _get(client, url, {**emma, "Accept-Language": "nl-NL"})[1]["message"] == "ronde niet gevonden"
    # q-order counts; a language neither nl nor en is passed over.
    assert (
        _get(client, url, {**emma, "Accept-Language": "de-DE, nl;q=0.5, en;q=0.8"})[1]["message"] == "patrol not found"
    )
    assert (
        _get(client, url, {**emma, "Accept-Language": "en-GB;q=0.3, nl-BE;q=0.9"})[1]["message"]
        == "ronde niet gevonden"
    )
    assert _get(client, url, {**emma, "Accept-Language": "fr"})[1]["message"] == "patrol not found"


def test_a_field_error_from_marshmallow_in_each_readers_language(client, make, readers):
    body = {"display_name": 5, "nickname": "Brammetje"}
    dutch = client.patch("/api/v1/me", json=body, headers=make.headers(readers["bram"]))
    assert dutch.status_code == 422
    assert dutch.get_json()["message"] == "Niet alles wat je stuurde klopt: kijk bij de velden wat er mis is."
    assert dutch.get_json()["errors"] == {
        "json": {"display_name": ["Geen geldige tekst."], "nickname": ["Onbekend veld."]}
    }
    english = client.patch("/api/v1/me", json=body, headers=make.headers(readers["emma"]))
    assert english.get_json()["errors"] == {
        "json": {"display_name": ["Not a valid string."], "nickname": ["Unknown field."]}
    }


def test_a_text_rule_in_each_readers_language(client, make, readers):
    body = {"display_name": "Bram\nJansen"}
    dutch = client.patch("/api/v1/me", json=body, headers=make.headers(readers["bram"])).get_json()
    assert dutch["errors"] == {"json": {"display_name": ["moet op één regel: geen regeleinden (U+000A)"]}}
    english = client.patch("/api/v1/me", json=body, headers={**make.headers(readers["bram"]), **EN}).get_json()
    assert english["errors"] == {"json": {"display_name": ["must be a single line: no line breaks (U+000A)"]}}


def test_an_unknown_url_and_a_wrong_method_in_dutch_unless_asked_otherwise(client):
    assert _get(client, "/api/v1/nothing-here", {})[1]["message"] == (
        "Dit adres bestaat niet. Heb je het zelf ingetypt? Kijk dan of het goed gespeld is."
    )
    assert _get(client, "/api/v1/nothing-here", EN)[1]["message"].startswith("The requested URL was not found")
    assert client.delete("/healthz").get_json()["message"] == "Dit adres kent deze methode niet."
    assert (
        client.delete("/healthz", headers=EN).get_json()["message"]
        == "The method is not allowed for the requested URL."
    )


def test_a_body_not_sent_as_json_in_dutch(client, make, readers):
    refused = client.patch(
        "/api/v1/me", data="display_name=Bram", content_type="text/plain", headers=make.headers(readers["bram"])
    )
    assert refused.status_code == 415
    message = (
        "De inhoud is niet als JSON gelezen: die kwam als text/plain. Stuur hem met 'Content-Type: application/json'."
    )
    assert refused.get_json()["message"] == message
    assert refused.get_json()["errors"] == {"json": [message]}


def test_no_person_a_401_follows_the_header_or_is_dutch(client):
    dutch = client.get("/api/v1/me")
    assert dutch.status_code == 401
    assert dutch.get_json()["message"] == "log eerst in: stuur 'Authorization: Bearer <Firebase ID-token>'"
    assert dutch.get_json()["errors"] == {"headers": {"Authorization": [dutch.get_json()["message"]]}}
    english = client.get("/api/v1/me", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert english.get_json()["message"] == "sign in first: send 'Authorization: Bearer <Firebase ID token>'"
    garbage = client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
    assert garbage.get_json()["message"] == "het ID-token is niet geldig: het is geen goed gevormd Firebase ID-token"


def test_a_rate_limit_in_each_readers_language(app, make, make_settings, readers):
    limited: Flask = create_app(make_settings(RATE_LIMIT_WRITES="1/minute;5/10 minutes"))
    client = limited.test_client()
    for who in ("bram", "emma"):
        headers = make.headers(readers[who])
        assert client.patch("/api/v1/me", json={"display_name": who}, headers=headers).status_code == 200
    bram = client.patch("/api/v1/me", json={"display_name": "B"}, headers=make.headers(readers["bram"]))
    assert bram.status_code == 429
    assert bram.get_json()["message"] == "Te veel wijzigingen: hoogstens 1 per minuut; probeer het later opnieuw."
    emma = client.patch("/api/v1/me", json={"display_name": "E"}, headers=make.headers(readers["emma"]))
    assert emma.get_json()["message"] == "too many changes: at most 1 per minute; try again later"


def test_a_moment_in_a_refusal_is_said_in_the_readers_language(client, make, readers):
    """The sign-up window's opening is a moment, said in the reader's words ('di'/'Tue'), by the same rule."""
    bram = readers["bram"]
    group = make.group(coordinator=make.person("Anna de Vries"))
    make.member(group, bram)
    patrol = make.patrol(group, dt.datetime.now(dt.UTC) + dt.timedelta(days=60))
    dutch = client.put(f"/api/v1/patrols/{patrol}/signup", headers=make.headers(bram))
    assert dutch.status_code == 409
    assert dutch.get_json()["message"].startswith("Aanmelden kan vanaf ")
    english = client.put(f"/api/v1/patrols/{patrol}/signup", headers={**make.headers(bram), **EN})
    assert english.get_json()["message"].startswith("Sign-up opens ")
    assert english.get_json()["errors"] == dutch.get_json()["errors"]  # the moment itself, for the app
