"""Demo data: a group in Bargeres with its coordinator, volunteers, wijkagent and weekly rounds, and how to sign in."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import click
from sqlalchemy import select
from sqlalchemy.engine import make_url

from buurtwacht import db, migrate
from buurtwacht.models import (
    AddressKind,
    Area,
    Device,
    Group,
    GroupInvite,
    Membership,
    MembershipEvent,
    MembershipRole,
    MembershipStatus,
    OfficerAssignment,
    Patrol,
    Platform,
)
from buurtwacht.patrols import service as patrols
from buurtwacht.people.service import find_or_invite_person
from buurtwacht.schedules import service as schedules
from buurtwacht.schedules.schemas import ScheduleCreateSchema

DEMO_GROUP = "Buurtpreventie Bargeres"
ADMIN = ("gemeente@buurtwacht.example", "Gemeente Emmen")
OFFICER = ("wijkagent@buurtwacht.example", "Sanne Mulder")
COORDINATOR = ("coordinator@buurtwacht.example", "Anna de Vries")
VOLUNTEERS = [
    ("bram@buurtwacht.example", "Bram Jansen"),
    ("fatima@buurtwacht.example", "Fatima El Amrani"),
    ("henk@buurtwacht.example", "Henk Bakker"),
]
DEMO_INVITE_CODE = "BARGERES"


DEFAULT_URL = "http://127.0.0.1:5000"  # where `flask run` listens unless told otherwise


def run(reset: bool = False, url: str = DEFAULT_URL) -> None:
    """Migrate, load the demo data and print how to sign in; `url` is where the API will be served."""
    database = db.database().url
    if reset:
        parsed = make_url(database)
        if parsed.get_backend_name() != "sqlite" or not parsed.database:
            raise click.ClickException("--reset only deletes the SQLite demo database")
        db.database().dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(parsed.database + suffix).unlink(missing_ok=True)
    if database.startswith("sqlite"):
        Path(make_url(database).database or "").parent.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(database)
    _load()
    _print_sign_in(url)


def _load() -> None:
    session = db.session()
    bargeres = session.scalars(select(Area).where(Area.code == "bargeres")).one()
    admin = find_or_invite_person(*ADMIN)
    admin.is_admin = True
    officer = find_or_invite_person(*OFFICER)
    if session.get(OfficerAssignment, (officer.id, bargeres.id)) is None:
        session.add(OfficerAssignment(person_id=officer.id, area_id=bargeres.id))
    group = session.scalars(select(Group).where(Group.name == DEMO_GROUP)).one_or_none()
    if group is None:
        group = Group(
            name=DEMO_GROUP,
            description="Avondrondes door Bargeres, altijd met z'n tweeën. Evening rounds, always in pairs.",
            area_id=bargeres.id,
        )
        session.add(group)
        session.flush()
        members = [(COORDINATOR, MembershipRole.COORDINATOR)] + [(v, MembershipRole.VOLUNTEER) for v in VOLUNTEERS]
        for (email, name), role in members:
            person = find_or_invite_person(email, name)
            membership = Membership(group_id=group.id, person_id=person.id, role=role, status=MembershipStatus.ACTIVE)
            session.add(membership)
            session.flush()
            session.add(MembershipEvent(membership_id=membership.id, kind="added", detail=str(role), actor_id=admin.id))
        now = db.utcnow()
        session.add(
            GroupInvite(
                group_id=group.id, code=DEMO_INVITE_CODE, created_at=now, expires_at=now + dt.timedelta(days=365)
            )
        )
        _plan_rounds(group)
    _register_phones([ADMIN, OFFICER, COORDINATOR, *VOLUNTEERS])
    session.commit()


def _register_phones(people: list[tuple[str, str]]) -> None:
    """A phone for each demo person, so an alert reaches them; `flask push queued` shows what it would say."""
    session = db.session()
    for email, name in people:
        person = find_or_invite_person(email, name)
        device_id = uuid.uuid5(uuid.NAMESPACE_URL, f"buurtwacht-demo:{email}")
        if session.get(Device, device_id) is None:
            session.add(
                Device(
                    id=device_id,
                    person_id=person.id,
                    address_kind=AddressKind.FID,
                    address=f"demo-phone-{email.split('@')[0]}",
                    platform=Platform.ANDROID,
                )
            )
    session.flush()


def _plan_rounds(group: Group) -> None:
    """The group's weekly rounds (Tuesday and Friday evening) through the roster's own rules, with
    Bram and Fatima on the first one, so the app has a roster to show."""
    coordinator = find_or_invite_person(*COORDINATOR)
    schedule = ScheduleCreateSchema().load(
        {
            "rrule": "FREQ=WEEKLY;BYDAY=TU,FR",
            "start_time": "20:00",
            "end_time": "22:00",
            "meeting_point": "Wijkcentrum Bargeres, Statenweg",
            "briefing": "Let op open ramen, schuurdeuren en kapotte straatverlichting. Bij twijfel: 112.",
        }
    )
    schedules.create_schedule(coordinator, group.id, schedule)
    first = (
        db.session()
        .scalars(
            select(Patrol).where(Patrol.group_id == group.id, Patrol.starts_at > db.utcnow()).order_by(Patrol.starts_at)
        )
        .first()
    )
    if first is not None:
        for email, name in VOLUNTEERS[:2]:
            patrols.sign_up(find_or_invite_person(email, name), first.id)


def _print_sign_in(url: str = DEFAULT_URL) -> None:
    people = [("admin (gemeente)", ADMIN), ("wijkagent", OFFICER), ("coordinator", COORDINATOR)] + [
        ("volunteer", v) for v in VOLUNTEERS
    ]
    url = url.rstrip("/")
    click.echo(f"\nDemo data is loaded: Emmen's areas and the group '{DEMO_GROUP}'.")
    click.echo(f"Anyone can ask to join it with invite code {DEMO_INVITE_CODE}.\n")
    click.echo("Demo people (get a token for any of them, valid 1 hour; --hours 12 for longer):")
    for role, (email, name) in people:
        click.echo(f"  {role:18} {name:18} .venv/bin/flask --app wsgi token {email}")
    click.echo("\nFor example:")
    click.echo("  TOKEN=$(.venv/bin/flask --app wsgi token coordinator@buurtwacht.example)")
    click.echo(f'  curl -H "Authorization: Bearer $TOKEN" {url}/api/v1/me')
    click.echo(f"\nWeb console: {url}/console (sign in as any demo person; built by make console)")
    click.echo(f"API docs: {url}/docs   OpenAPI: {url}/openapi.json")
    click.echo("Each demo person has a phone: .venv/bin/flask --app wsgi push queued shows what an alert would say.\n")
