"""The summary as a person reads it: an HTML e-mail for a phone, a plain-text part, a CSV and a chart."""

from __future__ import annotations

import csv
import html
import io
from typing import Any

from buurtwacht.localtime import to_local
from buurtwacht.messages import month_name, text

CHART_CID = "summary-chart@buurtwacht"


def _month(summary: dict[str, Any], locale: str) -> str:
    year, month = (int(x) for x in summary["month"].split("-"))
    return month_name(year, month, locale)


def subject(summary: dict[str, Any], locale: str) -> str:
    return text("summary.subject", locale, group=summary["group"]["name"], month=_month(summary, locale))


def _outcome(alert: dict[str, Any], locale: str) -> str:
    ending = alert["outcome"] or alert["status"]
    return text(f"alert.outcome.{ending}", locale) if ending != "open" else "open"


def plain(summary: dict[str, Any], locale: str) -> str:
    t = lambda key, **kw: text(key, locale, **kw)  # noqa: E731 - a short alias reads better below
    p = summary["patrols"]
    lines = [
        subject(summary, locale),
        "",
        t("summary.intro", group=summary["group"]["name"], month=_month(summary, locale)),
        "",
        f"{t('summary.patrols')}: {t('summary.planned')} {p['planned']}, {t('summary.walked')} {p['walked']}, "
        f"{t('summary.cancelled')} {p['cancelled']}; {t('summary.hours')} {p['hours']}; "
        f"{t('summary.volunteers')} {p['active_volunteers']}",
        "",
        f"{t('summary.notes')} ({summary['notes']['total']}; {t('summary.previous_month')} "
        f"{summary['notes']['previous_month_total']}; "
        f"{t('summary.last_year')} {summary['notes']['same_month_last_year_total']})",
    ]
    for row in summary["notes"]["by_category"]:
        lines.append(
            f"- {row['label'][locale]}: {row['count']} ({t('summary.previous_month')} {row['previous_month']}, "
            f"{t('summary.last_year')} {row['same_month_last_year']})"
        )
    lines += ["", t("summary.where")]
    lines += [f"- {place['place']}: {place['count']}" for place in summary["where"]["places"]]
    if summary["where"]["elsewhere"]:
        lines.append(t("summary.elsewhere", count=summary["where"]["elsewhere"]))
    lines += ["", t("summary.follow_up")]
    lines += [f"- {t('summary.status.' + s)}: {n}" for s, n in summary["follow_up"].items()]
    lines += ["", t("summary.alerts")]
    if not summary["alerts"]:
        lines.append(t("summary.no_alerts"))
    for alert in summary["alerts"]:
        lines.append(f"- {to_local(alert['created_at']):%d-%m %H:%M} {alert['headline']}: {_outcome(alert, locale)}")
    lines += ["", t("summary.priorities")]
    if not summary["priorities"]:
        lines.append(t("summary.no_priorities"))
    lines += [f"- {row['label'][locale]}: {row['count']}" for row in summary["priorities"]]
    lines += ["", t("summary.footer")]
    return "\n".join(lines) + "\n"


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(
        f'<th style="text-align:left;padding:4px 8px;border-bottom:1px solid #ccc">{html.escape(h)}</th>'
        for h in headers
    )
    body = "".join(
        "<tr>"
        + "".join(f'<td style="padding:4px 8px;border-bottom:1px solid #eee">{html.escape(str(c))}</td>' for c in row)
        + "</tr>"
        for row in rows
    )
    style = "width:100%;border-collapse:collapse;font-size:15px"
    return f'<table role="presentation" style="{style}"><tr>{head}</tr>{body}</table>'


def html_page(summary: dict[str, Any], locale: str, with_chart: bool = True) -> str:
    t = lambda key, **kw: text(key, locale, **kw)  # noqa: E731
    p = summary["patrols"]
    e = html.escape
    sections = [
        f'<h1 style="font-size:22px;margin:0 0 8px">{e(subject(summary, locale))}</h1>',
        f'<p style="color:#444">{e(t("summary.intro", group=summary["group"]["name"], month=_month(summary, locale)))}'
        "</p>",
        f'<h2 style="font-size:18px">{e(t("summary.patrols"))}</h2>',
        _table(
            [
                t("summary.planned"),
                t("summary.walked"),
                t("summary.cancelled"),
                t("summary.hours"),
                t("summary.volunteers"),
            ],
            [[p["planned"], p["walked"], p["cancelled"], p["hours"], p["active_volunteers"]]],
        ),
        f'<h2 style="font-size:18px">{e(t("summary.notes"))}: {summary["notes"]["total"]}</h2>',
    ]
    if with_chart:
        sections.append(
            f'<img src="cid:{CHART_CID}" alt="{e(t("summary.chart_title"))}" '
            'style="width:100%;max-width:560px;height:auto">'
        )
    sections.append(
        _table(
            [t("summary.category"), t("summary.this_month"), t("summary.previous_month"), t("summary.last_year")],
            [
                [r["label"][locale], r["count"], r["previous_month"], r["same_month_last_year"]]
                for r in summary["notes"]["by_category"]
            ],
        )
    )
    sections.append(f'<h2 style="font-size:18px">{e(t("summary.where"))}</h2>')
    sections.append(
        _table(["", t("summary.this_month")], [[pl["place"], pl["count"]] for pl in summary["where"]["places"]])
    )
    if summary["where"]["elsewhere"]:
        sections.append(f"<p>{e(t('summary.elsewhere', count=summary['where']['elsewhere']))}</p>")
    sections.append(f'<h2 style="font-size:18px">{e(t("summary.follow_up"))}</h2>')
    sections.append(
        _table([t("summary.status." + s) for s in summary["follow_up"]], [list(summary["follow_up"].values())])
    )
    sections.append(f'<h2 style="font-size:18px">{e(t("summary.alerts"))}</h2>')
    if summary["alerts"]:
        sections.append(
            _table(
                ["", t("summary.alerts"), ""],
                [
                    [f"{to_local(a['created_at']):%d-%m %H:%M}", a["headline"], _outcome(a, locale)]
                    for a in summary["alerts"]
                ],
            )
        )
    else:
        sections.append(f"<p>{e(t('summary.no_alerts'))}</p>")
    sections.append(f'<h2 style="font-size:18px">{e(t("summary.priorities"))}</h2>')
    if summary["priorities"]:
        sections.append(
            _table(
                [t("summary.category"), t("summary.this_month")],
                [[r["label"][locale], r["count"]] for r in summary["priorities"]],
            )
        )
    else:
        sections.append(f"<p>{e(t('summary.no_priorities'))}</p>")
    sections.append(f'<p style="color:#777;font-size:13px">{e(t("summary.footer"))}</p>')
    body = "\n".join(sections)
    return (
        f'<!doctype html><html lang="{locale}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
        f'<body style="margin:0;padding:16px;font-family:-apple-system,Segoe UI,Roboto,Arial,sans-serif;color:#222">'
        f'<div style="max-width:600px;margin:0 auto">{body}</div></body></html>'
    )


def csv_bytes(summary: dict[str, Any], locale: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["month", "category", "label", "count", "previous_month", "same_month_last_year"])
    for row in summary["notes"]["by_category"]:
        writer.writerow(
            [
                summary["month"],
                row["category"],
                row["label"][locale],
                row["count"],
                row["previous_month"],
                row["same_month_last_year"],
            ]
        )
    return out.getvalue().encode("utf-8")


def chart_png(summary: dict[str, Any], locale: str) -> bytes:
    """Notes per category, this month beside last month, drawn with matplotlib (no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    rows = summary["notes"]["by_category"][:10]
    figure = Figure(figsize=(6, 0.45 * max(len(rows), 2) + 1.2), dpi=100)
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
    axes.set_yticks(list(positions), labels)
    axes.set_title(text("summary.chart_title", locale))
    axes.legend(loc="lower right", fontsize=8)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
