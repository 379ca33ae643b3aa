"""Development sign-in for the web console: the people to pick from and a local ID token for one of them.

Only when asked for (DEV_SIGN_IN=1, as `make demo` does) with AUTH_MODE=local outside production, like `flask
token`: anywhere else the endpoints answer 404.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from typing import Any

from flask import abort, current_app
from sqlalchemy import select

from buurtwacht import db
from buurtwacht.auth.service import verifier
from buurtwacht.models import Membership, MembershipRole, MembershipStatus, OfficerAssignment, Person


def require_local_mode() -> None:
    """404 unless the development sign-in was asked for (DEV_SIGN_IN=1) where local tokens may exist."""
    if not current_app.config["BUURTWACHT"].dev_sign_in:
        abort(404)


def people() -> list[dict[str, Any]]:
    """Everyone who can sign in (has a sign-in address), with what they do, by name."""
    require_local_mode()
    session = db.session()
    found = session.scalars(
        select(Person)
        .where((Person.verified_email.is_not(None)) | (Person.unverified_email.is_not(None)))
        .order_by(Person.display_name, Person.id)
    ).all()
    officers = set(session.scalars(select(OfficerAssignment.person_id).distinct()))
    roles: dict[uuid.UUID, set[str]] = {}
    for person_id, role in session.execute(
        select(Membership.person_id, Membership.role).where(Membership.status == MembershipStatus.ACTIVE)
    ):
        roles.setdefault(person_id, set()).add("coordinator" if role == MembershipRole.COORDINATOR else "volunteer")
    answer = []
    for person in found:
        held = roles.get(person.id, set())
        kinds = [
            kind
            for kind, has in (
                ("admin", person.is_admin),
                ("officer", person.id in officers),
                ("coordinator", "coordinator" in held),
                ("volunteer", "volunteer" in held),
            )
            if has
        ]
        answer.append(
            {"id": person.id, "display_name": person.display_name, "email": person.sign_in_email, "roles": kinds}
        )
    return answer


def token(person_id: uuid.UUID, lifetime_minutes: int) -> dict[str, Any]:
    """A local ID token for the person, as the Firebase SDK would hand it to the console after sign-in."""
    require_local_mode()
    person = db.session().get(Person, person_id)
    email = person.sign_in_email if person is not None else None
    if person is None or email is None:
        abort(404)
    settings = current_app.config["BUURTWACHT"]
    issued = time.time()
    lifetime = dt.timedelta(minutes=lifetime_minutes)
    signed = verifier().local_key.sign_id_token(
        settings.FIREBASE_PROJECT_ID,
        uid=person.firebase_uid or f"local-{email}",
        email=email,
        name=person.display_name,
        email_verified=person.email_verified,
        lifetime=lifetime,
        now=issued,
    )
    expires = dt.datetime.fromtimestamp(int(issued), dt.UTC) + lifetime
    return {"id_token": signed, "expires_at": expires}
