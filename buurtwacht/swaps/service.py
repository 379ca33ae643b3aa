"""The swap workflow: offered -> accepted / declined / withdrawn. Accepting moves places in one transaction."""

from __future__ import annotations

import uuid
from typing import Any

from flask_smorest.pagination import PaginationParameters
from sqlalchemy import or_, select

from buurtwacht import access, db
from buurtwacht.errors import Conflict, Forbidden, Invalid, NotFound
from buurtwacht.models import Group, Patrol, PatrolSignup, PatrolStatus, Person, SignupStatus, SwapRequest, SwapStatus
from buurtwacht.pagination import paginate
from buurtwacht.patrols import service as patrols
from buurtwacht.push import outbox


def _confirmed_signup(patrol_id: uuid.UUID, person_id: uuid.UUID) -> PatrolSignup | None:
    return (
        db.session()
        .scalars(
            select(PatrolSignup).where(
                PatrolSignup.patrol_id == patrol_id,
                PatrolSignup.person_id == person_id,
                PatrolSignup.status == SignupStatus.CONFIRMED,
            )
        )
        .one_or_none()
    )


def _still_open(patrol: Patrol) -> None:
    if patrol.status != PatrolStatus.PLANNED or patrol.starts_at <= db.utcnow():
        raise Conflict("swaps are only for patrols that have not started")


def offer(
    person: Person, patrol_id: uuid.UUID, to_person_id: uuid.UUID, other_patrol_id: uuid.UUID | None
) -> SwapRequest:
    patrol, group, _ = patrols.patrol_for(person, patrol_id, access.MEMBERS)
    _still_open(patrol)
    if _confirmed_signup(patrol.id, person.id) is None:
        raise Conflict("you can only offer a place you have on the team")
    pending = (
        db.session()
        .scalars(
            select(SwapRequest).where(
                SwapRequest.patrol_id == patrol.id,
                SwapRequest.from_person_id == person.id,
                SwapRequest.status == SwapStatus.OFFERED,
            )
        )
        .first()
    )
    if pending is not None:
        raise Conflict("you already offered this place; withdraw that offer first", {"swap": {"id": [str(pending.id)]}})
    if to_person_id == person.id:
        raise Invalid("to_person_id", "choose someone else")
    patrols._active_member(group, to_person_id, field="to_person_id")
    receiver = (
        db.session()
        .scalars(
            select(PatrolSignup).where(PatrolSignup.patrol_id == patrol.id, PatrolSignup.person_id == to_person_id)
        )
        .one_or_none()
    )
    if receiver is not None and receiver.status == SignupStatus.CONFIRMED:
        raise Conflict("they are on this patrol's team already")
    if other_patrol_id is not None:
        other = db.session().get(Patrol, other_patrol_id)
        if other is None or other.group_id != group.id:
            raise Invalid("other_patrol_id", "no patrol of this group with this id")
        _still_open(other)
        if _confirmed_signup(other.id, to_person_id) is None:
            raise Invalid("other_patrol_id", "the other person is not on that patrol's team")
    swap = SwapRequest(
        patrol_id=patrol.id, from_person_id=person.id, to_person_id=to_person_id, other_patrol_id=other_patrol_id
    )
    db.session().add(swap)
    db.session().flush()
    outbox.queue(
        to_person_id,
        "patrol.swap_offered",
        swap_id=swap.id,
        patrol_id=patrol.id,
        name=person.short_name,
        when=patrol.starts_at,
    )
    return swap


def _swap_for(person: Person, swap_id: uuid.UUID) -> SwapRequest:
    swap = db.session().get(SwapRequest, swap_id)
    if swap is None or person.id not in (swap.from_person_id, swap.to_person_id):
        raise NotFound("swap")
    return swap


def _hand_over(
    patrol: Patrol, giver: uuid.UUID, taker: uuid.UUID, actor: Person, ignoring: tuple[uuid.UUID, ...]
) -> None:
    session = db.session()
    given = _confirmed_signup(patrol.id, giver)
    if given is None:
        raise Conflict("the place on offer is no longer on the team")
    patrols._lock_person(taker)  # as a sign-up does: no double booking by two requests at once
    patrols._check_no_overlap(taker, patrol, ignoring=ignoring)
    given.status = SignupStatus.SWAPPED
    taken = session.scalars(
        select(PatrolSignup).where(PatrolSignup.patrol_id == patrol.id, PatrolSignup.person_id == taker)
    ).one_or_none()
    if taken is None:
        session.add(
            PatrolSignup(patrol_id=patrol.id, person_id=taker, status=SignupStatus.CONFIRMED, queued_at=db.utcnow())
        )
    elif taken.status == SignupStatus.CONFIRMED:
        raise Conflict("you are already on that patrol's team")
    else:
        taken.status, taken.queued_at = SignupStatus.CONFIRMED, db.utcnow()
    patrols._event(patrol, "swapped", actor, person_id=taker, detail=f"from {giver}")
    session.flush()


def accept(person: Person, swap_id: uuid.UUID) -> SwapRequest:
    swap = _swap_for(person, swap_id)
    if swap.to_person_id != person.id:
        raise Forbidden("only the person the place was offered to can accept")
    if swap.status != SwapStatus.OFFERED:
        raise Conflict(f"this swap is {swap.status}")
    session = db.session()
    patrol = session.get_one(Patrol, swap.patrol_id, with_for_update=True, populate_existing=True)
    access.group_for(person, patrol.group_id, access.MEMBERS, what="swap")
    _still_open(patrol)
    other = None
    if swap.other_patrol_id is not None:
        other = session.get_one(Patrol, swap.other_patrol_id, with_for_update=True, populate_existing=True)
        _still_open(other)
    ignoring_other = (other.id,) if other else ()
    if other is None:  # a one-way swap gives the receiver one more patrol: the no-show cap applies
        patrols._check_no_show_cap(person.id, session.get_one(Group, patrol.group_id), db.utcnow())
    _hand_over(patrol, swap.from_person_id, person.id, person, ignoring=ignoring_other)
    if other is not None:
        _hand_over(other, person.id, swap.from_person_id, person, ignoring=(patrol.id,))
    swap.status, swap.decided_at = SwapStatus.ACCEPTED, db.utcnow()
    outbox.queue(
        swap.from_person_id,
        "patrol.swap_accepted",
        swap_id=swap.id,
        patrol_id=patrol.id,
        name=person.short_name,
        when=patrol.starts_at,
    )
    session.flush()
    return swap


def decline(person: Person, swap_id: uuid.UUID) -> SwapRequest:
    swap = _swap_for(person, swap_id)
    if swap.to_person_id != person.id:
        raise Forbidden("only the person the place was offered to can decline")
    if swap.status != SwapStatus.OFFERED:
        raise Conflict(f"this swap is {swap.status}")
    swap.status, swap.decided_at = SwapStatus.DECLINED, db.utcnow()
    db.session().flush()
    return swap


def withdraw(person: Person, swap_id: uuid.UUID) -> None:
    swap = _swap_for(person, swap_id)
    if swap.from_person_id != person.id:
        raise Forbidden("only the person who offered the place can withdraw the offer")
    if swap.status != SwapStatus.OFFERED:
        raise Conflict(f"this swap is {swap.status}")
    swap.status, swap.decided_at = SwapStatus.WITHDRAWN, db.utcnow()
    db.session().flush()


def mine(person: Person, page: PaginationParameters) -> list[SwapRequest]:
    query = (
        select(SwapRequest)
        .where(or_(SwapRequest.from_person_id == person.id, SwapRequest.to_person_id == person.id))
        .order_by(SwapRequest.created_at.desc(), SwapRequest.id)
    )
    return paginate(query, page)


def swap_view(swap: SwapRequest) -> dict[str, Any]:
    return {
        "id": swap.id,
        "patrol_id": swap.patrol_id,
        "other_patrol_id": swap.other_patrol_id,
        "from_person_id": swap.from_person_id,
        "to_person_id": swap.to_person_id,
        "status": swap.status,
        "created_at": swap.created_at,
        "decided_at": swap.decided_at,
    }
