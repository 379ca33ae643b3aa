"""Scheduled work for e-mail: send what is queued, every minute."""

from __future__ import annotations

from buurtwacht.mail.sender import send_pending
from buurtwacht.scheduler import Job


def send_mail() -> None:
    while send_pending()[0]:
        pass


JOBS = [Job("mail", send_mail, {"minute": "*"})]
