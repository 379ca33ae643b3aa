"""The summary as a person reads it: one renderer for the e-mail (HTML for a phone, text, CSV, chart) and its preview.

The HTML is e-mail-safe: inline styles only, no media queries, and no table wider than a 320 px phone
(label and number in two columns, a month per column with a short header). Numbers and dates are
written the reader's way by Babel: 7,5 in Dutch, 7.5 in English.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
from dataclasses import dataclass
from typing import Any

from babel.dates import format_date, format_datetime

from buurtwacht import spreadsheets
from buurtwacht.localtime import local_zone
from buurtwacht.messages import month_name, number, text
from buurtwacht.summaries.service import shift_month

CHART_CID = "summary-chart@buurtwacht"


@dataclass(frozen=True)
class File:
    name: str  # an attachment's file name, or an inline image's Content-ID
    content_type: str
    data: bytes


@dataclass(frozen=True)
class SummaryMail:
    """Everything the e-mail holds: mailing queues it, `flask summary preview` writes it."""

    subject: str
    text: str
    html: str  # refers to the chart as cid:CHART_CID
    chart: File
    attachment: File

    def html_with_chart(self) -> str:
        """The HTML as a mail app shows it: the chart's cid: reference filled in with the image itself."""
        data = base64.b64encode(self.chart.data).decode("ascii")
        return self.html.replace(f"cid:{self.chart.name}", f"data:{self.chart.content_type};base64,{data}")


def mail(summary: dict[str, Any], locale: str) -> SummaryMail:
    return SummaryMail(
        subject=subject(summary, locale),
        text=plain(summary, locale),
        html=html_page(summary, locale),
        chart=File(CHART_CID, "image/png", chart_png(summary, locale)),
        attachment=File(
            text("summary.attachment", locale, month=summary["month"]),
            spreadsheets.CONTENT_TYPE,
            csv_bytes(summary, locale),
        ),
    )


def _year_month(summary: dict[str, Any]) -> tuple[int, int]:
    year, month = (int(x) for x in summary["month"].split("-"))
    return year, month


def _month(summary: dict[str, Any], locale: str) -> str:
    return month_name(*_year_month(summary), locale)


def _short_month(year: int, month: int, locale: str) -> str:
    """A column header a phone has room for: 'okt 2026'."""
    return format_date(dt.date(year, month, 1), "LLL y", locale=locale)


def _moment(moment: Any, locale: str) -> str:
    """'15 okt 20:00', in local time."""
    return format_datetime(moment, "d MMM HH:mm", tzinfo=local_zone(), locale=locale)


def subject(summary: dict[str, Any], locale: str) -> str:
    return text("summary.subject", locale, group=summary["group"]["name"], month=_month(summary, locale))


def _outcome(alert: dict[str, Any], locale: str) -> str:
    ending = alert["outcome"] or alert["status"]
    return text(f"alert.outcome.{ending}", locale) if ending != "open" else text("summary.alert_open", locale)


def _forwarding_facts(forwarding: dict[str, Any], locale: str) -> list[tuple[str, Any]]:
    """The month's forwarding totals as (label, number); the median only when something was fixed."""
    names = ["forwarded", "answered", "fixed", "fixed_by_author", "still_open", "median_days_to_fix"]
    return [
        (text(f"summary.forwarding.{name}", locale), forwarding[name])
        for name in names
        if forwarding[name] is not None and (name != "fixed_by_author" or forwarding[name])
    ]


def _forwarding_counts(row: dict[str, Any], locale: str) -> str:
    return text(
        "summary.forwarding_counts",
        locale,
        **{k: number(row[k], locale) for k in ("forwarded", "fixed", "still_open")},
    )


def plain(summary: dict[str, Any], locale: str) -> str:
    t = lambda key, **kw: text(key, locale, **kw)  # noqa: E731 - a short alias reads better below
    n = lambda value: number(value, locale)  # noqa: E731
    p = summary["patrols"]
    notes = summary["notes"]
    lines = [
        subject(summary, locale),
        "",
        t("summary.intro", group=summary["group"]["name"], month=_month(summary, locale)),
        "",
        t(
            "summary.patrols_line",
            planned=n(p["planned"]),
            walked=n(p["walked"]),
            cancelled=n(p["cancelled"]),
            hours=n(p["hours"]),
            volunteers=n(p["active_volunteers"]),
        ),
        "",
        t(
            "summary.notes_line",
            count=n(notes["total"]),
            previous=n(notes["previous_month_total"]),
            last_year=n(notes["same_month_last_year_total"]),
        ),
    ]
    for row in notes["by_category"]:
        lines.append(
            t(
                "summary.category_line",
                category=row["label"][locale],
                count=n(row["count"]),
                previous=n(row["previous_month"]),
                last_year=n(row["same_month_last_year"]),
            )
        )
    lines += ["", t("summary.where")]
    lines += [f"- {place['place']}: {n(place['count'])}" for place in summary["where"]["places"]]
    if summary["where"]["elsewhere"]:
        lines.append(t("summary.elsewhere", count=n(summary["where"]["elsewhere"])))
    lines += ["", t("summary.follow_up")]
    lines += [f"- {t('summary.status.' + s)}: {n(count)}" for s, count in summary["follow_up"].items()]
    lines += ["", t("summary.forwarding")]
    forwarding = summary["forwarding"]
    if not forwarding["by_category"]:
        lines.append(t("summary.forwarding.none"))
    else:
        lines += [f"- {label}: {n(value)}" for label, value in _forwarding_facts(forwarding, locale)]
        lines += [f"- {row['label'][locale]}: {_forwarding_counts(row, locale)}" for row in forwarding["by_category"]]
    lines += ["", t("summary.alerts")]
    if not summary["alerts"]:
        lines.append(t("summary.no_alerts"))
    for alert in summary["alerts"]:
        lines.append(f"- {_moment(alert['created_at'], locale)} · {alert['headline']} · {_outcome(alert, locale)}")
    lines += ["", t("summary.priorities")]
    if not summary["priorities"]:
        lines.append(t("summary.no_priorities"))
    lines += [f"- {row['label'][locale]}: {n(row['count'])}" for row in summary["priorities"]]
    lines += ["", t("summary.footer")]
    return "\n".join(lines) + "\n"


# Inline styles only: many mail apps drop <style> blocks and ignore media queries.
_TABLE = (
    'width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;border-collapse:collapse;font-size:15px"'
)
_TH = "padding:4px 6px;border-bottom:1px solid #ccc;font-weight:bold;vertical-align:bottom"
_TD = "padding:4px 6px;border-bottom:1px solid #eee;vertical-align:top"
_TEXT = "text-align:left"
# What people typed (a headline, a place) may hold a word longer than a phone is wide: it wraps anywhere.
_TYPED = "text-align:left;word-break:break-word;overflow-wrap:anywhere"
_NUMBER = "text-align:right;white-space:nowrap"
_NUMBER_HEADER = "text-align:right"  # 'okt 2026' may wrap, the numbers under it never
_H2 = "font-size:18px;margin:20px 0 6px"


def _row(cells: list[tuple[str, bool]], tag: str, style: str, typed: bool = False) -> str:
    """One table row; `typed`: its first column is what people typed, not the catalogue's words."""
    number_style = _NUMBER_HEADER if tag == "th" else _NUMBER
    return "<tr>" + "".join(
        f'<{tag} style="{style};{number_style if numeric else _TYPED if typed and i == 0 else _TEXT}">{value}</{tag}>'
        for i, (value, numeric) in enumerate(cells)
    ) + "</tr>"  # fmt: skip


def _table(
    headers: list[str], rows: list[list[Any]], numeric: tuple[bool, ...], locale: str, typed: bool = False
) -> str:
    """A data table: a header row, then rows whose numbers are written the reader's way and right-aligned."""

    def show(value: Any) -> str:
        return html.escape(number(value, locale) if isinstance(value, int | float) else str(value))

    head = _row([(html.escape(h), numeric[i]) for i, h in enumerate(headers)], "th", _TH) if headers else ""
    body = "".join(_row([(show(v), numeric[i]) for i, v in enumerate(row)], "td", _TD, typed) for row in rows)
    return f"<table {_TABLE}>{head}{body}</table>"


def _facts(pairs: list[tuple[str, Any]], locale: str) -> str:
    """Label and number, one pair a row: fits any phone however long the labels are."""
    return _table([], [[label, value] for label, value in pairs], (False, True), locale)


def html_page(summary: dict[str, Any], locale: str) -> str:
    t = lambda key, **kw: text(key, locale, **kw)  # noqa: E731
    e = html.escape
    p = summary["patrols"]
    year, month = _year_month(summary)
    months = [
        _short_month(year, month, locale),
        _short_month(*shift_month(year, month, -1), locale),
        _short_month(year - 1, month, locale),
    ]
    sections = [
        f'<h1 style="font-size:22px;margin:0 0 8px">{e(subject(summary, locale))}</h1>',
        f'<p style="color:#444;margin:0 0 8px">'
        f"{e(t('summary.intro', group=summary['group']['name'], month=_month(summary, locale)))}</p>",
        f'<h2 style="{_H2}">{e(t("summary.patrols"))}</h2>',
        _facts(
            [
                (t("summary.planned"), p["planned"]),
                (t("summary.walked"), p["walked"]),
                (t("summary.cancelled"), p["cancelled"]),
                (t("summary.hours"), p["hours"]),
                (t("summary.volunteers"), p["active_volunteers"]),
            ],
            locale,
        ),
        f'<h2 style="{_H2}">{e(t("summary.notes"))}: {e(number(summary["notes"]["total"], locale))}</h2>',
        f'<img src="cid:{CHART_CID}" alt="{e(t("summary.chart_title"))}" width="100%" '
        'style="display:block;width:100%;max-width:560px;height:auto;border:0">',
        # The months as headers: short enough for a phone, and plain about which month is which.
        _table(
            [t("summary.category"), *months],
            [
                [r["label"][locale], r["count"], r["previous_month"], r["same_month_last_year"]]
                for r in summary["notes"]["by_category"]
            ],
            (False, True, True, True),
            locale,
        ),
        f'<h2 style="{_H2}">{e(t("summary.where"))}</h2>',
        _table(
            [t("summary.place"), t("summary.this_month")],
            [[place["place"], place["count"]] for place in summary["where"]["places"]],
            (False, True),
            locale,
            typed=True,
        ),
    ]
    if summary["where"]["elsewhere"]:
        sections.append(f"<p>{e(t('summary.elsewhere', count=number(summary['where']['elsewhere'], locale)))}</p>")
    sections.append(f'<h2 style="{_H2}">{e(t("summary.follow_up"))}</h2>')
    sections.append(_facts([(t("summary.status." + s), n) for s, n in summary["follow_up"].items()], locale))
    sections.append(f'<h2 style="{_H2}">{e(t("summary.forwarding"))}</h2>')
    forwarding = summary["forwarding"]
    if not forwarding["by_category"]:
        sections.append(f"<p>{e(t('summary.forwarding.none'))}</p>")
    else:
        sections.append(_facts(_forwarding_facts(forwarding, locale), locale))
        # Per category one line of words, not a column per figure: four headers do not fit a 320 px phone.
        rows = "".join(
            f'<tr><td style="{_TD};{_TEXT}"><b>{e(row["label"][locale])}</b><br>'
            f'<span style="color:#555">{e(_forwarding_counts(row, locale))}</span></td></tr>'
            for row in forwarding["by_category"]
        )
        sections.append(f"<table {_TABLE}>{rows}</table>")
    sections.append(f'<h2 style="{_H2}">{e(t("summary.alerts"))}</h2>')
    if summary["alerts"]:
        rows = "".join(
            f'<tr><td style="{_TD};text-align:left;white-space:nowrap">{e(_moment(a["created_at"], locale))}</td>'
            f'<td style="{_TD};{_TYPED}">{e(a["headline"] or "")}<br>'
            f'<span style="color:#555">{e(_outcome(a, locale))}</span></td></tr>'
            for a in summary["alerts"]
        )
        head = _row([(e(t("summary.alert_when")), False), (e(t("summary.alert")), False)], "th", _TH)
        sections.append(f"<table {_TABLE}>{head}{rows}</table>")
    else:
        sections.append(f"<p>{e(t('summary.no_alerts'))}</p>")
    sections.append(f'<h2 style="{_H2}">{e(t("summary.priorities"))}</h2>')
    if summary["priorities"]:
        sections.append(
            _table(
                [t("summary.category"), t("summary.this_month")],
                [[r["label"][locale], r["count"]] for r in summary["priorities"]],
                (False, True),
                locale,
            )
        )
    else:
        sections.append(f"<p>{e(t('summary.no_priorities'))}</p>")
    sections.append(f'<p style="color:#666;font-size:13px;margin-top:20px">{e(t("summary.footer"))}</p>')
    body = "\n".join(sections)
    return (
        f'<!doctype html><html lang="{locale}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(subject(summary, locale))}</title></head>"
        '<body style="margin:0;padding:12px;font-family:-apple-system,Segoe UI,Roboto,Arial,sans-serif;color:#222">'
        f'<div style="max-width:600px;margin:0 auto">{body}</div></body></html>\n'
    )


def csv_bytes(summary: dict[str, Any], locale: str) -> bytes:
    """Notes per category for a spreadsheet: the month as a date (its first day), then the counts."""
    first_day = dt.date(*_year_month(summary), 1)
    columns = ("month", "category", "count", "previous_month", "same_month_last_year")
    return spreadsheets.csv_bytes(
        [text(f"export.summary.{c}", locale) for c in columns],
        (
            (first_day, row["label"][locale], row["count"], row["previous_month"], row["same_month_last_year"])
            for row in summary["notes"]["by_category"]
        ),
        locale,
    )


def chart_png(summary: dict[str, Any], locale: str) -> bytes:
    """Notes per category, this month beside last month, drawn with matplotlib (no display needed).

    Drawn 4.2 inches wide at 150 dpi: shown at a phone's width, its letters stay readable.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    rows = summary["notes"]["by_category"][:10]
    figure = Figure(figsize=(4.2, 0.42 * max(len(rows), 2) + 1.1), dpi=150)
    axes = figure.subplots()
    labels = [r["label"][locale] for r in rows][::-1]
    positions = range(len(rows))
    axes.barh(
        [y + 0.2 for y in positions],
        [r["count"] for r in rows][::-1],
        height=0.4,
        label=text("summary.this_month", locale),
        color="#1f6f8b",
    )
    axes.barh(
        [y - 0.2 for y in positions],
        [r["previous_month"] for r in rows][::-1],
        height=0.4,
        label=text("summary.previous_month", locale),
        color="#c7d9e0",
    )
    axes.set_yticks(list(positions), labels, fontsize=8)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.5 on the axis
    axes.tick_params(axis="x", labelsize=8)
    axes.set_title(text("summary.chart_title", locale), fontsize=10)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=8, frameon=False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()
