"""Reference data: the categories of notes, from the seed's themes, each with where a report belongs.

Maintained here, in code, so a change is reviewed and versioned. Labels and guidance are what a
person reads: Dutch first, English second. Phone numbers are national numbers, plus Emmen's own
(14 0591); groups choose which categories they use.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Referral:
    """One place a report belongs: who, when, how to reach them."""

    code: str
    name: dict[str, str]
    when: dict[str, str]
    phone: str | None
    url: str | None


@dataclass(frozen=True)
class Category:
    code: str
    label: dict[str, str]
    examples: dict[str, str]
    referrals: tuple[str, ...]
    # Domestic violence only refers: buurtwacht never records it in detail.
    recordable: bool = True


REFERRALS: dict[str, Referral] = {
    r.code: r
    for r in (
        Referral(
            "emergency",
            {"nl": "Alarmnummer 112", "en": "Emergency number 112"},
            {
                "nl": "Bij direct gevaar, of een misdrijf dat nu gebeurt. Bel eerst, schrijf daarna.",
                "en": "When there is danger now, or a crime is happening. Call first, write later.",
            },
            "112",
            None,
        ),
        Referral(
            "police",
            {"nl": "Politie (geen spoed)", "en": "Police (non-emergency)"},
            {
                "nl": "Geen spoed, wel politie: overlast, verdachte situaties achteraf, aangifte.",
                "en": "Not urgent, but a police matter: nuisance, suspicious situations afterwards, reports.",
            },
            "0900-8844",
            "https://www.politie.nl",
        ),
        Referral(
            "anonymous",
            {"nl": "Meld Misdaad Anoniem", "en": "Report crime anonymously (Meld Misdaad Anoniem)"},
            {
                "nl": "Als je iets weet over een misdrijf maar anoniem wilt blijven, bijvoorbeeld over drugs.",
                "en": "When you know about a crime but want to stay anonymous, for example about drugs.",
            },
            "0800-7000",
            "https://www.meldmisdaadanoniem.nl",
        ),
        Referral(
            "municipality",
            {"nl": "Gemeente Emmen, melding openbare ruimte", "en": "Municipality of Emmen, public space report"},
            {
                "nl": "Kapotte straatverlichting of straatmeubilair, zwerfafval, volle containers, groenonderhoud.",
                "en": "Broken street lights or street furniture, litter, full containers, green maintenance.",
            },
            "14 0591",
            "https://www.emmen.nl",
        ),
        Referral(
            "veilig_thuis",
            {"nl": "Veilig Thuis", "en": "Veilig Thuis (domestic violence and child abuse)"},
            {
                "nl": "Bij zorgen over huiselijk geweld of kindermishandeling; dag en nacht, ook anoniem. "
                "Bij direct gevaar: 112.",
                "en": "When you worry about domestic violence or child abuse; day and night, also "
                "anonymously. In immediate danger: 112.",
            },
            "0800-2000",
            "https://www.veiligthuis.nl",
        ),
        Referral(
            "mediation",
            {"nl": "Buurtbemiddeling", "en": "Neighbourhood mediation (buurtbemiddeling)"},
            {
                "nl": "Bij burenruzies: getrainde vrijwilligers helpen buren zelf tot een oplossing te komen.",
                "en": "For disputes between neighbours: trained volunteers help them find their own solution.",
            },
            None,
            "https://www.problemenmetjeburen.nl",
        ),
        Referral(
            "care_concern",
            {"nl": "Meldpunt zorgwekkend gedrag", "en": "Helpline for worrying behaviour"},
            {
                "nl": "Bij iemand die verward is en zorg nodig heeft, zonder direct gevaar. Bij gevaar: 112.",
                "en": "For someone who is confused and needs care, without immediate danger. In danger: 112.",
            },
            "0800-1205",
            None,
        ),
    )
}

CATEGORIES: dict[str, Category] = {
    c.code: c
    for c in (
        Category(
            "traffic_safety",
            {"nl": "Verkeersveiligheid", "en": "Traffic safety"},
            {
                "nl": "Te hard rijden, parkeren rond scholen, landbouwverkeer, ontbrekende verlichting.",
                "en": "Speeding, parking around schools, farm traffic, missing lighting.",
            },
            ("emergency", "police", "municipality"),
        ),
        Category(
            "clean_whole_safe",
            {"nl": "Schoon, heel en veilig", "en": "Clean, whole and safe"},
            {
                "nl": "Vernieling, zwerfafval, kapot straatmeubilair, achterstallig groen, volle containers.",
                "en": "Vandalism, litter, broken street furniture, overdue green maintenance, full containers.",
            },
            ("municipality", "police"),
        ),
        Category(
            "youth_nuisance",
            {"nl": "Jeugdoverlast", "en": "Youth nuisance"},
            {
                "nl": "Hinderlijke of intimiderende groepen jongeren.",
                "en": "Annoying or intimidating groups of youths.",
            },
            ("police", "emergency"),
        ),
        Category(
            "neighbour_conflict",
            {"nl": "Burenruzie", "en": "Neighbour conflict"},
            {"nl": "Onenigheid tussen buren.", "en": "Disputes between neighbours."},
            ("mediation", "police"),
        ),
        Category(
            "confused_person",
            {"nl": "Verward persoon", "en": "Confused person"},
            {"nl": "Iemand die verward lijkt en zorg nodig heeft.", "en": "Someone who seems confused and needs care."},
            ("emergency", "care_concern", "police"),
        ),
        Category(
            "burglary_suspicious",
            {"nl": "Inbraak en verdachte situatie", "en": "Burglary and suspicious situation"},
            {
                "nl": "Open ramen, deuren of garages, iemand die aan deuren voelt, een inbraak.",
                "en": "Open windows, doors or garages, someone trying doors, a burglary.",
            },
            ("emergency", "police", "anonymous"),
        ),
        Category(
            "violence",
            {"nl": "Geweld", "en": "Violence"},
            {"nl": "Bedreiging, mishandeling, vechtpartij.", "en": "Threats, assault, a fight."},
            ("emergency", "police"),
        ),
        Category(
            "drugs",
            {"nl": "Drugs", "en": "Drugs"},
            {"nl": "Dealen, hennepteelt, drugsoverlast.", "en": "Dealing, cannabis growing, drug nuisance."},
            ("anonymous", "police", "emergency"),
        ),
        Category(
            "events",
            {"nl": "Evenementen", "en": "Events"},
            {"nl": "Overlast of onveiligheid rond een evenement.", "en": "Nuisance or danger around an event."},
            ("municipality", "police"),
        ),
        Category(
            "domestic_violence",
            {"nl": "Huiselijk geweld", "en": "Domestic violence"},
            {
                "nl": "Wordt niet vastgelegd in buurtwacht: neem contact op met Veilig Thuis.",
                "en": "Never recorded in buurtwacht: contact Veilig Thuis.",
            },
            ("veilig_thuis", "emergency"),
            recordable=False,
        ),
        Category(
            "other",
            {"nl": "Overig", "en": "Other"},
            {"nl": "Iets anders dat opviel.", "en": "Something else worth noting."},
            ("police", "municipality"),
        ),
    )
}

RECORDABLE = frozenset(code for code, c in CATEGORIES.items() if c.recordable)

# The closed sets, in the catalogue's order, as the OpenAPI document lists them (`enum`).
CATEGORY_CODES = list(CATEGORIES)
RECORDABLE_CODES = [code for code in CATEGORIES if code in RECORDABLE]
REFERRAL_CODES = list(REFERRALS)
