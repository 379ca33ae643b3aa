"""Who a signed-in person is, kept per worker while the tables it came from are unchanged.

Every request of a signed-in person needs their row, their roles in groups and the areas they serve
as wijkagent; reading those is a few statements and a few ORM objects per request. A worker keeps
them per Firebase uid, with the committed versions of `people`, `memberships` and
`officer_assignments` they were read under (buurtwacht/readcache.py: every writing transaction
advances the versions of the tables it wrote, inside itself). Each request reads all versions in one
round trip (the same one the read cache uses) and uses what is kept only while those three are
unchanged, and while this process has had no change notice for them: a removal, a demotion, a
new wijkagent area or an erasure takes effect on the very next request in every worker.

The areas' parents (for "a wijkagent of an area above the group") are kept the same way, under the
version of `areas`, and the groups' rows (every request inside a group starts by reading its group)
under the version of `groups`: a renamed group or changed rule is read afresh by the next request.

Only on PostgreSQL, with the read cache's listener connected; elsewhere every request reads the
database, as before.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import g
from prometheus_client import Counter
from sqlalchemy import select
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import manager_of_class

from buurtwacht import db, readcache
from buurtwacht.context import here, this_app
from buurtwacht.models import Area, Group, Membership, MembershipStatus, OfficerAssignment, Person

TABLES = ("people", "memberships", "officer_assignments")
AREA_TABLES = ("areas",)
GROUP_TABLES = ("groups",)
_Loaded = TypeVar("_Loaded", Person, Group)
MOST = 20_000  # people kept per worker (least recently used go first): a few MB
MOST_GROUPS = 5_000  # a municipality has tens to hundreds

LOOKUPS = Counter("buurtwacht_sign_in_lookups", "Signed-in requests by where the person came from", ["result"])
GROUP_LOOKUPS = Counter("buurtwacht_group_lookups", "Groups looked up by access checks, kept or read", ["result"])

_COLUMNS = tuple(attr.key for attr in Person.__mapper__.column_attrs)
_GROUP_COLUMNS = tuple(attr.key for attr in Group.__mapper__.column_attrs)


@dataclass(frozen=True)
class Identity:
    """A person's row and relations as committed under `versions`."""

    person: dict[str, Any]
    roles: dict[uuid.UUID, str]  # group id -> role, active memberships only
    officer_areas: frozenset[int]
    versions: tuple[int, ...]
    noticed: tuple[int, ...]


@dataclass(frozen=True)
class KeptGroup:
    """A group's row as committed under `versions`."""

    values: dict[str, Any]
    versions: tuple[int, ...]
    noticed: tuple[int, ...]


@dataclass(frozen=True)
class AreaParents:
    parents: dict[int, int | None]
    versions: tuple[int, ...]
    noticed: tuple[int, ...]


class Kept:
    """One worker's identities and area tree."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._people: OrderedDict[str, Identity] = OrderedDict()
        self._groups: OrderedDict[uuid.UUID, KeptGroup] = OrderedDict()
        self.areas: AreaParents | None = None

    def get(self, uid: str) -> Identity | None:
        with self._lock:
            found = self._people.get(uid)
            if found is not None:
                self._people.move_to_end(uid)
            return found

    def put(self, uid: str, identity: Identity) -> None:
        with self._lock:
            self._people[uid] = identity
            self._people.move_to_end(uid)
            while len(self._people) > MOST:
                self._people.popitem(last=False)

    def group(self, group_id: uuid.UUID) -> KeptGroup | None:
        with self._lock:
            found = self._groups.get(group_id)
            if found is not None:
                self._groups.move_to_end(group_id)
            return found

    def put_group(self, group_id: uuid.UUID, kept: KeptGroup) -> None:
        with self._lock:
            self._groups[group_id] = kept
            self._groups.move_to_end(group_id)
            while len(self._groups) > MOST_GROUPS:
                self._groups.popitem(last=False)

    def forget(self) -> None:
        with self._lock:
            self._people.clear()
            self._groups.clear()
            self.areas = None


def _as_loaded(cls: type[_Loaded], values: dict[str, Any]) -> _Loaded:
    """An instance of `cls` with these column values, as if just loaded: no pending changes, no statement.

    Its values go into the instance's dict as the ORM's loading puts them (the constructor would set each one
    through the attribute events, then make_transient_to_detached would take them as loaded: 25 us against 5).
    """
    made = manager_of_class(cls).new_instance()
    made.__dict__.update(values)
    make_transient_to_detached(made)
    return made  # type: ignore[no-any-return]


def _kept() -> Kept | None:
    """This app's kept identities, where they can be kept safely (PostgreSQL, listener connected)."""
    extensions = this_app().extensions
    if "buurtwacht.readcache" not in extensions:
        return None
    found: Kept | None = extensions.get("buurtwacht.identities")
    if found is None:
        found = extensions.setdefault("buurtwacht.identities", Kept())
    return found


def _versions(tables: tuple[str, ...]) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    committed = readcache.committed_versions()
    if committed is None:
        return None
    readcache.presumed_for(tables)
    return tuple(committed.get(t, 0) for t in tables), readcache.changed_here(tables)


def forget() -> None:
    """Drop every kept identity of this worker (tests use it to compare with the database path)."""
    kept = _kept()
    if kept is not None:
        kept.forget()


# The person


def kept_person(uid: str, claims_email: str, verified: bool) -> Person | None:
    """The person behind a verified uid from memory, attached to this request's session without a
    statement; None when nothing usable is kept (then the caller reads the database)."""
    kept = _kept()
    if kept is None:
        return None
    identity = kept.get(uid)
    now = _versions(TABLES) if identity is not None else None
    if identity is None or now is None or (identity.versions, identity.noticed) != now:
        LOOKUPS.labels("read").inc()
        return None
    values = identity.person
    # A token that may bind or record an address: person_for_claims writes, so it reads the row itself.
    if values["verified_email"] is None and claims_email and (verified or values["unverified_email"] != claims_email):
        LOOKUPS.labels("read").inc()
        return None
    LOOKUPS.labels("kept").inc()
    person = _as_loaded(Person, values)
    db.attach(person)
    g.identity = identity
    readcache.reading_from_memory(frozenset(TABLES))
    return person


def remember(uid: str, person: Person) -> None:
    """Keep the person just read (unchanged by this request) with their roles and officer areas."""
    kept = _kept()
    if kept is None:
        return
    now = _versions(TABLES)  # read before the statements below: a change after them is a newer version
    if now is None:
        return
    session = db.session()
    values = {key: getattr(person, key) for key in _COLUMNS}
    roles = dict(
        session.execute(
            select(Membership.group_id, Membership.role).where(
                Membership.person_id == person.id, Membership.status == MembershipStatus.ACTIVE
            )
        ).all()
    )
    areas = frozenset(
        session.scalars(select(OfficerAssignment.area_id).where(OfficerAssignment.person_id == person.id))
    )
    identity = Identity(values, {k: str(v) for k, v in roles.items()}, areas, *now)
    kept.put(uid, identity)
    g.identity = identity


def of(person: Person) -> Identity | None:
    """The kept identity of the signed-in person, if this request uses one and `person` is them."""
    identity: Identity | None = here().get("identity")
    if identity is None or identity.person["id"] != person.id:
        return None
    readcache.reading_from_memory(frozenset(TABLES))
    return identity


# The areas


def area_parents() -> dict[int, int | None] | None:
    """Every area's parent, from memory while `areas` is unchanged; None where nothing may be kept."""
    kept = _kept()
    if kept is None:
        return None
    now = _versions(AREA_TABLES)
    if now is None:
        return None
    found = kept.areas
    if found is None or (found.versions, found.noticed) != now:
        session = db.session()
        rows = session.execute(select(Area.id, Area.parent_id)).all()
        found = AreaParents(dict(rows), *now)  # type: ignore[arg-type]
        # Kept only as committed: not when this transaction has itself written areas (it may yet roll back).
        if not readcache.written_here(session.connection(), AREA_TABLES):
            kept.areas = found
    else:
        readcache.reading_from_memory(frozenset(AREA_TABLES))
    return found.parents


# The groups


def group(group_id: uuid.UUID) -> Group | None:
    """The group, from memory while `groups` is unchanged, else from the database (and then kept);
    None when there is no such group. Off PostgreSQL (nothing kept) it is the session's get."""
    kept = _kept()
    now = _versions(GROUP_TABLES) if kept is not None else None
    if kept is None or now is None:
        return db.session().get(Group, group_id)
    loaded = db.attached(Group, group_id)
    if isinstance(loaded, Group):
        return loaded  # already in this request, perhaps changed by it: neither replaced nor kept from here
    found = kept.group(group_id)
    if found is not None and (found.versions, found.noticed) == now:
        made = _as_loaded(Group, found.values)
        db.attach(made)
        readcache.reading_from_memory(frozenset(GROUP_TABLES))
        GROUP_LOOKUPS.labels("kept").inc()
        return made
    GROUP_LOOKUPS.labels("read").inc()
    session = db.session()
    read = session.get(Group, group_id)  # read after `now`: a change after it is a newer version
    # Kept only as committed: not when this transaction has itself written groups (it may yet roll back).
    if read is not None and not readcache.written_here(session.connection(), GROUP_TABLES):
        kept.put_group(group_id, KeptGroup({key: getattr(read, key) for key in _GROUP_COLUMNS}, *now))
    return read
