"""Describe behaviour, not people: hold back a description that rests on origin or appearance alone.

A maintained list of Dutch and English terms for origin, ethnicity, skin colour and looks, and
of words that describe what someone does. A text that names the former and none of the latter
is held for the coordinator's review. The check is a prompt for a better description, not a
verdict: a coordinator decides.
"""

from __future__ import annotations

import re
import unicodedata

# Origin, ethnicity, skin colour and "looks": never a reason by themselves.
APPEARANCE_TERMS = (
    # Dutch
    "allochtoon", "allochtonen", "allochtone", "buitenlander", "buitenlanders", "buitenlands uiterlijk",
    "marokkaan", "marokkanen", "marokkaans", "turk", "turken", "turks uiterlijk", "antilliaan", "antillianen",
    "surinamer", "surinamers", "surinaams", "polen", "pools", "poolse", "roemeen", "roemenen", "roemeens", "bulgaar",
    "oost-europeaan", "oost-europeanen", "oost-europees", "oost-europese", "oosteuropees", "oosteuropese", "roma",
    "zigeuner", "zigeuners", "arabisch", "arabische", "afrikaanse", "aziatische", "surinaamse", "antilliaanse",
    "turkse", "roemeense", "bulgaarse", "noord-afrikaanse", "marokkaanse", "buitenlandse",
    "woonwagenbewoner", "kampers", "arabier", "arabieren", "arabisch uiterlijk", "noord-afrikaans",
    "noordafrikaans", "afrikaan", "afrikaans uiterlijk", "aziaat", "aziatisch", "aziatisch uiterlijk",
    "getint", "getinte", "donker getint", "donkere huidskleur", "donkere man", "donkere jongen",
    "donkere jongens", "zwarte man", "zwarte jongen", "zwarte jongens", "negroïde", "negroide", "neger",
    "mediterraan uiterlijk", "zuidelijk uiterlijk", "asielzoeker", "asielzoekers", "statushouder",
    "vluchteling", "vluchtelingen", "hoofddoek", "moslim", "moslims", "islamitisch uiterlijk",
    "niet-nederlands", "niet nederlands uiterlijk", "verdacht uiterlijk", "louche uiterlijk", "raar uiterlijk",
    # English
    "foreigner", "foreigners", "foreign-looking", "foreign looking", "immigrant", "immigrants", "migrant",
    "migrants", "moroccan", "moroccans", "turkish", "eastern european", "east european", "gypsy", "gypsies",
    "arab", "arabs", "arab-looking", "arab looking", "middle eastern", "north african", "african-looking",
    "asian-looking", "asian looking", "dark-skinned", "dark skinned", "dark skin", "black guy", "black guys",
    "black man", "black men", "coloured", "colored", "swarthy", "tinted", "muslim", "muslims", "headscarf",
    "asylum seeker", "asylum seekers", "refugee", "refugees", "suspicious-looking", "suspicious looking",
    "shady-looking", "dodgy-looking", "looked foreign", "looks foreign",
)  # fmt: skip

# Words that say what someone did: a description with these is about behaviour.
BEHAVIOUR_TERMS = (
    # Dutch (stems, matched at the start of a word)
    "loop", "liep", "rend", "ren", "fiets", "rijd", "rijdt", "reed", "stond", "staat", "sta", "zat", "zit",
    "kijk", "keek", "gluur", "voel", "voelde", "probeer", "probeerde", "duw", "trek", "trok", "klim", "klom",
    "breek", "brak", "sloeg", "slaat", "schop", "gooi", "gooide", "schreeuw", "scheld", "bedreig", "vecht",
    "vocht", "steel", "stal", "pak", "pakte", "dael", "deal", "verkoop", "verkocht", "hang", "hing", "wacht",
    "filmde", "film", "fotografeer", "fotografeerde", "belde", "bel", "parkeer", "parkeerde", "sluip",
    "sloop", "vlucht", "vluchtte", "verstop", "tag", "spuit", "verniel", "vernield", "inbre", "opende",
    "open", "deur", "raam", "ramen", "poort", "schuur", "garage", "auto", "scooter", "busje", "tas", "rugzak",
    "koevoet", "schroevendraaier", "zaklamp",
    # English
    "walk", "ran", "run", "cycl", "bike", "biking", "rode", "driv", "drove", "stood", "stand", "sat", "sitting", "look",
    "peer", "tried", "try", "trying", "push", "pull", "climb", "broke", "break", "hit", "kick", "threw",
    "throw", "shout", "yell", "threat", "fight", "fought", "stole", "steal", "took", "deal", "sell", "sold",
    "hang", "wait", "film", "photograph", "call", "parked", "parking", "sneak", "snuck", "fled", "flee", "hid",
    "hide", "spray", "vandal", "open", "doors", "window", "gate", "shed", "car", "bag", "backpack", "crowbar",
    "screwdriver", "torch", "flashlight",
)  # fmt: skip


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"\s+", " ", text)


def _phrase_pattern(alternatives: str) -> str:
    # Dutch inflects: "marokkaans" also stands as "marokkaanse", "turk" as "turkse".
    return rf"(?<![\w-])(?:{alternatives})(?:e|en|s|se|er|ers)?(?![\w-])"


def _contains_phrase(text: str, phrase: str) -> bool:
    return re.search(_phrase_pattern(re.escape(phrase)), text) is not None


# Any of the terms, in one pass: most notes name none, and then the terms need no look one by one.
_ANY_APPEARANCE_TERM = re.compile(_phrase_pattern("|".join(re.escape(term) for term in APPEARANCE_TERMS)))


def appearance_terms(text: str) -> list[str]:
    normalised = _normalise(text)
    if _ANY_APPEARANCE_TERM.search(normalised) is None:
        return []
    return [term for term in APPEARANCE_TERMS if _contains_phrase(normalised, term)]


def _matches(word: str, stem: str) -> bool:
    # Short stems ("ran", "pak") only as whole words, so "pakistaans" is not "pak".
    return word.startswith(stem) if len(stem) >= 4 else word == stem


def describes_behaviour(text: str) -> bool:
    words = re.findall(r"[\w-]+", _normalise(text))
    return any(_matches(word, stem) for word in words for stem in BEHAVIOUR_TERMS)


def rests_on_appearance(text: str) -> bool:
    """True when the text names origin or appearance and says nothing about what anyone did.

    The appearance terms are taken out before looking for behaviour, so "suspicious looking"
    does not count as someone looking.
    """
    terms = appearance_terms(text)
    if not terms:
        return False
    rest = _normalise(text)
    for term in sorted(terms, key=len, reverse=True):
        rest = re.sub(_phrase_pattern(re.escape(term)), " ", rest)
    return not describes_behaviour(rest)
