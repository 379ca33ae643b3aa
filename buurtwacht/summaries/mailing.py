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
    rendered: dict[str, render.SummaryMail] = {}
    for person in service.recipients(group):
        locale = str(person.locale)
        if locale not in rendered:
            rendered[locale] = render.mail(summary, locale)
        parts = rendered[locale]
        message = outbox.render(
            to=person.email,
            subject=parts.subject,
            text=parts.text,
            html=parts.html,
            attachments=(
                outbox.Attachment(parts.attachment.name, parts.attachment.content_type, parts.attachment.data),
            ),
            images=(outbox.InlineImage(parts.chart.name, parts.chart.content_type, parts.chart.data),),
        )
        key = None if resend else f"summary:{group.id}:{summary['month']}:{person.id}"
        queued += outbox.queue(person.id, message, dedupe_key=key)
    return queued
