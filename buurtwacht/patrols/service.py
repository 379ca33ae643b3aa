"""Patrols and their roster: planning, signing up, the waiting list, check-in and -out, no-shows.

Every change of a patrol or of its roster appends a PatrolEvent; notifications that matter to a
person are queued in the same transaction (buurtwacht.push.outbox).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask_smorest.pagination import PaginationParameters
from sqlalchemy import and_, func, or_, select, update

from buurtwacht import access, db
from buurtwacht.access import Relation
from buurtwacht.errors import Conflict, Forbidden, Invalid, NotFound
from buurtwacht.localtime import to_local
from buurtwacht.messages import DEFAULT_LOCALE, Wording, text
from buurtwacht.models import (
    Area,
    Group,
    Membership,
    MembershipStatus,
    Patrol,
    PatrolEvent,
    PatrolSignup,
    PatrolStatus,
    Person,
    SignupStatus,
    SwapRequest,
    SwapStatus,
)
from buurtwacht.models.patrol import HOLDING_A_PLACE, PATROL_TRANSITIONS
from buurtwacht.pagination import paginate
from buurtwacht.push import outbox

CHECK_IN_EARLY = dt.timedelta(minutes=30)  # the team meets a little before the start
CHECK_IN_LATE = dt.timedelta(hours=2)  # and may still check in shortly after the planned end
NO_SHOW_WINDOW = dt.timedelta(days=90)
MAX_DURATION = dt.timedelta(hours=12)

PATROL_FIELDS = ("starts_at", "ends_at", "meeting_point", "route", "area_id", "min_team", "max_team", "briefing")


# Loading with access


def patrol_for(
    person: Person, patrol_id: uuid.UUID, allowed: frozenset[Relation], lock: bool = False
) -> tuple[Patrol, Group, set[Relation]]:
    """The patrol if the person may act on it; locked FOR UPDATE when its roster is about to change."""
    session = db.session()
    patrol = session.get(Patrol, patrol_id)
    if patrol is None:
        raise NotFound("patrol")
    group, relations = access.group_for(person, patrol.group_id, allowed, what="patrol")
    if lock:
        # Serialises sign-ups per patrol, so concurrent requests never overbook it.
        patrol = session.get_one(Patrol, patrol_id, with_for_update=True, populate_existing=True)
    return patrol, group, relations


def _event(
    patrol: Patrol, kind: str, actor: Person | None, person_id: uuid.UUID | None = None, detail: str | None = None
) -> None:
    db.session().add(
        PatrolEvent(
            patrol_id=patrol.id, kind=kind, person_id=person_id, actor_id=actor.id if actor else None, detail=detail
        )
    )


def _move(patrol: Patrol, to: PatrolStatus, actor: Person | None, detail: str | None = None) -> None:
    kind = PATROL_TRANSITIONS.get((patrol.status, to))
    if kind is None:
        raise Conflict(f"a {patrol.status} patrol cannot become {to}")
    patrol.status = to
    _event(patrol, kind, actor, detail=detail)


def _holders(patrol: Patrol) -> list[PatrolSignup]:
    return list(
        db.session().scalars(
            select(PatrolSignup)
            .where(PatrolSignup.patrol_id == patrol.id, PatrolSignup.status.in_(HOLDING_A_PLACE))
            .order_by(PatrolSignup.queued_at, PatrolSignup.id)
        )
    )


def _confirmed_count(patrol_id: uuid.UUID) -> int:
    return (
        db.session().scalar(
            select(func.count()).where(
                PatrolSignup.patrol_id == patrol_id, PatrolSignup.status == SignupStatus.CONFIRMED
            )
        )
        or 0
    )


# Planning


def check_times_and_team(values: dict[str, Any], now: dt.datetime) -> None:
    if values.get("area_id") is not None and db.session().get(Area, values["area_id"]) is None:
        raise Invalid("area_id", "no area with this id")
    starts, ends = values["starts_at"], values["ends_at"]
    if ends <= starts:
        raise Invalid("ends_at", "must be after starts_at")
    if ends - starts > MAX_DURATION:
        raise Invalid("ends_at", "a patrol lasts at most 12 hours")
    if ends <= now:
        raise Invalid("ends_at", "must be in the future")
    if values["max_team"] < values["min_team"]:
        raise Invalid("max_team", "must be at least min_team")


def _same_content(patrol: Patrol, data: dict[str, Any]) -> bool:
    return all(getattr(patrol, name) == data.get(name) for name in PATROL_FIELDS if name in data)


def create_patrol(actor: Person, group_id: uuid.UUID, data: dict[str, Any]) -> Patrol:
    """A one-off patrol; a retry with the same client-made id returns it, another body under that id is 409."""
    group, _ = access.group_for(actor, group_id, access.COORDINATORS)
    session = db.session()
    if data.get("id") is not None:
        existing = session.get(Patrol, data["id"])
        if existing is not None:
            if existing.group_id == group.id and _same_content(existing, data):
                return existing
            raise Conflict("a different patrol exists with this id")
    check_times_and_team(data, db.utcnow())
    patrol = Patrol(group_id=group.id, status=PatrolStatus.PLANNED, **{k: data[k] for k in PATROL_FIELDS if k in data})
    if data.get("id") is not None:
        patrol.id = data["id"]
    session.add(patrol)
    session.flush()
    _event(patrol, "created", actor)
    return patrol


def update_patrol(actor: Person, patrol_id: uuid.UUID, changes: dict[str, Any]) -> Patrol:
    patrol, _, _ = patrol_for(actor, patrol_id, access.COORDINATORS, lock=True)
    if patrol.status != PatrolStatus.PLANNED:
        raise Conflict(f"only planned patrols can be changed; this one is {patrol.status}")
    old_start = patrol.starts_at
    merged = {name: changes.get(name, getattr(patrol, name)) for name in PATROL_FIELDS}
    check_times_and_team(merged, db.utcnow())
    if merged["max_team"] < _confirmed_count(patrol.id):
        raise Conflict("more people are on the team than this maximum: remove someone first")
    moved = merged["starts_at"] != patrol.starts_at or merged["ends_at"] != patrol.ends_at
    for name, value in merged.items():
        setattr(patrol, name, value)
    if moved:
        check_team_free(patrol)
    _promote_next(patrol)  # a higher maximum gives places to the waiting list first
    if moved:
        _event(patrol, "moved", actor, detail=f"{old_start.isoformat()} -> {patrol.starts_at.isoformat()}")
        for signup in _holders(patrol):
            outbox.queue(
                signup.person_id, "patrol.moved", patrol_id=patrol.id, old_when=old_start, when=patrol.starts_at
            )
    else:
        _event(patrol, "edited", actor)
    db.session().flush()
    return patrol


def cancel(patrol: Patrol, actor: Person | None, reason: str | None = None, *, reason_key: str | None = None) -> None:
    """Cancel and tell everyone who held a place; their places are released.

    The reason is a coordinator's own words, or `reason_key`: a message-catalogue key for the system's own
    reason, which each person is told, and shown on the roster, in their own language (the history keeps the
    Dutch).
    """
    told: dict[str, Any]
    if reason_key is not None:
        reason, told = text(reason_key, DEFAULT_LOCALE), {"reason_key": reason_key}
    elif reason is not None:
        told = {"reason": reason}
    else:
        raise TypeError("cancel() needs a reason or a reason_key")
    _move(patrol, PatrolStatus.CANCELLED, actor, detail=reason)
    patrol.cancel_reason, patrol.cancel_reason_key = reason, reason_key
    for signup in _holders(patrol):
        outbox.queue(signup.person_id, "patrol.cancelled", patrol_id=patrol.id, when=patrol.starts_at, **told)


def cancel_patrol(actor: Person, patrol_id: uuid.UUID, reason: str) -> Patrol:
    patrol, _, _ = patrol_for(actor, patrol_id, access.COORDINATORS, lock=True)
    cancel(patrol, actor, reason)
    db.session().flush()
    return patrol


# Signing up


def _lock_person(person_id: uuid.UUID) -> None:
    """Serialise one person's sign-ups, so two at once cannot put them on overlapping patrols."""
    db.session().get(Person, person_id, with_for_update=True)


def check_team_free(patrol: Patrol) -> None:
    """After a move: nobody on the team or its waiting list may end up on two patrols at once (409)."""
    for signup in _holders(patrol):
        _lock_person(signup.person_id)
        _check_no_overlap(signup.person_id, patrol)


def _check_no_overlap(person_id: uuid.UUID, patrol: Patrol, ignoring: tuple[uuid.UUID, ...] = ()) -> None:
    clash = (
        db.session()
        .scalars(
            select(Patrol)
            .join(PatrolSignup, PatrolSignup.patrol_id == Patrol.id)
            .where(
                PatrolSignup.person_id == person_id,
                PatrolSignup.status.in_(HOLDING_A_PLACE),
                Patrol.status.in_((PatrolStatus.PLANNED, PatrolStatus.RUNNING)),
                Patrol.id.not_in((patrol.id, *ignoring)),
                Patrol.starts_at < patrol.ends_at,
                Patrol.ends_at > patrol.starts_at,
            )
            .limit(1)
        )
        .first()
    )
    if clash is not None:
        raise Conflict(
            "already on a patrol at that time",
            {"patrol": {"id": [str(clash.id)], "starts_at": [to_local(clash.starts_at).isoformat()]}},
        )


def _check_no_show_cap(person_id: uuid.UUID, group: Group, now: dt.datetime) -> None:
    if group.no_show_limit is None:
        return
    session = db.session()
    in_group = and_(
        PatrolSignup.patrol_id == Patrol.id, Patrol.group_id == group.id, PatrolSignup.person_id == person_id
    )
    no_shows = (
        session.scalar(
            select(func.count())
            .select_from(PatrolSignup)
            .join(Patrol, in_group)
            .where(PatrolSignup.no_show.is_(True), Patrol.starts_at > now - NO_SHOW_WINDOW)
        )
        or 0
    )
    if no_shows < group.no_show_limit:
        return
    upcoming = (
        session.scalar(
            select(func.count())
            .select_from(PatrolSignup)
            .join(Patrol, in_group)
            .where(
                PatrolSignup.status.in_(HOLDING_A_PLACE),
                Patrol.status == PatrolStatus.PLANNED,
                Patrol.starts_at > now,
            )
        )
        or 0
    )
    if upcoming >= 1:
        raise Conflict(
            f"after {no_shows} missed patrols you can hold one upcoming patrol at a time; talk to your coordinator"
        )


def _place(patrol: Patrol, person_id: uuid.UUID, actor: Person, confirm_only: bool) -> PatrolSignup:
    """Give the person a place (or a spot on the waiting list) on a locked patrol."""
    session = db.session()
    signup = session.scalars(
        select(PatrolSignup).where(PatrolSignup.patrol_id == patrol.id, PatrolSignup.person_id == person_id)
    ).one_or_none()
    if signup is not None and signup.status in HOLDING_A_PLACE:
        return signup  # a retry, or already there: nothing to change
    _lock_person(person_id)
    _check_no_overlap(person_id, patrol)
    full = _confirmed_count(patrol.id) >= patrol.max_team
    if full and confirm_only:
        raise Conflict("the patrol is full: raise its maximum first")
    status = SignupStatus.WAITLISTED if full else SignupStatus.CONFIRMED
    if signup is None:
        signup = PatrolSignup(patrol_id=patrol.id, person_id=person_id, status=status, queued_at=db.utcnow())
        session.add(signup)
    else:
        signup.status, signup.queued_at = status, db.utcnow()
        signup.checked_in_at = signup.checked_out_at = None
        signup.no_show = False
    _event(patrol, "waitlisted" if full else "signed_up", actor, person_id=person_id)
    session.flush()
    return signup


def _must_be_open(patrol: Patrol, group: Group, now: dt.datetime) -> None:
    if patrol.status != PatrolStatus.PLANNED or patrol.starts_at <= now:
        raise Conflict("this patrol is no longer open for sign-up")
    opens = patrol.starts_at - dt.timedelta(days=group.signup_opens_days)
    if now < opens:
        raise Conflict(
            Wording("patrol.signup_not_open_yet", when=opens, days=group.signup_opens_days),
            {"patrol": {"signup_opens_at": [to_local(opens).isoformat()]}},
        )


def sign_up(person: Person, patrol_id: uuid.UUID) -> PatrolSignup:
    patrol, group, _ = patrol_for(person, patrol_id, access.MEMBERS, lock=True)
    now = db.utcnow()
    existing = _own_signup(patrol, person)
    if existing is not None and existing.status in HOLDING_A_PLACE:
        return existing
    _must_be_open(patrol, group, now)
    _check_no_show_cap(person.id, group, now)
    return _place(patrol, person.id, person, confirm_only=False)


def _own_signup(patrol: Patrol, person: Person) -> PatrolSignup | None:
    return (
        db.session()
        .scalars(select(PatrolSignup).where(PatrolSignup.patrol_id == patrol.id, PatrolSignup.person_id == person.id))
        .one_or_none()
    )


def _promote_next(patrol: Patrol) -> None:
    if patrol.status != PatrolStatus.PLANNED:
        return
    while _confirmed_count(patrol.id) < patrol.max_team:
        waiting = (
            db.session()
            .scalars(
                select(PatrolSignup)
                .where(PatrolSignup.patrol_id == patrol.id, PatrolSignup.status == SignupStatus.WAITLISTED)
                .order_by(PatrolSignup.queued_at, PatrolSignup.id)
                .limit(1)
            )
            .first()
        )
        if waiting is None:
            return
        waiting.status = SignupStatus.CONFIRMED
        _event(patrol, "promoted", None, person_id=waiting.person_id)
        outbox.queue(waiting.person_id, "patrol.promoted", patrol_id=patrol.id, when=patrol.starts_at)
        db.session().flush()


def _release(patrol: Patrol, signup: PatrolSignup, to: SignupStatus, actor: Person, kind: str) -> None:
    was_confirmed = signup.status == SignupStatus.CONFIRMED
    signup.status = to
    _event(patrol, kind, actor, person_id=signup.person_id)
    db.session().flush()
    if was_confirmed:
        _promote_next(patrol)


def withdraw(person: Person, patrol_id: uuid.UUID) -> None:
    patrol, group, _ = patrol_for(person, patrol_id, access.MEMBERS, lock=True)
    signup = _own_signup(patrol, person)
    if signup is None or signup.status not in HOLDING_A_PLACE:
        raise Conflict("you are not signed up for this patrol")
    if patrol.status != PatrolStatus.PLANNED:
        raise Conflict(f"this patrol is {patrol.status}; tell your coordinator")
    deadline = patrol.starts_at - dt.timedelta(hours=group.withdraw_until_hours)
    if signup.status == SignupStatus.CONFIRMED and db.utcnow() > deadline:
        raise Conflict(
            f"withdrawing closes {group.withdraw_until_hours} hours before the start; call your coordinator instead"
        )
    _release(patrol, signup, SignupStatus.WITHDRAWN, person, "withdrew")


def _active_member(group: Group, person_id: uuid.UUID, field: str = "person_id") -> None:
    member = db.session().scalar(
        select(func.count()).where(
            Membership.group_id == group.id,
            Membership.person_id == person_id,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )
    if not member:
        raise Invalid(field, "not an active member of this group")


def add_to_team(actor: Person, patrol_id: uuid.UUID, person_id: uuid.UUID) -> PatrolSignup:
    """A coordinator puts a member on the team (not on the waiting list); no sign-up window applies."""
    patrol, group, _ = patrol_for(actor, patrol_id, access.COORDINATORS, lock=True)
    if patrol.status != PatrolStatus.PLANNED:
        raise Conflict(f"this patrol is {patrol.status}")
    _active_member(group, person_id)
    existing = (
        db.session()
        .scalars(select(PatrolSignup).where(PatrolSignup.patrol_id == patrol.id, PatrolSignup.person_id == person_id))
        .one_or_none()
    )
    if existing is not None and existing.status == SignupStatus.WAITLISTED:
        if _confirmed_count(patrol.id) >= patrol.max_team:
            raise Conflict("the patrol is full: raise its maximum first")
        existing.status = SignupStatus.CONFIRMED
        _event(patrol, "added", actor, person_id=person_id)
        outbox.queue(person_id, "patrol.added", patrol_id=patrol.id, when=patrol.starts_at)
        db.session().flush()
        return existing
    was_holding = existing is not None and existing.status in HOLDING_A_PLACE
    signup = _place(patrol, person_id, actor, confirm_only=True)
    if not was_holding:
        outbox.queue(person_id, "patrol.added", patrol_id=patrol.id, when=patrol.starts_at)
    return signup


def remove_from_team(actor: Person, patrol_id: uuid.UUID, person_id: uuid.UUID) -> None:
    patrol, _, _ = patrol_for(actor, patrol_id, access.COORDINATORS, lock=True)
    if patrol.status != PatrolStatus.PLANNED:
        raise Conflict(f"this patrol is {patrol.status}")
    signup = (
        db.session()
        .scalars(select(PatrolSignup).where(PatrolSignup.patrol_id == patrol.id, PatrolSignup.person_id == person_id))
        .one_or_none()
    )
    if signup is None or signup.status not in HOLDING_A_PLACE:
        raise NotFound("person on this patrol")
    _release(patrol, signup, SignupStatus.REMOVED, actor, "removed")
    outbox.queue(person_id, "patrol.removed", patrol_id=patrol.id, when=patrol.starts_at)


def release_member(group_id: uuid.UUID, person_id: uuid.UUID, actor: Person) -> None:
    """Someone left or was removed: their places on planned patrols go to the waiting list.

    Past and running patrols keep them: what was walked stays walked.
    """
    session = db.session()
    signups = session.execute(
        select(PatrolSignup, Patrol)
        .join(Patrol, Patrol.id == PatrolSignup.patrol_id)
        .where(
            Patrol.group_id == group_id,
            Patrol.status == PatrolStatus.PLANNED,
            PatrolSignup.person_id == person_id,
            PatrolSignup.status.in_(HOLDING_A_PLACE),
        )
    ).all()
    for signup, patrol in signups:
        session.get(Patrol, patrol.id, with_for_update=True)
        _release(patrol, signup, SignupStatus.REMOVED, actor, "left_group")
    session.execute(
        update(SwapRequest)
        .where(
            SwapRequest.status == SwapStatus.OFFERED,
            or_(SwapRequest.from_person_id == person_id, SwapRequest.to_person_id == person_id),
            SwapRequest.patrol_id.in_(select(Patrol.id).where(Patrol.group_id == group_id)),
        )
        .values(status=SwapStatus.WITHDRAWN, decided_at=db.utcnow())
    )
    session.flush()


# On the street


def check_in(person: Person, patrol_id: uuid.UUID) -> PatrolSignup:
    patrol, _, _ = patrol_for(person, patrol_id, access.MEMBERS, lock=True)
    signup = _own_signup(patrol, person)
    if signup is None or signup.status != SignupStatus.CONFIRMED:
        raise Forbidden("only the patrol's team checks in")
    if signup.checked_in_at is not None:
        return signup  # a retry from a phone that lost the answer
    now = db.utcnow()
    if patrol.status not in (PatrolStatus.PLANNED, PatrolStatus.RUNNING):
        raise Conflict(f"this patrol is {patrol.status}")
    if not patrol.starts_at - CHECK_IN_EARLY <= now <= patrol.ends_at + CHECK_IN_LATE:
        raise Conflict("check-in opens 30 minutes before the start and closes 2 hours after the end")
    signup.checked_in_at = now
    signup.no_show = False
    if patrol.status == PatrolStatus.PLANNED:
        patrol.started_at = now
        _move(patrol, PatrolStatus.RUNNING, person)
    _event(patrol, "checked_in", person, person_id=person.id)
    db.session().flush()
    return signup


def check_out(person: Person, patrol_id: uuid.UUID) -> PatrolSignup:
    patrol, _, _ = patrol_for(person, patrol_id, access.MEMBERS, lock=True)
    signup = _own_signup(patrol, person)
    if signup is None or signup.status != SignupStatus.CONFIRMED:
        raise Forbidden("only the patrol's team checks out")
    if signup.checked_in_at is None:
        raise Conflict("check in first")
    if signup.checked_out_at is not None:
        return signup
    now = db.utcnow()
    _must_have_begun(patrol, now)
    signup.checked_out_at = now
    _event(patrol, "checked_out", person, person_id=person.id)
    still_out = db.session().scalar(
        select(func.count()).where(
            PatrolSignup.patrol_id == patrol.id,
            PatrolSignup.checked_in_at.is_not(None),
            PatrolSignup.checked_out_at.is_(None),
        )
    )
    if not still_out and patrol.status == PatrolStatus.RUNNING:
        patrol.completed_at = now
        _move(patrol, PatrolStatus.COMPLETED, person, detail="everyone checked out")
    db.session().flush()
    return signup


def _must_have_begun(patrol: Patrol, now: dt.datetime) -> None:
    """The team may check in early to meet, but a round cannot be over before its planned start."""
    if now < patrol.starts_at:
        raise Conflict(
            Wording("patrol.not_begun", when=patrol.starts_at),
            {"patrol": {"starts_at": [to_local(patrol.starts_at).isoformat()]}},
        )


def complete(actor: Person, patrol_id: uuid.UUID) -> Patrol:
    """A coordinator closes a running patrol; whoever did not check out is checked out now."""
    patrol, _, _ = patrol_for(actor, patrol_id, access.COORDINATORS, lock=True)
    now = db.utcnow()
    _must_have_begun(patrol, now)
    _move(patrol, PatrolStatus.COMPLETED, actor)
    patrol.completed_at = now
    for signup in _holders(patrol):
        if signup.checked_in_at is not None and signup.checked_out_at is None:
            signup.checked_out_at = now
    db.session().flush()
    return patrol


def mark_no_shows(actor: Person, patrol_id: uuid.UUID, person_ids: list[uuid.UUID]) -> Patrol:
    patrol, _, _ = patrol_for(actor, patrol_id, access.COORDINATORS, lock=True)
    if patrol.status == PatrolStatus.CANCELLED:
        raise Conflict("a cancelled patrol has no no-shows")
    if db.utcnow() < patrol.starts_at:
        raise Conflict("no-shows can be marked once the patrol has started")
    team = {s.person_id: s for s in _holders(patrol) if s.status == SignupStatus.CONFIRMED}
    for index, person_id in enumerate(person_ids):
        signup = team.get(person_id)
        if signup is None:
            raise Invalid("person_ids", f"item {index} is not on this patrol's team")
        if signup.checked_in_at is not None:
            raise Invalid("person_ids", f"item {index} checked in")
    for person_id in person_ids:
        if not team[person_id].no_show:
            team[person_id].no_show = True
            _event(patrol, "no_show", actor, person_id=person_id)
    db.session().flush()
    return patrol


# Views


def team_view(patrol: Patrol, viewer: Person, relations: set[Relation]) -> list[dict[str, Any]]:
    full = Relation.COORDINATOR in relations
    rows = (
        db.session()
        .execute(
            select(PatrolSignup, Person)
            .join(Person, Person.id == PatrolSignup.person_id)
            .where(PatrolSignup.patrol_id == patrol.id, PatrolSignup.status.in_(HOLDING_A_PLACE))
            .order_by(PatrolSignup.status, PatrolSignup.queued_at, PatrolSignup.id)
        )
        .all()
    )
    return [
        {
            "person_id": person.id,
            "name": person.display_name if full or person.id == viewer.id else person.short_name,
            "status": signup.status,
            "checked_in_at": signup.checked_in_at,
            "checked_out_at": signup.checked_out_at,
            "no_show": signup.no_show,
        }
        for signup, person in rows
    ]


class _SeenIn:
    """A patrol as a reader sees it when the system cancelled it: the reason in the reader's language."""

    def __init__(self, patrol: Patrol, cancel_reason: str) -> None:
        self._patrol, self.cancel_reason = patrol, cancel_reason

    def __getattr__(self, name: str) -> Any:
        return getattr(self._patrol, name)


def describe(patrols: list[Patrol], viewer: Person) -> list[dict[str, Any]]:
    """Patrols with their counts and the viewer's own place, in two queries for a page."""
    session = db.session()
    ids = [p.id for p in patrols]
    counts: dict[tuple[uuid.UUID, SignupStatus], int] = {
        (pid, status): n
        for pid, status, n in session.execute(
            select(PatrolSignup.patrol_id, PatrolSignup.status, func.count())
            .where(PatrolSignup.patrol_id.in_(ids), PatrolSignup.status.in_(HOLDING_A_PLACE))
            .group_by(PatrolSignup.patrol_id, PatrolSignup.status)
        )
    }
    mine = dict(
        session.execute(
            select(PatrolSignup.patrol_id, PatrolSignup.status).where(
                PatrolSignup.patrol_id.in_(ids), PatrolSignup.person_id == viewer.id
            )
        ).all()
    )
    # Usually the one group the access check loaded already: taken from the session, no query.
    groups = {gid: session.get_one(Group, gid) for gid in {p.group_id for p in patrols}}
    views = []
    for p in patrols:
        confirmed = counts.get((p.id, SignupStatus.CONFIRMED), 0)
        views.append(
            {
                "patrol": p if p.cancel_reason_key is None else _SeenIn(p, text(p.cancel_reason_key, viewer.locale)),
                "group_name": groups[p.group_id].name,
                "confirmed": confirmed,
                "waitlisted": counts.get((p.id, SignupStatus.WAITLISTED), 0),
                "places_left": max(p.max_team - confirmed, 0),
                "short_of_minimum": p.status == PatrolStatus.PLANNED and confirmed < p.min_team,
                "my_status": mine.get(p.id),
            }
        )
    return views


def detail(viewer: Person, patrol_id: uuid.UUID) -> dict[str, Any]:
    patrol, _, relations = patrol_for(viewer, patrol_id, access.MEMBERS_AND_OFFICERS)
    view = describe([patrol], viewer)[0]
    view["team"] = team_view(patrol, viewer, relations)
    return view


def group_patrols(
    viewer: Person, group_id: uuid.UUID, filters: dict[str, Any], page: PaginationParameters
) -> list[dict[str, Any]]:
    group, _ = access.group_for(viewer, group_id, access.MEMBERS_AND_OFFICERS)
    now = db.utcnow()
    confirmed = (
        select(func.count())
        .where(PatrolSignup.patrol_id == Patrol.id, PatrolSignup.status == SignupStatus.CONFIRMED)
        .correlate(Patrol)
        .scalar_subquery()
    )
    query = select(Patrol).where(Patrol.group_id == group.id).order_by(Patrol.starts_at, Patrol.id)
    if "from" in filters:
        query = query.where(Patrol.ends_at > filters["from"])
    if "to" in filters:
        query = query.where(Patrol.starts_at < filters["to"])
    if "status" in filters:
        query = query.where(Patrol.status == filters["status"])
    if filters.get("open"):
        holding_me = select(PatrolSignup.patrol_id).where(
            PatrolSignup.person_id == viewer.id, PatrolSignup.status.in_(HOLDING_A_PLACE)
        )
        query = query.where(
            Patrol.status == PatrolStatus.PLANNED,
            Patrol.starts_at > now,
            Patrol.starts_at <= now + dt.timedelta(days=group.signup_opens_days),
            confirmed < Patrol.max_team,
            Patrol.id.not_in(holding_me),
        )
    if filters.get("short"):
        query = query.where(Patrol.status == PatrolStatus.PLANNED, Patrol.starts_at > now, confirmed < Patrol.min_team)
    return describe(paginate(query, page), viewer)


def my_upcoming(viewer: Person, page: PaginationParameters) -> list[dict[str, Any]]:
    query = (
        select(Patrol)
        .join(PatrolSignup, PatrolSignup.patrol_id == Patrol.id)
        .where(
            PatrolSignup.person_id == viewer.id,
            PatrolSignup.status.in_(HOLDING_A_PLACE),
            Patrol.status.in_((PatrolStatus.PLANNED, PatrolStatus.RUNNING)),
            Patrol.ends_at > db.utcnow(),
        )
        .order_by(Patrol.starts_at, Patrol.id)
    )
    return describe(paginate(query, page), viewer)


def signup_view(signup: PatrolSignup) -> dict[str, Any]:
    return {
        "patrol_id": signup.patrol_id,
        "status": signup.status,
        "checked_in_at": signup.checked_in_at,
        "checked_out_at": signup.checked_out_at,
    }
