"""The message catalogue: every text a person reads, Dutch first, English second."""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal

from buurtwacht.localtime import to_local

DEFAULT_LOCALE = "nl"

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
    return locale if locale in ("nl", "en") else DEFAULT_LOCALE


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
    for name, value in params.items():
        if name.endswith(MESSAGE_KEY_SUFFIX):
            formatted[name.removesuffix(MESSAGE_KEY_SUFFIX)] = text(value, loc)
            continue
        if name in MOMENT_PARAMS and isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        formatted[name] = when(value, loc) if isinstance(value, dt.datetime) else value
    return CATALOGUE[key][loc].format(**formatted)
