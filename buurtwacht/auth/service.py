"""Who is calling: the bearer token verified, the person found (or made on first sign-in)."""

from __future__ import annotations

from typing import Any

from flask import g
from sqlalchemy import select, update

from buurtwacht import db
from buurtwacht.auth import identities
from buurtwacht.auth.verifier import IdentityVerifier, KeysUnavailable, TokenRejected
from buurtwacht.context import here, this_app, this_request
from buurtwacht.errors import Conflict, Forbidden, Unauthorized, Unavailable
from buurtwacht.models import (
    Email,
    ErasedAccount,
    Locale,
    Membership,
    MembershipEvent,
    MembershipRole,
    MembershipStatus,
    OfficerAssignment,
    Person,
)
from buurtwacht.models.erasure import ERASURE_MEMORY, uid_hash


def verifier() -> IdentityVerifier:
    found: IdentityVerifier = this_app().extensions["buurtwacht.identity"]
    return found


def authenticate() -> Person:
    """Verify the request's bearer token and load its person into `g`; 401 when it fails."""
    state = here()
    if "person" in state:
        person: Person = state.person
        return person
    state.person = person_for_claims(verified_claims())
    return state.person  # type: ignore[no-any-return]


def verified_claims() -> dict[str, Any]:
    """The request's bearer token, verified once per request (the read cache asks first); 401 or 503."""
    state = here()
    if "token_claims" in state:
        claims: dict[str, Any] = state.token_claims
        return claims
    scheme, _, token = this_request().headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("sign in first: send 'Authorization: Bearer <Firebase ID token>'")
    try:
        state.token_claims = verifier().verify(token.strip())
    except TokenRejected as exc:
        raise Unauthorized(str(exc)) from exc
    except KeysUnavailable as exc:
        raise Unavailable(str(exc)) from exc
    return state.token_claims  # type: ignore[no-any-return]


def current_person() -> Person:
    person: Person = g.person
    return person


def require_admin() -> Person:
    person = current_person()
    if not person.is_admin:
        raise Forbidden("only municipal admins may do this")
    return person


def person_for_claims(claims: dict[str, Any]) -> Person:
    """The person behind verified claims: made on first sign-in, bound to an address once Firebase vouches for it.

    An unverified address is kept apart (`unverified_email`): it claims no invite and blocks nobody, so whoever
    verifies the address first holds it, and an admin can only ever name a verified person.
    """
    uid = claims["uid"]
    email = (claims.get("email") or "").strip().lower()
    verified = claims.get("email_verified") is True
    kept = identities.kept_person(uid, email, verified)
    if kept is not None:
        return kept
    session = db.session()
    person = session.scalars(select(Person).where(Person.firebase_uid == uid)).one_or_none()
    if person is not None:
        if person.verified_email is None and email:
            if verified:
                _bind_address(person, email)
                return person
            if person.unverified_email != email:
                person.unverified_email = email
                session.flush()
                return person
        identities.remember(uid, person)  # read, not changed: kept while people and their roles are unchanged
        return person
    if not email:
        raise Unauthorized("the ID token carries no e-mail address: sign in with e-mail")
    _refuse_tokens_of_an_erased_account(uid, claims)
    holder = session.scalars(select(Person).where(Person.verified_email == email)).one_or_none() if verified else None
    if holder is not None:
        if holder.firebase_uid is not None:
            raise Conflict("this e-mail address belongs to another account; ask your coordinator")
        holder.firebase_uid = uid  # an admin named this address before its first sign-in
        session.flush()
        return holder
    locale = Locale.EN if str(claims.get("locale", "")).lower().startswith("en") else Locale.NL
    person = Person(
        firebase_uid=uid,
        verified_email=email if verified else None,
        unverified_email=None if verified else email,
        display_name=(claims.get("name") or email.split("@")[0])[:120],
        locale=locale,
    )
    session.add(person)
    session.flush()
    return person


def _bind_address(person: Person, email: str) -> None:
    """The token vouches for the address now: bind it (taking over an admin's invite of it) unless another holds it."""
    session = db.session()
    holder = session.scalars(select(Person).where(Person.verified_email == email)).one_or_none()
    if holder is not None:
        if holder.firebase_uid is not None:
            return
        take_over_invite(person, holder)
    person.verified_email = email
    person.unverified_email = None
    session.flush()


def take_over_invite(person: Person, invite: Person) -> None:
    """Give a signed-in person the roles an admin gave an invite (a person never signed in), then drop the invite."""
    session = db.session()
    person.is_admin = person.is_admin or invite.is_admin
    session.execute(
        update(OfficerAssignment)
        .where(
            OfficerAssignment.person_id == invite.id,
            OfficerAssignment.area_id.not_in(
                select(OfficerAssignment.area_id).where(OfficerAssignment.person_id == person.id)
            ),
        )
        .values(person_id=person.id)
    )
    own = {m.group_id: m for m in session.scalars(select(Membership).where(Membership.person_id == person.id))}
    for invited in session.scalars(select(Membership).where(Membership.person_id == invite.id)).all():
        mine = own.get(invited.group_id)
        if mine is None:
            invited.person_id = person.id
            continue
        if invited.role == MembershipRole.COORDINATOR and mine.role != MembershipRole.COORDINATOR:
            mine.role = MembershipRole.COORDINATOR
            session.add(MembershipEvent(membership_id=mine.id, kind="role_changed", detail=str(mine.role)))
        if invited.status == MembershipStatus.ACTIVE and mine.status != MembershipStatus.ACTIVE:
            mine.status = MembershipStatus.ACTIVE
            mine.updated_at = db.utcnow()
            session.add(MembershipEvent(membership_id=mine.id, kind="added", detail=str(mine.role)))
        session.delete(invited)
    # Mail queued for the invite went to this very address; it now belongs to the person (and goes with an erasure).
    session.execute(update(Email).where(Email.person_id == invite.id).values(person_id=person.id))
    session.flush()
    session.delete(invite)
    session.flush()


def _refuse_tokens_of_an_erased_account(uid: str, claims: dict[str, Any]) -> None:
    """A token from a sign-in before the account was erased must not make the person again; a new sign-in may."""
    erased = db.session().get(ErasedAccount, uid_hash(uid))
    if erased is None or erased.erased_at < db.utcnow() - ERASURE_MEMORY:
        return
    signed_in_at = claims.get("auth_time", claims.get("iat"))
    # Whole seconds in the token: a sign-in in the very second of the erasure counts as before it.
    if not isinstance(signed_in_at, int | float) or signed_in_at <= int(erased.erased_at.timestamp()):
        raise Unauthorized("this account was deleted; sign in again to start a new one")
