"""Factories for tests: people, groups, memberships and officers, and the tokens people sign in with."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import select

from buurtwacht import db
from buurtwacht.auth.service import verifier
from buurtwacht.models import (
    Area,
    Group,
    Membership,
    MembershipEvent,
    MembershipRole,
    MembershipStatus,
    OfficerAssignment,
    Person,
)

_counter = itertools.count(1)


@dataclass(frozen=True)
class Someone:
    """A person as tests hold them: ids and what they sign in with."""

    id: uuid.UUID
    uid: str
    email: str
    name: str


@dataclass(frozen=True)
class GroupRef:
    id: uuid.UUID
    area_id: int
    name: str


class Factory:
    def __init__(self, app: Flask) -> None:
        self.app = app

    def _commit(self, *rows: Any) -> None:
        session = db.session()
        session.add_all(rows)
        session.commit()

    def area_id(self, code: str) -> int:
        with self.app.app_context():
            return db.session().scalars(select(Area.id).where(Area.code == code)).one()

    def person(
        self, name: str | None = None, *, admin: bool = False, phone: str | None = None, locale: str = "nl"
    ) -> Someone:
        n = next(_counter)
        name = name or f"Persoon{n} Achternaam{n}"
        with self.app.app_context():
            person = Person(
                firebase_uid=f"uid-{uuid.uuid4().hex}",
                email=f"person{n}-{uuid.uuid4().hex[:6]}@example.org",
                display_name=name,
                phone=phone,
                locale=locale,
                is_admin=admin,
            )
            self._commit(person)
            assert person.firebase_uid is not None
            return Someone(person.id, person.firebase_uid, person.email, person.display_name)

    def group(self, area: str = "bargeres", name: str | None = None, coordinator: Someone | None = None) -> GroupRef:
        with self.app.app_context():
            area_id = db.session().scalars(select(Area.id).where(Area.code == area)).one()
            group = Group(name=name or f"Buurtpreventie {area} {next(_counter)}", description="", area_id=area_id)
            self._commit(group)
            ref = GroupRef(group.id, area_id, group.name)
        if coordinator is not None:
            self.member(ref, coordinator, MembershipRole.COORDINATOR)
        return ref

    def member(
        self,
        group: GroupRef,
        person: Someone,
        role: MembershipRole | str = MembershipRole.VOLUNTEER,
        status: MembershipStatus | str = MembershipStatus.ACTIVE,
    ) -> uuid.UUID:
        with self.app.app_context():
            membership = Membership(
                group_id=group.id, person_id=person.id, role=MembershipRole(role), status=MembershipStatus(status)
            )
            self._commit(membership)
            self._commit(MembershipEvent(membership_id=membership.id, kind="added", detail=str(role)))
            return membership.id

    def officer(self, person: Someone, area: str) -> None:
        with self.app.app_context():
            self._commit(OfficerAssignment(person_id=person.id, area_id=self.area_id(area)))

    def token(self, person: Someone, **overrides: Any) -> str:
        with self.app.app_context():
            settings = self.app.config["BUURTWACHT"]
            return verifier().local_key.sign_id_token(
                settings.FIREBASE_PROJECT_ID, uid=person.uid, email=person.email, name=person.name, **overrides
            )

    def headers(self, person: Someone | None) -> dict[str, str]:
        return {} if person is None else {"Authorization": f"Bearer {self.token(person)}"}

    def patrol(
        self,
        group: GroupRef,
        starts_at: Any,
        hours: float = 2,
        *,
        min_team: int = 2,
        max_team: int = 4,
        meeting_point: str = "Wijkcentrum",
    ) -> uuid.UUID:
        """A planned patrol made directly in the database; `starts_at` is an aware datetime."""
        import datetime as dt

        from buurtwacht.models import Patrol, PatrolStatus

        with self.app.app_context():
            patrol = Patrol(
                group_id=group.id,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(hours=hours),
                meeting_point=meeting_point,
                min_team=min_team,
                max_team=max_team,
                status=PatrolStatus.PLANNED,
            )
            self._commit(patrol)
            return patrol.id

    def signups(self, patrol_id: uuid.UUID) -> dict[uuid.UUID, str]:
        """Who holds which kind of row on a patrol, straight from the database."""
        from buurtwacht.models import PatrolSignup

        with self.app.app_context():
            rows = db.session().execute(
                select(PatrolSignup.person_id, PatrolSignup.status).where(PatrolSignup.patrol_id == patrol_id)
            )
            return {person_id: str(status) for person_id, status in rows}

    def patrol_with_team(
        self,
        group: GroupRef,
        starts_at: Any,
        ends_at: Any,
        *,
        status: str = "planned",
        team: tuple[Someone, ...] | list[Someone] = (),
        check_ins: dict[uuid.UUID, tuple[Any, Any]] | None = None,
        min_team: int = 2,
    ) -> uuid.UUID:
        """A patrol in any state, at any time, with a confirmed team; `check_ins` maps a person's id to (in, out)."""
        from buurtwacht.models import Patrol, PatrolSignup, PatrolStatus, SignupStatus

        with self.app.app_context():
            patrol = Patrol(
                group_id=group.id, starts_at=starts_at, ends_at=ends_at, meeting_point="Wijkcentrum",
                min_team=min_team, max_team=max(4, len(team)), status=PatrolStatus(status),
                cancel_reason="te weinig deelnemers" if status == "cancelled" else None,
            )  # fmt: skip
            self._commit(patrol)
            for person in team:
                checked_in, checked_out = (check_ins or {}).get(person.id, (None, None))
                signup = PatrolSignup(
                    patrol_id=patrol.id, person_id=person.id, status=SignupStatus.CONFIRMED,
                    checked_in_at=checked_in, checked_out_at=checked_out,
                )  # fmt: skip
                self._commit(signup)
            return patrol.id

    def past_note(
        self,
        group: GroupRef,
        author: Someone | None,
        category: str,
        observed_at: Any,
        *,
        street: str | None = None,
        lat: float | None = None,
        lon: float | None = None,
        status: str = "open",
    ) -> uuid.UUID:
        """A note written straight into the database at any moment (the API refuses notes older than a week)."""
        from buurtwacht.models import Note, NoteStatus
        from buurtwacht.notes.places import place_key

        with self.app.app_context():
            note = Note(
                id=uuid.uuid4(), group_id=group.id, author_id=author.id if author else None, category=category,
                what="Waarneming tijdens de ronde.", observed_at=observed_at, street=street, lat=lat, lon=lon,
                place_key=place_key(street, lat, lon), area_id=group.area_id, status=NoteStatus(status),
                request_hash="0" * 64, created_at=observed_at, updated_at=observed_at,
            )  # fmt: skip
            self._commit(note)
            return note.id

    def volunteers_with_phones(
        self, group: GroupRef, count: int, prefix: str = "fid-phone", *, locale: str = "nl"
    ) -> list[str]:
        """`count` active volunteers of the group, each with one registered phone whose FCM
        installation id is `{prefix}-NNN`, written in one transaction; returns the addresses."""
        from buurtwacht.models import AddressKind, Device, Platform

        addresses = [f"{prefix}-{i:03d}" for i in range(count)]
        with self.app.app_context():
            session = db.session()
            people = [
                Person(
                    id=uuid.uuid4(),
                    firebase_uid=f"uid-{uuid.uuid4().hex}",
                    email=f"phone{next(_counter)}-{uuid.uuid4().hex[:6]}@example.org",
                    display_name=f"Vrijwilliger {address}",
                    locale=locale,
                )
                for address in addresses
            ]
            session.add_all(people)
            session.flush()  # people first: memberships and devices point at them
            for person, address in zip(people, addresses, strict=True):
                session.add(
                    Membership(
                        group_id=group.id,
                        person_id=person.id,
                        role=MembershipRole.VOLUNTEER,
                        status=MembershipStatus.ACTIVE,
                    )
                )
                session.add(
                    Device(
                        id=uuid.uuid4(),
                        person_id=person.id,
                        address_kind=AddressKind.FID,
                        address=address,
                        platform=Platform.ANDROID,
                    )
                )
            session.commit()
        return addresses
