"""The membership workflow. Every change goes through `_move` and appends a MembershipEvent."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from typing import Any

from flask_smorest.pagination import PaginationParameters
from sqlalchemy import func, select

from buurtwacht import access, db
from buurtwacht.access import Relation
from buurtwacht.errors import Conflict, Forbidden, Invalid, NotFound
from buurtwacht.models import Group, GroupInvite, Membership, MembershipEvent, MembershipRole, MembershipStatus, Person
from buurtwacht.models.membership import MEMBERSHIP_TRANSITIONS
from buurtwacht.pagination import paginate
from buurtwacht.patrols import service as patrols

# No 0/O, 1/I/L: codes are read aloud at neighbourhood evenings and typed on phones.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def _move(membership: Membership, to: MembershipStatus, actor: Person, detail: str | None = None) -> None:
    kind = MEMBERSHIP_TRANSITIONS.get((membership.status, to))
    if kind is None:
        raise Conflict(f"a {membership.status} membership cannot become {to}")
    membership.status = to
    membership.updated_at = db.utcnow()
    db.session().add(MembershipEvent(membership_id=membership.id, kind=kind, detail=detail, actor_id=actor.id))


def _lock_group(group_id: uuid.UUID) -> None:
    """Serialise changes to a group's coordinators, so two demotions at once cannot leave none."""
    db.session().get(Group, group_id, with_for_update=True, populate_existing=True)


def _is_last_coordinator(membership: Membership) -> bool:
    if membership.role != MembershipRole.COORDINATOR or membership.status != MembershipStatus.ACTIVE:
        return False
    _lock_group(membership.group_id)
    others = db.session().scalar(
        select(func.count()).where(
            Membership.group_id == membership.group_id,
            Membership.role == MembershipRole.COORDINATOR,
            Membership.status == MembershipStatus.ACTIVE,
            Membership.id != membership.id,
        )
    )
    return not others


def _membership_in(group: Group, membership_id: uuid.UUID) -> Membership:
    membership = db.session().get(Membership, membership_id)
    if membership is None or membership.group_id != group.id:
        raise NotFound("membership")
    return membership


# Coordinators reach current members and people asking to join; of former members they keep a name.
CONTACTABLE = frozenset({MembershipStatus.ACTIVE, MembershipStatus.PENDING})


def _member_view(membership: Membership, person: Person, full: bool) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": membership.id,
        "person_id": person.id,
        "name": person.display_name if full else person.short_name,
        "role": membership.role,
        "status": membership.status,
        "since": membership.updated_at,
    }
    if full and membership.status in CONTACTABLE:
        if person.verified_email:  # an unverified address may be anyone's: never shown
            view["email"] = person.verified_email
        view["phone"] = person.phone
    return view


def list_members(
    viewer: Person, group_id: uuid.UUID, filters: dict[str, Any], page: PaginationParameters
) -> list[dict[str, Any]]:
    group, relations = access.group_for(viewer, group_id, access.ANYONE_RELATED)
    status = filters.get("status", MembershipStatus.ACTIVE)
    full = Relation.COORDINATOR in relations
    if status != MembershipStatus.ACTIVE and not full:
        raise Forbidden("only coordinators see requests to join and former members")
    query = (
        select(Membership)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.group_id == group.id, Membership.status == status)
        .order_by(Person.display_name, Membership.id)
    )
    memberships = paginate(query, page)
    session = db.session()
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_({m.person_id for m in memberships})))}
    return [_member_view(m, people[m.person_id], full) for m in memberships]


def decide(viewer: Person, group_id: uuid.UUID, membership_id: uuid.UUID, approve: bool) -> dict[str, Any]:
    group, _ = access.group_for(viewer, group_id, access.COORDINATORS)
    membership = _membership_in(group, membership_id)
    if membership.status != MembershipStatus.PENDING:
        raise Conflict(f"this membership is {membership.status}, not pending")
    _move(membership, MembershipStatus.ACTIVE if approve else MembershipStatus.REJECTED, viewer)
    db.session().flush()
    return _member_view(membership, db.session().get_one(Person, membership.person_id), full=True)


def change_role(viewer: Person, group_id: uuid.UUID, membership_id: uuid.UUID, role: MembershipRole) -> dict[str, Any]:
    group, _ = access.group_for(viewer, group_id, access.COORDINATORS)
    membership = _membership_in(group, membership_id)
    if membership.status != MembershipStatus.ACTIVE:
        raise Conflict(f"only active members change role; this membership is {membership.status}")
    if membership.role != role:
        if role == MembershipRole.VOLUNTEER and _is_last_coordinator(membership):
            raise Conflict("a group needs at least one coordinator: make someone else coordinator first")
        member = db.session().get_one(Person, membership.person_id)
        if role == MembershipRole.COORDINATOR and member.verified_email is None:
            raise Conflict("this member's e-mail address is not verified yet: they verify it and sign in again first")
        membership.role = role
        membership.updated_at = db.utcnow()
        db.session().add(
            MembershipEvent(membership_id=membership.id, kind="role_changed", detail=str(role), actor_id=viewer.id)
        )
        db.session().flush()
    return _member_view(membership, db.session().get_one(Person, membership.person_id), full=True)


def end_membership(viewer: Person, group_id: uuid.UUID, membership_id: uuid.UUID) -> None:
    """Leave (your own membership) or remove someone (coordinators)."""
    session = db.session()
    own = session.get(Membership, membership_id)
    if own is not None and own.group_id == group_id and own.person_id == viewer.id:
        if own.status not in (MembershipStatus.ACTIVE, MembershipStatus.PENDING):
            raise Conflict(f"this membership has already ended ({own.status})")
        if _is_last_coordinator(own):
            raise Conflict("you are the group's last coordinator: make someone else coordinator first")
        was_active = own.status == MembershipStatus.ACTIVE
        _move(own, MembershipStatus.LEFT, viewer)
        if was_active:
            patrols.release_member(group_id, viewer.id, viewer)
        session.flush()
        return
    group, _ = access.group_for(viewer, group_id, access.COORDINATORS)
    membership = _membership_in(group, membership_id)
    if membership.status != MembershipStatus.ACTIVE:
        raise Conflict(f"only active members can be removed; this membership is {membership.status}")
    if _is_last_coordinator(membership):
        raise Conflict("a group needs at least one coordinator")
    _move(membership, MembershipStatus.REMOVED, viewer)
    patrols.release_member(group.id, membership.person_id, viewer)
    session.flush()


# Invite codes


def _live_invite(group_id: uuid.UUID, now: dt.datetime) -> GroupInvite | None:
    return (
        db.session()
        .scalars(
            select(GroupInvite)
            .where(GroupInvite.group_id == group_id, GroupInvite.revoked_at.is_(None), GroupInvite.expires_at > now)
            .order_by(GroupInvite.created_at.desc())
            .limit(1)
        )
        .one_or_none()
    )


def current_invite(viewer: Person, group_id: uuid.UUID) -> GroupInvite:
    group, _ = access.group_for(viewer, group_id, access.COORDINATORS)
    invite = _live_invite(group.id, db.utcnow())
    if invite is None:
        raise NotFound("live invite code")
    return invite


def rotate_invite(viewer: Person, group_id: uuid.UUID, valid_days: int) -> GroupInvite:
    """A new code; the old one stops working at once."""
    group, _ = access.group_for(viewer, group_id, access.COORDINATORS)
    now = db.utcnow()
    _revoke_all(group.id, now)
    invite = GroupInvite(
        group_id=group.id,
        code="".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)),
        created_by_id=viewer.id,
        created_at=now,
        expires_at=now + dt.timedelta(days=valid_days),
    )
    db.session().add(invite)
    db.session().flush()
    return invite


def revoke_invite(viewer: Person, group_id: uuid.UUID) -> None:
    group, _ = access.group_for(viewer, group_id, access.COORDINATORS)
    if not _revoke_all(group.id, db.utcnow()):
        raise NotFound("live invite code")


def _revoke_all(group_id: uuid.UUID, now: dt.datetime) -> int:
    revoked = 0
    for invite in db.session().scalars(
        select(GroupInvite).where(GroupInvite.group_id == group_id, GroupInvite.revoked_at.is_(None))
    ):
        if invite.expires_at > now:
            revoked += 1
        invite.revoked_at = now
    db.session().flush()
    return revoked


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def join(person: Person, code: str) -> dict[str, Any]:
    """Ask to join with an invite code; asking again while pending returns the same request."""
    session = db.session()
    now = db.utcnow()
    invite = session.scalars(select(GroupInvite).where(GroupInvite.code == normalise_code(code))).one_or_none()
    if invite is None or not invite.is_live(now):
        raise Invalid("code", "this invite code is unknown or no longer valid; ask your coordinator for a new one")
    group = session.get_one(Group, invite.group_id)
    membership = session.scalars(
        select(Membership).where(Membership.group_id == group.id, Membership.person_id == person.id)
    ).one_or_none()
    if membership is None:
        membership = Membership(
            group_id=group.id, person_id=person.id, role=MembershipRole.VOLUNTEER, status=MembershipStatus.PENDING
        )
        session.add(membership)
        session.flush()
        session.add(MembershipEvent(membership_id=membership.id, kind="requested", actor_id=person.id))
    elif membership.status == MembershipStatus.ACTIVE:
        raise Conflict("you are already a member of this group")
    elif membership.status != MembershipStatus.PENDING:
        membership.role = MembershipRole.VOLUNTEER
        _move(membership, MembershipStatus.PENDING, person)
    session.flush()
    return {
        "id": membership.id,
        "group_id": group.id,
        "group_name": group.name,
        "role": membership.role,
        "status": membership.status,
    }
