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
