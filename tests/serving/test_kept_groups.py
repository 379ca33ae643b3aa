"""The group an access check keeps per worker is only ever what was committed (auth/identities.group)."""

from __future__ import annotations

from sqlalchemy import update

from buurtwacht import db
from buurtwacht.auth import identities
from buurtwacht.models import Group
from tests.serving.test_read_cache import caught_up


def test_a_name_written_by_a_request_that_rolls_back_is_never_kept(listening, make):
    group = make.group("bargeres", "Buurtpreventie Bargeres", coordinator=make.person("Anna de Vries"))
    caught_up(listening)
    with listening.test_request_context():
        session = db.session()
        session.execute(update(Group).where(Group.id == group.id).values(name="Nooit bewaard"))
        assert identities.group(group.id).name == "Nooit bewaard"  # the request sees its own write
        session.rollback()  # and then fails
    for _ in range(2):  # the first read keeps what it reads, the second is answered from what was kept
        with listening.test_request_context():
            assert identities.group(group.id).name == "Buurtpreventie Bargeres"
            db.session().rollback()


def test_an_area_moved_by_a_request_that_rolls_back_is_never_kept(listening, make):
    """The area tree the wijkagent's access checks walk: a move that was never committed is never used."""
    from sqlalchemy import select

    from buurtwacht.models import Area

    with listening.test_request_context():
        session = db.session()
        bargeres, emmen_oost = (
            session.scalars(select(Area.id).where(Area.code == code)).one() for code in ("bargeres", "emmen-oost")
        )
        before = session.scalars(select(Area.parent_id).where(Area.id == bargeres)).one()
        identities.forget()  # nothing kept yet: this request reads the tree itself
        session.execute(update(Area).where(Area.id == bargeres).values(parent_id=emmen_oost))
        assert identities.area_parents()[bargeres] == emmen_oost  # the request sees its own write
        session.rollback()
    caught_up(listening)
    for _ in range(2):
        with listening.test_request_context():
            assert identities.area_parents()[bargeres] == before
            db.session().rollback()
