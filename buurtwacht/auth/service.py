"""Who is calling: the bearer token verified, the person found (or made on first sign-in)."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, request
from sqlalchemy import select

from buurtwacht import db
from buurtwacht.auth.verifier import IdentityVerifier, KeysUnavailable, TokenRejected
from buurtwacht.errors import Conflict, Forbidden, Unauthorized, Unavailable
from buurtwacht.models import Locale, Person


def verifier() -> IdentityVerifier:
    found: IdentityVerifier = current_app.extensions["buurtwacht.identity"]
    return found


def authenticate() -> Person:
    """Verify the request's bearer token and load its person into `g`; 401 when it fails."""
    if "person" in g:
        person: Person = g.person
        return person
    g.person = person_for_claims(verified_claims())
    return g.person  # type: ignore[no-any-return]


def verified_claims() -> dict[str, Any]:
    """The request's bearer token, verified once per request (the read cache asks first); 401 or 503."""
    if "token_claims" in g:
        claims: dict[str, Any] = g.token_claims
        return claims
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("sign in first: send 'Authorization: Bearer <Firebase ID token>'")
    try:
        g.token_claims = verifier().verify(token.strip())
    except TokenRejected as exc:
        raise Unauthorized(str(exc)) from exc
    except KeysUnavailable as exc:
        raise Unavailable(str(exc)) from exc
    return g.token_claims  # type: ignore[no-any-return]


def current_person() -> Person:
    person: Person = g.person
    return person


def require_admin() -> Person:
    person = current_person()
    if not person.is_admin:
        raise Forbidden("only municipal admins may do this")
    return person


def person_for_claims(claims: dict[str, Any]) -> Person:
    """The person behind verified claims; made on first sign-in, linked by e-mail if an admin named them."""
    session = db.session()
    uid = claims["uid"]
    person = session.scalars(select(Person).where(Person.firebase_uid == uid)).one_or_none()
    if person is not None:
        return person
    email = (claims.get("email") or "").strip().lower()
    if not email:
        raise Unauthorized("the ID token carries no e-mail address: sign in with e-mail")
    existing = session.scalars(select(Person).where(Person.email == email)).one_or_none()
    if existing is not None:
        # Only a verified address may claim a person an admin created by e-mail before sign-in.
        if existing.firebase_uid is None and claims.get("email_verified"):
            existing.firebase_uid = uid
            session.flush()
            return existing
        raise Conflict("this e-mail address belongs to another account; verify it or ask your coordinator")
    locale = Locale.EN if str(claims.get("locale", "")).lower().startswith("en") else Locale.NL
    person = Person(
        firebase_uid=uid,
        email=email,
        display_name=(claims.get("name") or email.split("@")[0])[:120],
        locale=locale,
    )
    session.add(person)
    session.flush()
    return person
