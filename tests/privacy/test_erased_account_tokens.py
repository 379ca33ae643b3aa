"""A deleted account stays deleted: the ID tokens still out there do not make the person again.

Before, the next call with the very token that deleted the account made a fresh person. Now a token from a
sign-in before the deletion is a 401; a new sign-in makes a new, empty person. What is kept to know this is
the SHA-256 of the uid and the time, for two hours (every token from before has expired by then).
"""

from __future__ import annotations

import datetime as dt
import time

import time_machine
from sqlalchemy import func, select

from buurtwacht import db
from buurtwacht.models import ErasedAccount, Person
from buurtwacht.privacy.service import forget_erasures


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def people(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(Person)) or 0


def test_the_token_that_deleted_the_account_does_not_make_it_again(client, app, make):
    nina = make.person("Nina Nieuw")
    token = make.token(nina)
    assert client.delete("/api/v1/me", headers=bearer(token)).status_code == 204
    before = people(app)

    response = client.get("/api/v1/me", headers=bearer(token))

    assert response.status_code == 401
    body = response.get_json()
    assert (body["code"], body["message"]) == (
        401,
        "dit account is verwijderd; log opnieuw in om een nieuw account te beginnen",
    )
    assert people(app) == before


def test_a_token_refreshed_from_the_old_sign_in_is_refused_too(client, app, make):
    nina = make.person("Nina Nieuw")
    signed_in = int(time.time()) - 600
    assert client.delete("/api/v1/me", headers=make.headers(nina)).status_code == 204
    refreshed = make.token(nina, now=time.time() + 1, auth_time=signed_in)  # a new iat, the old sign-in
    assert client.get("/api/v1/me", headers=bearer(refreshed)).status_code == 401


def test_a_new_sign_in_after_the_deletion_is_a_new_empty_person(client, app, make):
    nina = make.person("Nina Nieuw")
    assert client.delete("/api/v1/me", headers=make.headers(nina)).status_code == 204

    again = client.get("/api/v1/me", headers=bearer(make.token(nina, now=time.time() + 2)))

    assert again.status_code == 200
    assert again.get_json()["person"]["id"] != str(nina.id)
    assert again.get_json()["memberships"] == []


def test_the_record_holds_no_uid_and_goes_once_every_old_token_expired(client, app, make):
    nina = make.person("Nina Nieuw")
    assert client.delete("/api/v1/me", headers=make.headers(nina)).status_code == 204
    with app.app_context():
        rows = db.session().execute(select(ErasedAccount.uid_hash, ErasedAccount.erased_at)).all()
        assert len(rows) == 1 and nina.uid not in rows[0].uid_hash
        assert forget_erasures(db.utcnow() + dt.timedelta(hours=1)) == 0
        assert forget_erasures(db.utcnow() + dt.timedelta(hours=2, minutes=1)) == 1
        db.session().commit()


def test_an_old_record_no_longer_refuses(client, app, make):
    nina = make.person("Nina Nieuw")
    signed_in = int(time.time())
    assert client.delete("/api/v1/me", headers=make.headers(nina)).status_code == 204
    with time_machine.travel(time.time() + 3 * 3600, tick=False):
        # Only a token refreshed from the old sign-in can still come; by now it is an ordinary new person.
        late = make.token(nina, auth_time=signed_in)
        assert client.get("/api/v1/me", headers=bearer(late)).status_code == 200


def test_the_nightly_retention_run_drops_records_whose_tokens_have_all_expired(client, app, make):
    from buurtwacht.privacy.jobs import apply_retention

    nina = make.person("Nina Nieuw")
    assert client.delete("/api/v1/me", headers=make.headers(nina)).status_code == 204
    with app.app_context():
        apply_retention()
        db.session().commit()
        assert db.session().scalar(select(func.count()).select_from(ErasedAccount)) == 1  # still within two hours
    with time_machine.travel(time.time() + 3 * 3600, tick=False), app.app_context():
        apply_retention()
        db.session().commit()
        assert db.session().scalar(select(func.count()).select_from(ErasedAccount)) == 0
