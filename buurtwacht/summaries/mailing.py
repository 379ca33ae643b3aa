"""Queue the summary e-mail for each recipient, in their language, once per group, month and person."""

from __future__ import annotations

from typing import Any

from buurtwacht.mail import outbox
from buurtwacht.models import Group
from buurtwacht.summaries import render, service


def queue_summary(
    group: Group, year: int, month: int, resend: bool = False, summary: dict[str, Any] | None = None
) -> int:
    """Queue the mails; a rerun queues nothing twice unless it is an explicit resend."""
    summary = summary or service.build(group, year, month)
    queued = 0
    charts: dict[str, bytes] = {}
    for person in service.recipients(group):
        locale = str(person.locale)
        if locale not in charts:
            charts[locale] = render.chart_png(summary, locale)
        message = outbox.render(
            to=person.email,
            subject=render.subject(summary, locale),
            text=render.plain(summary, locale),
            html=render.html_page(summary, locale),
            attachments=(
                outbox.Attachment(
                    f"maandoverzicht-{summary['month']}.csv", "text/csv", render.csv_bytes(summary, locale)
                ),
            ),
            images=(outbox.InlineImage(render.CHART_CID, "image/png", charts[locale]),),
        )
        key = None if resend else f"summary:{group.id}:{summary['month']}:{person.id}"
        queued += outbox.queue(person.id, message, dedupe_key=key)
    return queued
