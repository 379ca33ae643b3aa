"""Queue an e-mail: the complete MIME message is stored, so what is sent is what was decided."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app
from sqlalchemy import select

from buurtwacht import db
from buurtwacht.models import Email


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. text/csv; charset=utf-8
    data: bytes


@dataclass(frozen=True)
class InlineImage:
    cid: str  # referenced from the HTML as cid:<cid>
    content_type: str
    data: bytes


# Line breaks and other control characters in a header value: the email package raises on CR/LF
# (header injection). Input refuses them in names since buurtwacht.api's text rules, but a group
# named before then may hold one; a header folds it to a space rather than fail the mail.
_NOT_IN_HEADER = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(value: str) -> str:
    """A header value on one line: each run of line breaks and control characters becomes a space."""
    return _NOT_IN_HEADER.sub(" ", value).strip()


def render(
    to: str, subject: str, text: str, html: str | None = None,
    attachments: tuple[Attachment, ...] = (), images: tuple[InlineImage, ...] = (),
) -> EmailMessage:  # fmt: skip
    message = EmailMessage()
    message["From"] = one_line(current_app.config["BUURTWACHT"].MAIL_FROM)
    message["To"] = one_line(to)
    message["Subject"] = one_line(subject)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="buurtwacht")
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
        if images:
            html_part = message.get_body(preferencelist=("html",))
            assert isinstance(html_part, EmailMessage)
            for image in images:
                maintype, subtype = image.content_type.split("/", 1)
                html_part.add_related(image.data, maintype=maintype, subtype=subtype, cid=f"<{image.cid}>")
    for attachment in attachments:
        mime, *parameters = (part.strip() for part in attachment.content_type.split(";"))
        maintype, subtype = mime.split("/", 1)
        # A text attachment names its charset (text/csv; charset=utf-8), or a mail app reads it as ASCII.
        params = dict(p.split("=", 1) for p in parameters if "=" in p)
        message.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename, params=params or None
        )
    return message


def queue(person_id: uuid.UUID | None, message: EmailMessage, dedupe_key: str | None = None) -> bool:
    """Queue a rendered message; False when a mail with this dedupe key was queued before."""
    session = db.session()
    if dedupe_key is not None and session.scalar(select(Email.id).where(Email.dedupe_key == dedupe_key)):
        return False
    session.add(
        Email(
            person_id=person_id,
            to_address=str(message["To"]),
            subject=str(message["Subject"]),
            # On the wire form (CRLF line ends): smtplib sends bytes exactly as given.
            message=message.as_bytes(policy=policy.SMTP),
            dedupe_key=dedupe_key,
        )
    )
    session.flush()
    return True
