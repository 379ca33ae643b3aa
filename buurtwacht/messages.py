"""The message catalogue: every text a person reads, Dutch first, English second."""

from __future__ import annotations

import datetime as dt
import re
import string
from typing import Any

import flask
from babel.dates import format_date
from babel.numbers import format_decimal
from sqlalchemy import inspect as sa_inspect

from buurtwacht.localtime import to_local

DEFAULT_LOCALE = "nl"
LOCALES = ("nl", "en")

CATALOGUE: dict[str, dict[str, str]] = {
    "patrol.title": {
        "nl": "Surveillance {group}",
        "en": "Patrol {group}",
    },
    "patrol.signup_not_open_yet": {
        "nl": "Aanmelden kan vanaf {when}, {days} dagen voor het begin.",
        "en": "Sign-up opens {when}, {days} days before the start.",
    },
    "patrol.not_begun": {
        "nl": "Deze ronde begint pas {when}: uitchecken of afronden kan vanaf dan.",
        "en": "This round only begins {when}: checking out or completing it is possible from then.",
    },
    "limit.too_many": {
        "nl": "Te veel {what}: hoogstens {amount} per {period}; probeer het later opnieuw.",
        "en": "too many {what}: at most {amount} per {period}; try again later",
    },
    "limit.writes": {"nl": "wijzigingen", "en": "changes"},
    "limit.alerts": {"nl": "meldingen", "en": "alerts"},
    "limit.tips": {"nl": "tips", "en": "tips"},
    "limit.photos": {"nl": "foto-uploads", "en": "photo uploads"},
    "limit.per.second": {"nl": "seconde", "en": "second"},
    "limit.per.minute": {"nl": "minuut", "en": "minute"},
    "limit.per.hour": {"nl": "uur", "en": "hour"},
    "limit.per.day": {"nl": "dag", "en": "day"},
    "limit.per.month": {"nl": "maand", "en": "month"},
    "limit.per.year": {"nl": "jaar", "en": "year"},
    "limit.per.seconds": {"nl": "{count} seconden", "en": "{count} seconds"},
    "limit.per.minutes": {"nl": "{count} minuten", "en": "{count} minutes"},
    "limit.per.hours": {"nl": "{count} uur", "en": "{count} hours"},
    "limit.per.days": {"nl": "{count} dagen", "en": "{count} days"},
    "limit.per.months": {"nl": "{count} maanden", "en": "{count} months"},
    "limit.per.years": {"nl": "{count} jaar", "en": "{count} years"},
    "calendar.name": {
        "nl": "Mijn surveillancerondes",
        "en": "My patrols",
    },
    "calendar.waitlisted": {
        "nl": "{title} (wachtlijst)",
        "en": "{title} (waiting list)",
    },
    "calendar.cancelled": {
        "nl": "Geannuleerd: {title}",
        "en": "Cancelled: {title}",
    },
    "calendar.cancel_reason": {
        "nl": "Deze ronde gaat niet door. Reden: {reason}",
        "en": "This patrol is off. Reason: {reason}",
    },
    "note.held": {
        "nl": "Je beschrijving noemt vooral afkomst of uiterlijk, en niet wat iemand deed. Beschrijf gedrag: "
        "wat gebeurde er, wat deed iemand, waar en wanneer? Je coördinator bekijkt deze waarneming eerst.",
        "en": "Your description mainly mentions origin or appearance, not what someone did. Describe behaviour: "
        "what happened, what did someone do, where and when? Your coordinator reviews this note first.",
    },
    "push.title": {
        "nl": "Buurtwacht",
        "en": "Buurtwacht",
    },
    "alert.exercise_prefix": {
        "nl": "OEFENING - ",
        "en": "EXERCISE - ",
    },
    "alert.saar": {
        "nl": "Bij direct gevaar: bel eerst 112.",
        "en": "In an emergency: call 112 first.",
    },
    "alert.new.title": {
        "nl": "{prefix}Uitkijken: {headline}",
        "en": "{prefix}Look out: {headline}",
    },
    "alert.new.body": {
        "nl": "{description} {instruction} {saar}",
        "en": "{description} {instruction} {saar}",
    },
    "alert.update.title": {
        "nl": "{prefix}Update: {headline}",
        "en": "{prefix}Update: {headline}",
    },
    "alert.update.body": {
        "nl": "{text} {saar}",
        "en": "{text} {saar}",
    },
    "alert.closed.title": {
        "nl": "{prefix}Afgesloten: {headline}",
        "en": "{prefix}Closed: {headline}",
    },
    "alert.closed.body": {
        "nl": "{outcome}. {text} {superseded}Bedankt voor het uitkijken! {saar}",
        "en": "{outcome}. {text} {superseded}Thank you for looking out! {saar}",
    },
    "alert.closed.body_without_text": {
        "nl": "{outcome}. {superseded}Bedankt voor het uitkijken! {saar}",
        "en": "{outcome}. {superseded}Thank you for looking out! {saar}",
    },
    # An update not yet on the phone when the alert ended is not sent after the close (it would replace it).
    "alert.closed.superseded": {
        "nl": "Dit vervangt een aanvulling die je nog niet had. ",
        "en": "This replaces an update you had not received yet. ",
    },
    "alert.outcome.found": {"nl": "Gevonden", "en": "Found"},
    "alert.outcome.apprehended": {"nl": "Aangehouden", "en": "Apprehended"},
    "alert.outcome.resolved": {"nl": "Opgelost", "en": "Resolved"},
    "alert.outcome.false_alarm": {"nl": "Loos alarm", "en": "False alarm"},
    "alert.outcome.no_result": {"nl": "Zonder resultaat beëindigd", "en": "Ended without result"},
    "alert.outcome.cancelled": {"nl": "Ingetrokken", "en": "Cancelled"},
    "alert.outcome.expired": {"nl": "Verlopen", "en": "Expired"},
    "alert.kind.missing_person": {"nl": "Vermissing", "en": "Missing person"},
    "alert.kind.suspect": {"nl": "Verdachte", "en": "Suspect"},
    "alert.kind.vehicle": {"nl": "Voertuig", "en": "Vehicle"},
    "alert.kind.burglary": {"nl": "Inbraak", "en": "Burglary"},
    "alert.kind.general_warning": {"nl": "Waarschuwing", "en": "Warning"},
    "alert.kind.exercise": {"nl": "Oefening", "en": "Exercise"},
    "alert.additions": {"nl": "Aanvullingen:", "en": "Updates:"},
    "alert.latest_addition": {"nl": "Laatste aanvulling: {text}", "en": "Latest update: {text}"},
    "cap.restriction": {
        "nl": "Voor deelnemers van Buurtwacht in het gebied",
        "en": "For Buurtwacht participants in the area",
    },
    "feed.title": {"nl": "Buurtwacht-meldingen {area}", "en": "Buurtwacht alerts {area}"},
    "patrol.reminder": {
        "nl": "Herinnering: je loopt mee met de ronde van {when}. Verzamelen: {place}.",
        "en": "Reminder: you are on the patrol of {when}. Meeting point: {place}.",
    },
    "patrol.short": {
        "nl": "De ronde van {when} heeft {confirmed} van de minimaal {minimum} deelnemers. Niemand loopt alleen.",
        "en": "The patrol of {when} has {confirmed} of at least {minimum} people. Nobody walks alone.",
    },
    "patrol.overdue": {
        "nl": "De ronde van {when} is een half uur voorbij, maar nog niet iedereen heeft uitgecheckt. Bel het team.",
        "en": "The patrol of {when} ended half an hour ago, but not everyone has checked out. Call the team.",
    },
    "alert.close_reminder": {
        "nl": "Je melding '{headline}' verloopt om {when}. Sluit hem af met het resultaat.",
        "en": "Your alert '{headline}' expires at {when}. Close it with its outcome.",
    },
    "summary.subject": {"nl": "Maandoverzicht {group}, {month}", "en": "Monthly summary {group}, {month}"},
    "summary.intro": {
        "nl": "Wat {group} in {month} deed en zag. We doen wat we zeggen en zeggen wat we doen.",
        "en": "What {group} did and saw in {month}. We do what we say and say what we do.",
    },
    "summary.patrols": {"nl": "Surveillance", "en": "Patrols"},
    "summary.planned": {"nl": "Gepland", "en": "Planned"},
    "summary.walked": {"nl": "Gelopen", "en": "Walked"},
    "summary.cancelled": {"nl": "Geannuleerd", "en": "Cancelled"},
    "summary.hours": {"nl": "Vrijwilligersuren", "en": "Volunteer hours"},
    "summary.volunteers": {"nl": "Actieve vrijwilligers", "en": "Active volunteers"},
    "summary.patrols_line": {
        "nl": "Surveillance: gepland {planned}, gelopen {walked}, geannuleerd {cancelled}; "
        "vrijwilligersuren {hours}; actieve vrijwilligers {volunteers}",
        "en": "Patrols: planned {planned}, walked {walked}, cancelled {cancelled}; "
        "volunteer hours {hours}; active volunteers {volunteers}",
    },
    "summary.notes": {"nl": "Waarnemingen", "en": "Notes"},
    "summary.notes_line": {
        "nl": "Waarnemingen: {count} (vorige maand {previous}, zelfde maand vorig jaar {last_year})",
        "en": "Notes: {count} (last month {previous}, same month last year {last_year})",
    },
    "summary.category_line": {
        "nl": "- {category}: {count} (vorige maand {previous}, zelfde maand vorig jaar {last_year})",
        "en": "- {category}: {count} (last month {previous}, same month last year {last_year})",
    },
    "summary.category": {"nl": "Categorie", "en": "Category"},
    "summary.this_month": {"nl": "Deze maand", "en": "This month"},
    "summary.previous_month": {"nl": "Vorige maand", "en": "Last month"},
    "summary.last_year": {"nl": "Zelfde maand vorig jaar", "en": "Same month last year"},
    "summary.where": {"nl": "Waar (plekken met minstens 3 waarnemingen)", "en": "Where (places with at least 3 notes)"},
    "summary.place": {"nl": "Plek", "en": "Place"},
    "summary.elsewhere": {"nl": "Elders, verspreid: {count}", "en": "Elsewhere, spread out: {count}"},
    "summary.follow_up": {"nl": "Opvolging", "en": "Follow-up"},
    "summary.status.open": {"nl": "Open", "en": "Open"},
    "summary.status.reported": {"nl": "Doorgemeld", "en": "Reported"},
    "summary.status.resolved": {"nl": "Opgelost", "en": "Resolved"},
    "summary.status.no_action": {"nl": "Geen actie", "en": "No action"},
    # The group's own call-outs (and its wijkagent's), not the police's Burgernet.
    "summary.alerts": {"nl": "Meldingen", "en": "Alerts"},
    "summary.alert_when": {"nl": "Wanneer", "en": "When"},
    "summary.alert": {"nl": "Melding en afloop", "en": "Alert and outcome"},
    "summary.alert_open": {"nl": "Loopt nog", "en": "Still open"},
    "summary.no_alerts": {"nl": "Geen meldingen deze maand.", "en": "No alerts this month."},
    "summary.priorities": {"nl": "Onze prioriteiten en wat we zagen", "en": "Our priorities and what we saw"},
    "summary.no_priorities": {
        "nl": "De groep heeft geen eigen prioriteiten gekozen.",
        "en": "The group has not chosen priorities of its own.",
    },
    "summary.chart_title": {"nl": "Waarnemingen per categorie", "en": "Notes per category"},
    "summary.footer": {
        "nl": "Dit overzicht bevat geen namen en geen plekken met minder dan 3 waarnemingen.",
        "en": "This summary holds no names and no place with fewer than 3 notes.",
    },
    "summary.forwarding": {"nl": "Doorgestuurd naar de gemeente", "en": "Forwarded to the municipality"},
    "summary.forwarding.forwarded": {"nl": "Doorgestuurd", "en": "Forwarded"},
    "summary.forwarding.answered": {"nl": "Beantwoord door de gemeente", "en": "Answered by the municipality"},
    "summary.forwarding.fixed": {"nl": "Opgelost", "en": "Fixed"},
    "summary.forwarding.fixed_by_author": {
        "nl": "waarvan volgens de melder",
        "en": "of which by the author's word",
    },
    "summary.forwarding.still_open": {"nl": "Staat nog open", "en": "Still open"},
    "summary.forwarding.median_days_to_fix": {"nl": "Mediaan dagen tot opgelost", "en": "Median days to fix"},
    "summary.forwarding.none": {
        "nl": "Niets doorgestuurd en niets open bij de gemeente.",
        "en": "Nothing forwarded and nothing open at the municipality.",
    },
    "summary.forwarding_counts": {
        "nl": "doorgestuurd {forwarded}, opgelost {fixed}, staat nog open {still_open}",
        "en": "forwarded {forwarded}, fixed {fixed}, still open {still_open}",
    },
    "summary.attachment": {"nl": "maandoverzicht-{month}.csv", "en": "monthly-summary-{month}.csv"},
    "spreadsheet.yes": {"nl": "ja", "en": "yes"},
    "spreadsheet.no": {"nl": "nee", "en": "no"},
    "export.notes.filename": {"nl": "waarnemingen.csv", "en": "notes.csv"},
    "export.note.id": {"nl": "ID", "en": "ID"},
    "export.note.observed_at": {"nl": "Waargenomen op", "en": "Observed at"},
    "export.note.category": {"nl": "Categorie", "en": "Category"},
    "export.note.what": {"nl": "Wat", "en": "What"},
    "export.note.street": {"nl": "Straat", "en": "Street"},
    "export.note.lat": {"nl": "Breedtegraad", "en": "Latitude"},
    "export.note.lon": {"nl": "Lengtegraad", "en": "Longitude"},
    "export.note.status": {"nl": "Opvolging", "en": "Follow-up"},
    "export.note.urgency": {"nl": "Urgentie", "en": "Urgency"},
    "export.note.called": {"nl": "Gebeld", "en": "Called"},
    "export.note.shared_with_police": {"nl": "Gedeeld met politie", "en": "Shared with police"},
    "export.note.held": {"nl": "Wacht op coördinator", "en": "Held for the coordinator"},
    "note.urgency.low": {"nl": "laag", "en": "low"},
    "note.urgency.normal": {"nl": "normaal", "en": "normal"},
    "note.urgency.high": {"nl": "hoog", "en": "high"},
    "note.called.none": {"nl": "niemand", "en": "nobody"},
    "note.called.emergency_112": {"nl": "112", "en": "112"},
    "note.called.police": {"nl": "politie", "en": "police"},
    "note.called.other": {"nl": "anders", "en": "other"},
    "export.summary.month": {"nl": "Maand", "en": "Month"},
    "export.summary.category": {"nl": "Categorie", "en": "Category"},
    "export.summary.count": {"nl": "Deze maand", "en": "This month"},
    "export.summary.previous_month": {"nl": "Vorige maand", "en": "Last month"},
    "export.summary.same_month_last_year": {"nl": "Zelfde maand vorig jaar", "en": "Same month last year"},
    "patrol.cancelled": {
        "nl": "De ronde van {when} is geannuleerd: {reason}",
        "en": "The patrol of {when} is cancelled: {reason}",
    },
    "patrol.moved": {
        "nl": "De ronde van {old_when} is verplaatst naar {when}. Kun je niet meer? Meld je af in de app.",
        "en": "The patrol of {old_when} has moved to {when}. Can't make it now? Withdraw in the app.",
    },
    "patrol.promoted": {
        "nl": "Er is een plek vrijgekomen: je loopt mee met de ronde van {when}.",
        "en": "A place came free: you are on the team for the patrol of {when}.",
    },
    "patrol.added": {
        "nl": "Je coördinator heeft je ingeroosterd voor de ronde van {when}.",
        "en": "Your coordinator put you on the team for the patrol of {when}.",
    },
    "patrol.removed": {
        "nl": "Je coördinator heeft je uitgeroosterd voor de ronde van {when}.",
        "en": "Your coordinator took you off the team for the patrol of {when}.",
    },
    "patrol.swap_offered": {
        "nl": "{name} vraagt of je de ronde van {when} wilt overnemen.",
        "en": "{name} asks whether you will take over the patrol of {when}.",
    },
    "patrol.swap_accepted": {
        "nl": "{name} neemt je ronde van {when} over.",
        "en": "{name} takes over your patrol of {when}.",
    },
    "patrol.schedule_cancelled_reason": {
        "nl": "het rooster is gewijzigd",
        "en": "the schedule has changed",
    },
    "forward.municipality_says": {
        "nl": "{municipality} meldt over je waarneming: {status}",
        "en": "{municipality} says about your note: {status}",
    },
    "forward.failed": {
        "nl": "Doorsturen naar {municipality} is mislukt: {reason}",
        "en": "Forwarding to {municipality} failed: {reason}",
    },
    "forward.fixed_yet": {
        "nl": "Je waarneming ging {weeks} weken geleden naar {municipality} en staat daar nog open. Is het al "
        "opgelost, of is het er nog? Laat het weten in de app.",
        "en": "Your note went to {municipality} {weeks} weeks ago and is still open there. Is it fixed yet, or "
        "still there? Let us know in the app.",
    },
}

_DAYS = {
    "nl": ["ma", "di", "wo", "do", "vr", "za", "zo"],
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
}

_MONTHS = {
    "nl": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


def _locale(locale: str | None) -> str:
    return locale if locale in LOCALES else DEFAULT_LOCALE


def when(moment: dt.datetime, locale: str | None) -> str:
    """A moment as people say it, in local time: 'di 24 mrt 20:00'."""
    loc = _locale(locale)
    local = to_local(moment)
    return f"{_DAYS[loc][local.weekday()]} {local.day} {_MONTHS[loc][local.month - 1]} {local:%H:%M}"


# Parameters that hold a moment; in queued notifications they arrive as ISO 8601 strings.
MOMENT_PARAMS = frozenset({"when", "old_when"})
# A parameter that names another message of this catalogue (`reason_key`) fills its placeholder without the
# suffix (`{reason}`) with that message in the reader's language: notifications store the key, not the words.
MESSAGE_KEY_SUFFIX = "_key"


def month_name(year: int, month: int, locale: str | None) -> str:
    """A month as the reader writes it: 'oktober 2026', 'October 2026' (Babel, CLDR's words)."""
    return format_date(dt.date(year, month, 1), "LLLL y", locale=_locale(locale))


def number(value: float, locale: str | None) -> str:
    """A number as the reader writes it: 24,9 in Dutch, 24.9 in English; 1.234 and 1,234 (Babel)."""
    return format_decimal(value, locale=_locale(locale))


def text(key: str, locale: str | None, **params: Any) -> str:
    loc = _locale(locale)
    formatted: dict[str, Any] = {}
    # A message named by a `_key` parameter takes the other parameters too ("{count} minuten").
    plain = {name: value for name, value in params.items() if not name.endswith(MESSAGE_KEY_SUFFIX)}
    for name, value in params.items():
        if name.endswith(MESSAGE_KEY_SUFFIX):
            formatted[name.removesuffix(MESSAGE_KEY_SUFFIX)] = text(value, loc, **plain)
            continue
        if name in MOMENT_PARAMS and isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        formatted[name] = when(value, loc) if isinstance(value, dt.datetime) else value
    return CATALOGUE[key][loc].format(**formatted)


# Error messages -------------------------------------------------------------------------------------------
#
# A refusal is written in English where it is raised, and that English text is its id (as in gettext): the
# error handler (Api.handle_http_exception) renders it in the reader's language. An f-string's holes are `{}`
# in the id; the Dutch text may reorder them as `{0}`, `{1}`. What fills a hole stays as it is (status codes
# such as `cancelled` are codes). tests/test_error_language.py finds every message the code can raise and
# checks that each has its Dutch text here, and that nothing here is unused.

ERRORS: dict[str, str] = {
    # The request itself (werkzeug, webargs, body.py).
    "The browser (or proxy) sent a request that this server could not understand.": (
        "Dit verzoek is niet te begrijpen."
    ),
    "The requested URL was not found on the server. If you entered the URL manually please check your spelling "
    "and try again.": "Dit adres bestaat niet. Heb je het zelf ingetypt? Kijk dan of het goed gespeld is.",
    "The method is not allowed for the requested URL.": "Dit adres kent deze methode niet.",
    "The data value transmitted exceeds the capacity limit.": "Wat je stuurde is te groot.",
    "The server does not support the media type transmitted in the request.": (
        "Dit soort inhoud wordt hier niet aangenomen."
    ),
    "The request was well-formed but was unable to be followed due to semantic errors.": (
        "Niet alles wat je stuurde klopt: kijk bij de velden wat er mis is."
    ),
    "The server encountered an internal error and was unable to complete your request. Either the server is "
    "overloaded or there is an error in the application.": (
        "Er ging bij ons iets mis en je verzoek is niet uitgevoerd. Probeer het straks opnieuw."
    ),
    "Invalid JSON body.": "De inhoud is geen geldige JSON.",
    "JSON body nested deeper than {} levels.": "De JSON is dieper genest dan {} niveaus.",
    "The body was not read as JSON: it came as {}. Send it with 'Content-Type: application/json'.": (
        "De inhoud is niet als JSON gelezen: die kwam als {}. Stuur hem met 'Content-Type: application/json'."
    ),
    "The body was not read as JSON: it came without a Content-Type. Send it with 'Content-Type: application/json'.": (
        "De inhoud is niet als JSON gelezen: die kwam zonder Content-Type. Stuur hem met "
        "'Content-Type: application/json'."
    ),
    "conflicts with the current state; reload and try again": (
        "dit botst met hoe het nu is; laad opnieuw en probeer het nog eens"
    ),
    "the database is unavailable; try again shortly": "de database is niet bereikbaar; probeer het zo opnieuw",
    # marshmallow's own texts, for the fields and validators the API's schemas use.
    "Missing data for required field.": "Dit veld is verplicht.",
    "Unknown field.": "Onbekend veld.",
    "Field may not be null.": "Dit veld mag niet leeg (null) zijn.",
    "Invalid input type.": "Verkeerd soort invoer.",
    "Invalid type.": "Verkeerd soort waarde.",
    "Invalid value.": "Ongeldige waarde.",
    "Not a valid string.": "Geen geldige tekst.",
    "Not a valid utf-8 string.": "Geen geldige UTF-8-tekst.",
    "Not a valid integer.": "Geen geldig geheel getal.",
    "Not a valid number.": "Geen geldig getal.",
    "Number too large.": "Het getal is te groot.",
    "Special numeric values (nan or infinity) are not permitted.": (
        "Bijzondere getalwaarden (nan of oneindig) zijn niet toegestaan."
    ),
    "Not a valid UUID.": "Geen geldige UUID.",
    "Not a valid email address.": "Geen geldig e-mailadres.",
    "Not a valid boolean.": "Geen geldige waarde: gebruik true of false.",
    "Not a valid date.": "Geen geldige datum.",
    "Not a valid time.": "Geen geldige tijd.",
    "Not a valid {} date.": "Geen geldige datum ({}).",
    "Not a valid {} time.": "Geen geldige tijd ({}).",
    "Not a valid list.": "Geen geldige lijst.",
    "Not a valid mapping type.": "Geen geldig object.",
    "Must be one of: {}.": "Moet een van deze zijn: {}.",
    "Length must be between {} and {}.": "De lengte moet tussen {} en {} liggen.",
    "Length must be {}.": "De lengte moet {} zijn.",
    "Shorter than minimum length {}.": "Korter dan de minimale lengte {}.",
    "Longer than maximum length {}.": "Langer dan de maximale lengte {}.",
    "Must be greater than or equal to {} and less than or equal to {}.": (
        "Moet tussen {} en {} liggen (beide inbegrepen)."
    ),
    "Must be greater than or equal to {}.": "Moet {} of meer zijn.",
    "Must be less than or equal to {}.": "Moet {} of minder zijn.",
    "use digits, spaces and an optional leading +": "gebruik cijfers, spaties en eventueel een + vooraan",
    "use lowercase letters, digits and single dashes": "gebruik kleine letters, cijfers en losse streepjes",
    # Text rules (api.py) and times (timefields.py), places (geo.py).
    "must be valid Unicode: a lone surrogate (U+{}) cannot be stored": (
        "moet geldige Unicode zijn: een losse surrogaat (U+{}) kan niet worden opgeslagen"
    ),
    "must not contain NUL characters": "mag geen NUL-tekens bevatten",
    "must be a single line: no line breaks (U+{})": "moet op één regel: geen regeleinden (U+{})",
    "must not contain control characters (U+{})": "mag geen stuurtekens bevatten (U+{})",
    "field names must be valid Unicode: a lone surrogate (U+{}) cannot be stored": (
        "veldnamen moeten geldige Unicode zijn: een losse surrogaat (U+{}) kan niet worden opgeslagen"
    ),
    "field names must not contain NUL characters": "veldnamen mogen geen NUL-tekens bevatten",
    "field names must be a single line: no line breaks (U+{})": (
        "veldnamen moeten op één regel: geen regeleinden (U+{})"
    ),
    "field names must not contain control characters (U+{})": "veldnamen mogen geen stuurtekens bevatten (U+{})",
    "an ISO 8601 date and time, e.g. 2026-03-31T20:00": (
        "een datum en tijd volgens ISO 8601, bijvoorbeeld 2026-03-31T20:00"
    ),
    "a moment between the years 1 and 9999, in UTC and in local time": (
        "een moment tussen de jaren 1 en 9999, in UTC en in lokale tijd"
    ),
    "this time does not exist in Europe/Amsterdam (the clocks go forward)": (
        "deze tijd bestaat niet in Europe/Amsterdam (de klok gaat dan een uur vooruit)"
    ),
    "this time happens twice in Europe/Amsterdam (the clocks go back): say which with its offset, {} (summer "
    "time, the first) or {} (winter time, the second)": (
        "deze tijd komt twee keer voor in Europe/Amsterdam (de klok gaat dan een uur terug): geef met de "
        "verschuiving aan welke je bedoelt, {} (zomertijd, de eerste) of {} (wintertijd, de tweede)"
    ),
    "{}: a position is [longitude, latitude]": "{}: een positie is [lengtegraad, breedtegraad]",
    "{}: longitude or latitude out of range": "{}: lengtegraad of breedtegraad buiten bereik",
    "{}: a polygon is a list of linear rings": "{}: een polygoon is een lijst van gesloten ringen",
    "{} ring {}: a ring needs at least 4 positions": "{} ring {}: een ring heeft minstens 4 posities nodig",
    "{} ring {}: the first and last position must be the same": (
        "{} ring {}: de eerste en de laatste positie moeten gelijk zijn"
    ),
    "only 'type' and 'coordinates' are allowed": "alleen 'type' en 'coordinates' zijn toegestaan",
    "type must be 'Polygon' or 'MultiPolygon'": "type moet 'Polygon' of 'MultiPolygon' zijn",
    "a MultiPolygon is a list of polygons": "een MultiPolygon is een lijst van polygonen",
    "each number only once": "elk nummer maar één keer",
    "must be between 1 and {} days": "moet tussen 1 en {} dagen liggen",
    # Signing in.
    "sign in first: send 'Authorization: Bearer <Firebase ID token>'": (
        "log eerst in: stuur 'Authorization: Bearer <Firebase ID-token>'"
    ),
    "the ID token carries no e-mail address: sign in with e-mail": (
        "het ID-token bevat geen e-mailadres: log in met je e-mailadres"
    ),
    "this account was deleted; sign in again to start a new one": (
        "dit account is verwijderd; log opnieuw in om een nieuw account te beginnen"
    ),
    "this e-mail address belongs to another account; ask your coordinator": (
        "dit e-mailadres hoort bij een ander account; vraag het je coördinator"
    ),
    "the ID token has expired; get a fresh one from Firebase": (
        "het ID-token is verlopen; haal een nieuw op bij Firebase"
    ),
    "the ID token is not valid yet: check the device's clock, then get a fresh one from Firebase": (
        "het ID-token is nog niet geldig: kijk of de klok van je toestel goed staat en haal dan een nieuw op "
        "bij Firebase"
    ),
    "the ID token is not valid: it was issued for another Firebase project": (
        "het ID-token is niet geldig: het is uitgegeven voor een ander Firebase-project"
    ),
    "the ID token is not valid: it is not a well-formed Firebase ID token": (
        "het ID-token is niet geldig: het is geen goed gevormd Firebase ID-token"
    ),
    "the ID token is not valid: its signature could not be verified": (
        "het ID-token is niet geldig: de handtekening kon niet worden gecontroleerd"
    ),
    "the sign-in keys could not be fetched; try again shortly": (
        "de sleutels om in te loggen konden niet worden opgehaald; probeer het zo opnieuw"
    ),
    "only municipal admins may do this": "alleen beheerders van de gemeente mogen dit",
    "your role in this group does not allow this": "je rol in deze groep staat dit niet toe",
    # Not found: "<what> not found".
    "group not found": "groep niet gevonden",
    "area not found": "gebied niet gevonden",
    "officer assignment not found": "toewijzing van de wijkagent niet gevonden",
    "membership not found": "lidmaatschap niet gevonden",
    "live invite code not found": "geldige uitnodigingscode niet gevonden",
    "patrol not found": "ronde niet gevonden",
    "person on this patrol not found": "deelnemer niet gevonden in deze ronde",
    "schedule not found": "rooster niet gevonden",
    "swap not found": "ruil niet gevonden",
    "note not found": "waarneming niet gevonden",
    "photo not found": "foto niet gevonden",
    "alert not found": "melding niet gevonden",
    "alert feed not found": "meldingenfeed niet gevonden",
    "subscription not found": "abonnement niet gevonden",
    "calendar feed not found": "agendafeed niet gevonden",
    "device not found": "toestel niet gevonden",
    # Areas and groups.
    "a {} area needs a parent": "een gebied van soort {} moet onder een ander gebied liggen",
    "no area with this id": "er is geen gebied met deze id",
    "no area with id {}": "er is geen gebied met id {}",
    "a {} cannot lie in a {}": "een gebied van soort {} kan niet in een gebied van soort {} liggen",
    "an area with this code exists already": "er is al een gebied met deze code",
    "a group belongs to a wijk (neighbourhood) or dorp (village)": "een groep hoort bij een wijk of een dorp",
    "only municipal admins move a group to another area": (
        "alleen beheerders van de gemeente verplaatsen een groep naar een ander gebied"
    ),
    "only the group's coordinators set its patrol rules": (
        "alleen de coördinatoren van de groep stellen de regels voor rondes in"
    ),
    "only the group's coordinators set how long its notes are kept": (
        "alleen de coördinatoren van de groep bepalen hoe lang waarnemingen bewaard blijven"
    ),
    # Members.
    "a {} membership cannot become {}": "een lidmaatschap dat {} is, kan niet {} worden",
    "only coordinators see requests to join and former members": (
        "alleen coördinatoren zien aanmeldingen en oud-deelnemers"
    ),
    "this membership is {}, not pending": "dit lidmaatschap is {}, niet in afwachting",
    "only active members change role; this membership is {}": (
        "alleen actieve deelnemers krijgen een andere rol; dit lidmaatschap is {}"
    ),
    "a group needs at least one coordinator: make someone else coordinator first": (
        "een groep heeft minstens één coördinator nodig: maak eerst iemand anders coördinator"
    ),
    "this member's e-mail address is not verified yet: they verify it and sign in again first": (
        "het e-mailadres van deze deelnemer is nog niet bevestigd: die bevestigt het eerst en logt opnieuw in"
    ),
    "this membership has already ended ({})": "dit lidmaatschap is al beëindigd ({})",
    "you are the group's last coordinator: make someone else coordinator first": (
        "je bent de laatste coördinator van de groep: maak eerst iemand anders coördinator"
    ),
    "only active members can be removed; this membership is {}": (
        "alleen actieve deelnemers kunnen worden verwijderd; dit lidmaatschap is {}"
    ),
    "a group needs at least one coordinator": "een groep heeft minstens één coördinator nodig",
    "this invite code is unknown or no longer valid; ask your coordinator for a new one": (
        "deze uitnodigingscode is onbekend of niet meer geldig; vraag je coördinator om een nieuwe"
    ),
    "you are already a member of this group": "je bent al deelnemer van deze groep",
    "you are the last coordinator of {}: make another member coordinator first, then delete your account": (
        "je bent de laatste coördinator van {}: maak eerst een andere deelnemer coördinator en verwijder dan je account"
    ),
    # Patrols and schedules.
    "a {} patrol cannot become {}": "een ronde die {} is, kan niet {} worden",
    "must be after starts_at": "moet na starts_at liggen",
    "a patrol lasts at most 12 hours": "een ronde duurt hoogstens 12 uur",
    "must be in the future": "moet in de toekomst liggen",
    "must be at least min_team": "moet minstens min_team zijn",
    "a different patrol exists with this id": "er is al een andere ronde met deze id",
    "only planned patrols can be changed; this one is {}": (
        "alleen geplande rondes kunnen worden gewijzigd; deze is {}"
    ),
    "more people are on the team than this maximum: remove someone first": (
        "er staan meer mensen in het team dan dit maximum: haal eerst iemand van de ronde af"
    ),
    "already on a patrol at that time": "je loopt op dat moment al een andere ronde",
    "after {} missed patrols you can hold one upcoming patrol at a time; talk to your coordinator": (
        "na {} gemiste rondes kun je je voor één komende ronde tegelijk aanmelden; overleg met je coördinator"
    ),
    "the patrol is full: raise its maximum first": "de ronde is vol: verhoog eerst het maximum",
    "this patrol is no longer open for sign-up": "aanmelden voor deze ronde kan niet meer",
    "you are not signed up for this patrol": "je bent niet aangemeld voor deze ronde",
    "this patrol is {}; tell your coordinator": "deze ronde is {}; laat het je coördinator weten",
    "withdrawing closes {} hours before the start; call your coordinator instead": (
        "afmelden kan tot {} uur voor het begin; bel nu je coördinator"
    ),
    "not an active member of this group": "geen actieve deelnemer van deze groep",
    "this patrol is {}": "deze ronde is {}",
    "only the patrol's team checks in": "alleen het team van de ronde checkt in",
    "check-in opens 30 minutes before the start and closes 2 hours after the end": (
        "inchecken kan vanaf 30 minuten voor het begin tot 2 uur na het einde"
    ),
    "only the patrol's team checks out": "alleen het team van de ronde checkt uit",
    "check in first": "check eerst in",
    "a cancelled patrol has no no-shows": "een geannuleerde ronde heeft geen no-shows",
    "no-shows can be marked once the patrol has started": "no-shows kun je aangeven zodra de ronde begonnen is",
    "item {} is not on this patrol's team": "nummer {} staat niet in het team van deze ronde",
    "item {} checked in": "nummer {} heeft ingecheckt",
    "must not be before starts_on": "mag niet voor starts_on liggen",
    "a different schedule exists with this id": "er is al een ander rooster met deze id",
    "this schedule has ended": "dit rooster is beëindigd",
    "{} takes whole numbers from {}": "{} neemt hele getallen van {}",
    "{} takes whole numbers from {}; {} is out of range": "{} neemt hele getallen van {}; {} valt erbuiten",
    "{} takes one whole number from {} to {}": "{} neemt één heel getal van {} tot en met {}",
    "BYDAY takes weekdays MO, TU, WE, TH, FR, SA, SU, e.g. BYDAY=TU,FR": (
        "BYDAY neemt weekdagen MO, TU, WE, TH, FR, SA, SU, bijvoorbeeld BYDAY=TU,FR"
    ),
    "a numbered weekday (e.g. 1MO, -1FR) needs FREQ=MONTHLY": (
        "een genummerde weekdag (bijvoorbeeld 1MO, -1FR) vraagt FREQ=MONTHLY"
    ),
    "a month has at most five of each weekday: number them 1 to 5 or -1 to -5": (
        "een maand heeft hoogstens vijf keer dezelfde weekdag: nummer ze 1 tot en met 5 of -1 tot en met -5"
    ),
    "give either weekdays (MO) or numbered weekdays (1MO) in BYDAY, not both": (
        "geef in BYDAY weekdagen (MO) of genummerde weekdagen (1MO), niet allebei"
    ),
    "leave DTSTART and UNTIL out: use starts_on and ends_on": "laat DTSTART en UNTIL weg: gebruik starts_on en ends_on",
    "not a valid RRULE: {} is not NAME=VALUE": "geen geldige RRULE: {} is niet NAAM=WAARDE",
    "{} is given twice": "{} staat er twee keer in",
    "FREQ must be DAILY, WEEKLY or MONTHLY": "FREQ moet DAILY, WEEKLY of MONTHLY zijn",
    "set the time with start_time, not BYHOUR/BYMINUTE/BYSECOND": (
        "stel de tijd in met start_time, niet met BYHOUR/BYMINUTE/BYSECOND"
    ),
    "BYYEARDAY and BYWEEKNO belong to yearly rules; use BYMONTH, BYMONTHDAY or BYDAY": (
        "BYYEARDAY en BYWEEKNO horen bij jaarlijkse regels; gebruik BYMONTH, BYMONTHDAY of BYDAY"
    ),
    "unknown part {}; a rule takes {}": "onbekend onderdeel {}; een regel neemt {}",
    "WKST takes one weekday: MO, TU, WE, TH, FR, SA or SU": "WKST neemt één weekdag: MO, TU, WE, TH, FR, SA of SU",
    "BYMONTHDAY does not go with FREQ=WEEKLY; use BYDAY, or FREQ=MONTHLY": (
        "BYMONTHDAY past niet bij FREQ=WEEKLY; gebruik BYDAY, of FREQ=MONTHLY"
    ),
    "BYSETPOS picks from the days BYDAY, BYMONTHDAY or BYMONTH give: add one": (
        "BYSETPOS kiest uit de dagen die BYDAY, BYMONTHDAY of BYMONTH geven: voeg er een toe"
    ),
    "not a valid RRULE: {}": "geen geldige RRULE: {}",
    "give one RRULE": "geef één RRULE",
    "this rule makes no patrol within a year of starts_on": "deze regel maakt binnen een jaar na starts_on geen ronde",
    # Swaps.
    "swaps are only for patrols that have not started": "ruilen kan alleen voor rondes die nog niet begonnen zijn",
    "you can only offer a place you have on the team": "je kunt alleen een plek aanbieden die je zelf in het team hebt",
    "you already offered this place; withdraw that offer first": (
        "je hebt deze plek al aangeboden; trek dat aanbod eerst in"
    ),
    "choose someone else": "kies iemand anders",
    "they are on this patrol's team already": "die staat al in het team van deze ronde",
    "no patrol of this group with this id": "deze groep heeft geen ronde met deze id",
    "the other person is not on that patrol's team": "de ander staat niet in het team van die ronde",
    "the place on offer is no longer on the team": "de aangeboden plek staat niet meer in het team",
    "you are already on that patrol's team": "je staat al in het team van die ronde",
    "only the person the place was offered to can accept": "alleen wie de plek aangeboden kreeg, kan die aannemen",
    "this swap is {}": "deze ruil is {}",
    "only the person the place was offered to can decline": "alleen wie de plek aangeboden kreeg, kan die afslaan",
    "only the person who offered the place can withdraw the offer": (
        "alleen wie de plek aanbood, kan het aanbod intrekken"
    ),
    # Notes.
    "item {}: unknown category {}": "nummer {}: onbekende categorie {}",
    "unknown category; see GET /api/v1/note-categories": "onbekende categorie; zie GET /api/v1/note-categories",
    "domestic violence is never recorded here: call Veilig Thuis (0800-2000), or 112 in immediate danger": (
        "huiselijk geweld leg je hier nooit vast: bel Veilig Thuis (0800-2000), of 112 bij direct gevaar"
    ),
    "this group does not use this category": "deze groep gebruikt deze categorie niet",
    "lies in the future": "ligt in de toekomst",
    "lies more than {} hours back": "ligt meer dan {} uur terug",
    "give latitude and longitude together": "geef breedtegraad en lengtegraad allebei",
    "say where: a location (lat, lon) or a street description": (
        "zeg waar: een locatie (lat, lon) of een omschrijving van de straat"
    ),
    "a different note exists with this id": "er is al een andere waarneming met deze id",
    "admins see counts of notes only": "beheerders zien alleen aantallen waarnemingen",
    "only the author edits a note; add a comment instead": (
        "alleen wie de waarneming schreef, kan die wijzigen; voeg een opmerking toe"
    ),
    "notes can be edited for {} minutes; add a comment instead": (
        "een waarneming kun je {} minuten lang wijzigen; voeg nu een opmerking toe"
    ),
    "the author or a coordinator shares a note with the wijkagent": (
        "wie de waarneming schreef of een coördinator deelt die met de wijkagent"
    ),
    "a note held for review cannot be shared; edit it or ask your coordinator": (
        "een waarneming die wacht op beoordeling kan niet worden gedeeld; wijzig hem of vraag het je coördinator"
    ),
    "coordinators follow notes up": "coördinatoren volgen waarnemingen op",
    "a note that is {} cannot become {}": "een waarneming die {} is, kan niet {} worden",
    "coordinators review held notes": "coördinatoren beoordelen waarnemingen die wachten",
    "this note is not held for review": "deze waarneming wacht niet op beoordeling",
    "a note that is {} cannot be closed": "een waarneming die {} is, kan niet worden afgesloten",
    "only the author adds photos": "alleen wie de waarneming schreef, voegt foto's toe",
    "photos can be added while the note can be edited": "foto's toevoegen kan zolang de waarneming te wijzigen is",
    "a note takes at most {} photos": "een waarneming heeft hoogstens {} foto's",
    "only JPEG and PNG photos are accepted": "alleen foto's in JPEG en PNG worden aangenomen",
    "the file is not a readable JPEG or PNG image": "het bestand is geen leesbare JPEG- of PNG-afbeelding",
    "the photo is {}x{} pixels ({} megapixels): at most {} megapixels are accepted, which a phone photo at its "
    "usual size is": (
        "de foto is {}x{} pixels ({} megapixel): hoogstens {} megapixel wordt aangenomen, en dat is een "
        "telefoonfoto op zijn gewone formaat"
    ),
    "the photo has more than {} megapixels: at most {} megapixels are accepted, which a phone photo at its usual "
    "size is": (
        "de foto heeft meer dan {} megapixel: hoogstens {} megapixel wordt aangenomen, en dat is een "
        "telefoonfoto op zijn gewone formaat"
    ),
    # Forwarding notes to the municipality.
    "coordinators forward notes to the municipality; authors too where their group allows it": (
        "coördinatoren sturen waarnemingen door naar de gemeente; wie ze schreef ook, als de groep dat toestaat"
    ),
    "only the note's author can agree to be contacted by the municipality": (
        "alleen wie de waarneming schreef, kan ermee instemmen dat de gemeente contact opneemt"
    ),
    "a note held for review is not forwarded; release it first": (
        "een waarneming die wacht op beoordeling wordt niet doorgestuurd; geef hem eerst vrij"
    ),
    "this municipality takes no forwarded notes (no forwarding target is configured)": (
        "deze gemeente neemt geen doorgestuurde waarnemingen aan (er is geen bestemming ingesteld)"
    ),
    "{} places every report on the map and this note has no location: send lat and lon of the place": (
        "{} zet elke melding op de kaart en deze waarneming heeft geen locatie: stuur lat en lon van de plek"
    ),
    "{} needs to know where: send lat and lon of the place": "{} moet weten waar: stuur lat en lon van de plek",
    "a forward that is {} cannot be sent again": "een doorzending die {} is, kan niet opnieuw worden verstuurd",
    "{} has no counterpart for {}/{}; subjects: {}": "{} heeft niets dat past bij {}/{}; onderwerpen: {}",
    "say what it is, for {}: one of {}": "zeg voor {} wat het is: een van {}",
    "{} takes no notes of category {} from here": "{} neemt van hieruit geen waarnemingen aan in categorie {}",
    "only the note's author answers whether it is fixed": "alleen wie de waarneming schreef, zegt of het is opgelost",
    "this note was not asked whether it is fixed": "over deze waarneming is niet gevraagd of het is opgelost",
    # Alerts.
    "describe behaviour, clothing, direction and vehicle, not origin or appearance alone (beschrijf gedrag, "
    "kleding, richting en vervoer, niet alleen afkomst of uiterlijk)": (
        "beschrijf gedrag, kleding, richting en vervoer, niet alleen afkomst of uiterlijk"
    ),
    "you coordinate no group with this id": "je bent van geen groep met deze id coördinator",
    "only a wijkagent (for their areas) or a coordinator (for their group's area) starts alerts": (
        "alleen een wijkagent (voor de eigen gebieden) of een coördinator (voor het gebied van de groep) start "
        "een melding"
    ),
    "you coordinate several groups: say for which one": "je bent coördinator van meer groepen: zeg voor welke",
    "a different alert exists with this id": "er is al een andere melding met deze id",
    "you may only alert the areas you serve (wijkagent) or your group's area (coordinator)": (
        "je mag alleen een melding doen voor je eigen gebieden (wijkagent) of het gebied van je groep (coördinator)"
    ),
    "at most {} alerts an hour; try again later": "hoogstens {} meldingen per uur; probeer het later opnieuw",
    "an alert like this is already open for this area: update that one": (
        "er loopt al zo'n melding voor dit gebied: vul die aan"
    ),
    "only the issuer or the area's wijkagent steers an alert": (
        "alleen wie de melding deed of de wijkagent van het gebied stuurt een melding bij"
    ),
    "this alert is {}": "deze melding is {}",
    "only people the alert reached can answer it": "alleen wie de melding kreeg, kan erop reageren",
    "a different tip exists with this id": "er is al een andere tip met deze id",
    "tip not found": "tip niet gevonden",
    "only the tip's sender adds its photo": "alleen wie de tip stuurde, voegt er een foto aan toe",
    "you receive no alerts for this area": "je krijgt geen meldingen voor dit gebied",
    "subscribe to a wijk or dorp: only the area is kept, never an address": (
        "abonneer je op een wijk of dorp: alleen het gebied wordt bewaard, nooit een adres"
    ),
    "give either area_ids or circle": "geef area_ids of circle, niet allebei",
    # Areas: what only their wijkagent (and admins) read.
    "only admins and the area's wijkagent see this": "alleen beheerders en de wijkagent van het gebied zien dit",
    "only the area's wijkagent sees this": "alleen de wijkagent van het gebied ziet dit",
    # Summaries.
    "a month as YYYY-MM, e.g. 2026-11": "een maand als JJJJ-MM, bijvoorbeeld 2026-11",
}


class Wording:
    """A catalogue message whose words are chosen once the reader is known: the error handler renders it in
    the reader's language (`request_locale`). For a refusal whose holes are themselves words or moments
    ("Aanmelden kan vanaf di 10 nov 20:00")."""

    def __init__(self, key: str, **params: Any) -> None:
        if key not in CATALOGUE:
            raise KeyError(key)
        self.key = key
        self.params = params

    def render(self, locale: str | None) -> str:
        return text(self.key, locale, **self.params)

    def __str__(self) -> str:
        return self.render("en")

    def __repr__(self) -> str:
        return f"Wording({self.key!r})"


def _pattern(message_id: str) -> re.Pattern[str]:
    parts = []
    for literal, field, _spec, _conversion in string.Formatter().parse(message_id):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append("(.*?)")
    return re.compile(r"\A" + "".join(parts) + r"\Z", re.DOTALL)


# Ids without holes are looked up; the others are tried as anchored patterns, most literal text first, so
# "this patrol is {}; tell your coordinator" is tried before "this patrol is {}".
_EXACT = {message_id: dutch for message_id, dutch in ERRORS.items() if "{" not in message_id}
_WITH_HOLES = sorted(
    ((_pattern(message_id), dutch) for message_id, dutch in ERRORS.items() if "{" in message_id),
    key=lambda pattern_and_dutch: -len(re.sub(r"\(\.\*\?\)|\\", "", pattern_and_dutch[0].pattern)),
)


def translate(message: str, locale: str | None) -> str:
    """An English error message (as rendered) in the reader's language; unknown texts stay as they are."""
    if _locale(locale) == "en":
        return message
    found = _EXACT.get(message)
    if found is not None:
        return found
    for pattern, dutch in _WITH_HOLES:
        matched = pattern.match(message)
        if matched:
            return dutch.format(*matched.groups())
    return message


def localized(value: Any, locale: str | None) -> Any:
    """An error's message or its `errors`, every text in it in the reader's language."""
    if isinstance(value, Wording):
        return value.render(locale)
    if isinstance(value, str):
        return translate(value, locale)
    if isinstance(value, dict):
        return {key: localized(item, locale) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [localized(item, locale) for item in value]
    return value


def _person_locale() -> str | None:
    person = flask.g.get("person")
    if person is None:
        return None
    # Read without loading: after a rollback the row is expired, and the database may be what failed.
    state = sa_inspect(person, raiseerr=False)
    locale = state.dict.get("locale") if state is not None else getattr(person, "locale", None)
    return str(locale) if locale in LOCALES else None


def request_locale() -> str:
    """The language to answer this request in: Accept-Language when it names nl or en (by its q-order;
    nl-NL and en-GB count), else the signed-in person's language, else Dutch."""
    if not flask.has_request_context():
        return DEFAULT_LOCALE
    for tag, quality in flask.request.accept_languages:
        primary = tag.replace("_", "-").split("-", 1)[0].lower()
        if quality > 0 and primary in LOCALES:
            return primary
    return flask.g.get("reader_locale") or _person_locale() or DEFAULT_LOCALE


def remember_reader() -> None:
    """Keep the signed-in person's language for this request's error answer, before a rollback expires them."""
    if flask.has_request_context() and "reader_locale" not in flask.g:
        locale = _person_locale()
        if locale is not None:
            flask.g.reader_locale = locale
