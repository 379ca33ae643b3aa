"""Describe behaviour, not people: which descriptions are held back for the coordinator's review.

buurtwacht.notes.wording.rests_on_appearance is True when a text names origin, ethnicity, skin colour
or "looks" (a maintained list of Dutch and English terms) and says nothing about what anyone did.
Held means: the coordinator reads it first; the volunteer is told why, in their own language.

How the code decides, as these tests pin it down:
- Appearance terms match as whole words, with Dutch inflections (-e, -en, -s, -se, -er, -ers), so
  "Marokkaanse" is "marokkaans" but "romantisch" is not "roma" and "poolcafé" is not "pool".
- Behaviour terms are stems of verbs (liep, probeerde, tried, ...) and also the objects and vehicles
  of what someone does (deur, raam, auto, busje, car, van). So "Oost-Europese mannen in een busje"
  is not held: the van is something the volunteer saw and the police can use (a plate, a place),
  and the check is a prompt, not a verdict. This is the code's design, documented here.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from buurtwacht.messages import text
from buurtwacht.notes.wording import APPEARANCE_TERMS, appearance_terms, describes_behaviour, rests_on_appearance

ORIGIN_OR_LOOKS_ONLY = [
    "Marokkaanse jongens in de wijk",
    "Marokkaanse jongens in de wijk.",
    "MAROKKAANSE JONGENS IN DE WIJK",
    "getinte man",
    "Een getinte man bij de school",
    "Twee allochtonen op het plein",
    "Turkse jongens bij het winkelcentrum",
    "Surinaamse vrouw in de portiek",
    "Een Poolse man op de hoek",
    "Roemenen bij de supermarkt",
    "Zigeuners in de straat",
    "Man met een buitenlands uiterlijk",
    "Donkere jongens op het schoolplein",
    "Aziatische vrouw in de straat",
    "Noord-Afrikaanse mannen in de wijk",
    "A black guy on the corner",
    "Two black men near the school",
    "Dark-skinned man in the street",
    "Some foreigners in the neighbourhood",
    "Gypsies near the playground",
    "A Moroccan youth near the bus stop",
    "Shady-looking man near the school",
    "Asylum seekers in the street",
]

BEHAVIOUR = [
    "Man probeerde de achterdeur te openen",
    "Two men tried car doors",
    "Iemand liep langs de schuren en voelde aan de deuren.",
    "Jongen gooide een steen door een ruit van het bushokje",
    "A woman was filming the houses from a parked car",
    "Twee mannen keken bij de ramen naar binnen",
    "Scooter reed met hoge snelheid over de stoep",
    "Garagedeur van nummer 12 stond open, niemand thuis",
]

ORIGIN_AND_BEHAVIOUR = [
    "Marokkaanse jongen probeerde de achterdeur te openen",
    "Een getinte man liep aan autodeuren te voelen",
    "Twee Poolse mannen gooiden afval in de sloot",
    "A black guy tried the door of number 12",
    "Turkish men were shouting at passers-by and kicked a bin",
]


@pytest.mark.parametrize("sentence", ORIGIN_OR_LOOKS_ONLY)
def test_a_description_of_origin_or_looks_only_is_held(sentence):
    assert appearance_terms(sentence), "the term list should know this"
    assert rests_on_appearance(sentence) is True


@pytest.mark.parametrize("sentence", BEHAVIOUR)
def test_a_description_of_behaviour_is_not_held(sentence):
    assert appearance_terms(sentence) == []
    assert rests_on_appearance(sentence) is False


@pytest.mark.parametrize("sentence", ORIGIN_AND_BEHAVIOUR)
def test_origin_alongside_behaviour_is_not_held(sentence):
    assert appearance_terms(sentence)
    assert describes_behaviour(sentence)
    assert rests_on_appearance(sentence) is False


def test_a_van_is_context_the_police_can_use_so_it_counts_as_behaviour():
    # Documented design: vehicles and objects are in the behaviour list (see the module docstring).
    assert rests_on_appearance("Oost-Europese mannen in een busje") is False
    assert rests_on_appearance("Roemeense mannen in een busje") is False
    assert appearance_terms("Roemeense mannen in een busje")
    assert describes_behaviour("Roemeense mannen in een busje")


@pytest.mark.parametrize(
    "sentence",
    [
        "romantisch etentje in het buurthuis",  # roma
        "turkoois geverfde schutting",  # turk
        "het poolcafé was tot laat open",  # pool
        "Kinderen op de Noordpool-speeltuin",  # pool, inside a compound
        "Arabesk patroon op de muur gespoten",  # arab
        "Immigratiedienst",  # immigrant
        "migraine",  # migrant
        "Turkijereis geboekt",  # turk
        "Polenta op de stoep",  # polen
        "een mooie blackout in de straat",  # black
        "",
    ],
)
def test_a_word_that_merely_contains_a_term_is_not_flagged(sentence):
    assert appearance_terms(sentence) == []
    assert rests_on_appearance(sentence) is False


def test_pools_is_an_origin_word_but_poolcafe_is_not():
    assert appearance_terms("Pools") and rests_on_appearance("Pools")
    assert appearance_terms("poolcafé") == []


def test_a_short_behaviour_stem_does_not_match_inside_a_longer_word():
    # "pak" (grab) is a behaviour stem; "Pakistaanse" must not count as something someone did.
    assert describes_behaviour("Pakistaanse jongens") is False


def test_spacing_and_case_do_not_hide_a_term():
    assert rests_on_appearance("  getinte\n\tMAN  ") is True
    assert rests_on_appearance("BLACK   GUY on the corner") is True


@pytest.mark.parametrize(
    "sentence",
    ["Oost-Europese mannen bij de school", "Arabische man bij de school"],
)
def test_inflected_origin_adjectives_are_held(sentence):
    assert rests_on_appearance(sentence) is True


@pytest.mark.parametrize(
    "sentence",
    ["A suspicious looking man near the school", "Foreign looking men in the street", "He looked foreign"],
)
def test_looking_suspicious_or_foreign_is_not_behaviour(sentence):
    assert rests_on_appearance(sentence) is True


@pytest.mark.parametrize(
    "sentence",
    [
        "Marokkaanse jongens van een jaar of vijftien",
        "Een getinte man, gezien door de buren",
        "Marokkaanse jongens in het park",
    ],
)
def test_dutch_function_words_are_not_behaviour(sentence):
    assert rests_on_appearance(sentence) is True


# What the volunteer is told


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("nl", ("afkomst of uiterlijk", "Beschrijf gedrag", "coördinator")),
        ("en", ("origin or appearance", "Describe behaviour", "coordinator")),
    ],
)
def test_a_held_note_tells_its_author_why_in_their_language(client, make, locale, words):
    author = make.person("Bram Jansen", locale=locale)
    group = make.group()
    make.member(group, author)
    created = client.post(
        f"/api/v1/groups/{group.id}/notes",
        json={
            "id": str(uuid.uuid4()),
            "category": "other",
            "what": "Getinte man in de straat.",
            "observed_at": dt.datetime.now(dt.UTC).isoformat(),
            "street": "Kapelstraat",
        },
        headers=make.headers(author),
    ).get_json()
    assert created["held"] is True
    assert created["review_message"] == text("note.held", locale)
    for word in words:
        assert word in created["review_message"]
    assert [h["kind"] for h in created["history"]] == ["created", "held"]


@pytest.mark.parametrize("ending", ["", "e", "en", "s"])
def test_every_appearance_term_is_found_in_a_sentence_whatever_its_ending(ending):
    # Most notes name none of the terms and are passed by one look for all of them at once; that
    # look must find every term the one-by-one look finds.
    for term in APPEARANCE_TERMS:
        assert term in appearance_terms(f"Gezien bij de school: {term}{ending}, daarna weg."), term
