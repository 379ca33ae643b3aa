"""Signing in: only a fresh Firebase ID token of this project lets a person in; everything else is a clear 401.

A person an admin named by e-mail before they ever signed in is linked to their account on the
first sign-in, but only when Firebase vouches for the e-mail address.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any

import google.auth.crypt
import google.auth.jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from buurtwacht import db
from buurtwacht.auth.service import verifier
from tests.factories import Someone

PROJECT = "buurtwacht-dev"


def is_error_shape(body: dict[str, Any], code: int) -> bool:
    return body["code"] == code and isinstance(body["status"], str) and isinstance(body["message"], str)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def claims_for(person: Someone, project: str = PROJECT, **changes: Any) -> dict[str, Any]:
    """The claims Firebase puts in an ID token for this person, with changes."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": f"https://securetoken.google.com/{project}",
        "aud": project,
        "auth_time": now,
        "user_id": person.uid,
        "sub": person.uid,
        "iat": now,
        "exp": now + 3600,
        "email": person.email,
        "email_verified": True,
        "name": person.name,
        "firebase": {"identities": {"email": [person.email]}, "sign_in_provider": "password"},
    }
    claims.update(changes)
    return claims


def a_stranger_key(kid: str) -> google.auth.crypt.RSASigner:
    """An RSA key nobody trusts, presenting itself under the given key id."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return google.auth.crypt.RSASigner.from_string(pem, key_id=kid)


def the_local_key(app) -> google.auth.crypt.RSASigner:  # type: ignore[no-untyped-def]
    """The app's own development key, to sign claims that LocalSigningKey would never write."""
    with app.app_context():
        kid = verifier().local_key.kid  # made on first use
        pem_file = app.config["BUURTWACHT"].AUTH_LOCAL_KEY_FILE
    with open(pem_file, "rb") as pem:
        return google.auth.crypt.RSASigner.from_string(pem.read(), key_id=kid)


def local_kid(app) -> str:  # type: ignore[no-untyped-def]
    with app.app_context():
        return verifier().local_key.kid


def sign(signer: google.auth.crypt.RSASigner, claims: dict[str, Any]) -> str:
    return google.auth.jwt.encode(signer, claims).decode()


def unsigned_token(header: dict[str, Any], payload: Any) -> str:
    def segment(value: Any) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{segment(header)}.{segment(payload)}.c2lnbmF0dXJl"


def people_count(app) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from buurtwacht.models import Person

    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(Person)) or 0


# A valid token


def test_a_fresh_token_of_this_project_signs_the_person_in(client, make):
    bram = make.person("Bram Jansen")
    response = client.get("/api/v1/me", headers=make.headers(bram))
    assert response.status_code == 200
    assert response.get_json()["person"]["id"] == str(bram.id)


# Tokens that must not get in


def test_a_token_signed_by_another_key_under_our_key_id_is_refused(client, make, app):
    bram = make.person("Bram Jansen")
    forged = sign(a_stranger_key(local_kid(app)), claims_for(bram))
    response = client.get("/api/v1/me", headers=bearer(forged))
    assert response.status_code == 401
    body = response.get_json()
    assert is_error_shape(body, 401)
    assert "niet geldig" in body["message"]
    assert "handtekening" in body["message"]


def test_a_token_signed_by_an_unknown_key_is_refused(client, make):
    bram = make.person("Bram Jansen")
    forged = sign(a_stranger_key("a-key-nobody-published"), claims_for(bram))
    response = client.get("/api/v1/me", headers=bearer(forged))
    assert response.status_code == 401
    body = response.get_json()
    assert is_error_shape(body, 401)
    assert body["message"] == "het ID-token is niet geldig: de handtekening kon niet worden gecontroleerd"


def test_an_expired_token_is_refused_with_a_hint_to_get_a_fresh_one(client, make):
    bram = make.person("Bram Jansen")
    two_hours_ago = time.time() - 2 * 3600
    stale = make.token(bram, now=two_hours_ago)
    response = client.get("/api/v1/me", headers=bearer(stale))
    assert response.status_code == 401
    body = response.get_json()
    assert is_error_shape(body, 401)
    assert body["message"] == "het ID-token is verlopen; haal een nieuw op bij Firebase"


def test_a_token_that_expired_after_it_was_first_accepted_is_refused_later(client, make):
    import datetime as dt

    import time_machine

    bram = make.person("Bram Jansen")
    token = make.token(bram, lifetime=dt.timedelta(minutes=5))
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    with time_machine.travel(time.time() + 3600, tick=False):
        response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 401
    assert "verlopen" in response.get_json()["message"]


def test_a_token_for_another_firebase_project_is_refused(client, make):
    bram = make.person("Bram Jansen")
    other = "andere-gemeente"
    token = make.token(bram, aud=other, iss=f"https://securetoken.google.com/{other}")
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 401
    body = response.get_json()
    assert is_error_shape(body, 401)
    assert body["message"] == "het ID-token is niet geldig: het is uitgegeven voor een ander Firebase-project"
    assert PROJECT not in body["message"]


def test_a_token_from_another_issuer_is_refused(client, make):
    bram = make.person("Bram Jansen")
    token = make.token(bram, iss="https://securetoken.google.com/andere-gemeente")
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 401
    assert (
        response.get_json()["message"]
        == "het ID-token is niet geldig: het is uitgegeven voor een ander Firebase-project"
    )


def test_no_authorization_header_asks_to_sign_in(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    body = response.get_json()
    assert is_error_shape(body, 401)
    assert body["message"] == "log eerst in: stuur 'Authorization: Bearer <Firebase ID-token>'"


@pytest.mark.parametrize(
    "header",
    ["Basic YW5uYTpnZWhlaW0=", "Token abc.def.ghi", "Bearer", "Bearer    ", "abc.def.ghi"],
    ids=["basic", "other-scheme", "bearer-without-token", "bearer-blank", "token-without-scheme"],
)
def test_anything_but_a_bearer_token_asks_to_sign_in(client, header):
    response = client.get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401
    body = response.get_json()
    assert is_error_shape(body, 401)
    assert "log eerst in" in body["message"]


def test_the_bearer_scheme_is_case_insensitive(client, make):
    bram = make.person("Bram Jansen")
    response = client.get("/api/v1/me", headers={"Authorization": f"bearer {make.token(bram)}"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "garbage",
    [
        "garbage",
        "a.b.c",
        "eyJhbGciOiJSUzI1NiJ9.bm90LWpzb24.c2ln",
        unsigned_token({"alg": "RS256", "kid": "x"}, [1, 2, 3]),
        unsigned_token({"alg": "none", "kid": "x"}, {"aud": PROJECT, "sub": "u"}),
        unsigned_token({"alg": "RS256"}, {"aud": PROJECT, "sub": "u"}),
    ],
    ids=["word", "three-dots", "payload-not-json", "payload-a-list", "alg-none", "no-kid"],
)
def test_garbage_tokens_are_refused_as_not_valid(client, app, garbage):
    before = people_count(app)
    response = client.get("/api/v1/me", headers=bearer(garbage))
    assert response.status_code == 401
    body = response.get_json()
    assert is_error_shape(body, 401)
    assert body["message"].startswith("het ID-token is niet geldig: ")
    assert people_count(app) == before


@pytest.mark.parametrize("d", [5, None], ids=["d-number", "d-null"])
def test_a_token_shaped_like_a_legacy_custom_token_is_refused_not_a_crash(client, d):
    token = unsigned_token({"alg": "HS256", "typ": "JWT"}, {"v": 0, "d": d, "iat": int(time.time())})
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 401
    assert is_error_shape(response.get_json(), 401)


def test_a_token_without_an_e_mail_address_is_refused(client, app):
    uid = f"uid-phone-only-{uuid.uuid4().hex[:8]}"
    claims = claims_for(Someone(uuid.uuid4(), uid, "unused@example.org", "Piet Telefoon"))
    for key in ("email", "email_verified"):
        del claims[key]
    claims["firebase"] = {"identities": {"phone": ["+31612345678"]}, "sign_in_provider": "phone"}
    before = people_count(app)
    response = client.get("/api/v1/me", headers=bearer(sign(the_local_key(app), claims)))
    assert response.status_code == 401
    body = response.get_json()
    assert is_error_shape(body, 401)
    assert body["message"] == "het ID-token bevat geen e-mailadres: log in met je e-mailadres"
    assert people_count(app) == before


# A person named by e-mail before their first sign-in


def name_a_coordinator(client, make, email: str, display_name: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    admin = make.person("Gemma Gemeente", admin=True)
    response = client.post(
        "/api/v1/groups",
        json={
            "name": "Buurtpreventie Bargeres",
            "area_id": make.area_id("bargeres"),
            "coordinator": {"email": email, "display_name": display_name},
        },
        headers=make.headers(admin),
    )
    assert response.status_code == 201, response.get_json()
    group: dict[str, Any] = response.get_json()
    return group


def test_a_coordinator_named_by_e_mail_is_linked_on_first_sign_in_with_a_verified_address(client, make):
    group = name_a_coordinator(client, make, "Carla.Bos@Example.org", "Carla Bos")
    carla = Someone(uuid.uuid4(), "uid-carla-firebase", "carla.bos@example.org", "Carla B.")
    response = client.get("/api/v1/me", headers=bearer(make.token(carla, email_verified=True)))
    assert response.status_code == 200
    me = response.get_json()
    assert me["person"]["email"] == "carla.bos@example.org"
    assert me["person"]["display_name"] == "Carla Bos"  # the name the admin gave, not a new person
    assert [(m["group_id"], m["role"], m["status"]) for m in me["memberships"]] == [
        (group["id"], "coordinator", "active")
    ]
    # She now runs the group: she can make its invite code.
    invite = client.post(f"/api/v1/groups/{group['id']}/invite", json={}, headers=bearer(make.token(carla)))
    assert invite.status_code == 201


def test_an_unverified_address_does_not_claim_a_person_named_by_e_mail(client, make):
    group = name_a_coordinator(client, make, "carla.bos@example.org", "Carla Bos")
    impostor = Someone(uuid.uuid4(), "uid-impostor", "carla.bos@example.org", "Niet Carla")
    response = client.get("/api/v1/me", headers=bearer(make.token(impostor, email_verified=False)))
    # A person of their own, with none of the group's roles and an address nobody relies on.
    assert response.status_code == 200
    assert response.get_json()["person"]["email_verified"] is False
    assert response.get_json()["memberships"] == []
    # Nothing was linked: the real Carla, once verified, still gets her group.
    carla = Someone(uuid.uuid4(), "uid-carla-firebase", "carla.bos@example.org", "Carla Bos")
    me = client.get("/api/v1/me", headers=bearer(make.token(carla, email_verified=True))).get_json()
    assert [m["group_id"] for m in me["memberships"]] == [group["id"]]
    # And the unverified account still holds nothing, not even after she was linked.
    again = client.get("/api/v1/me", headers=bearer(make.token(impostor, email_verified=False)))
    assert again.status_code == 200
    assert again.get_json()["memberships"] == []


def test_a_second_account_with_a_linked_address_cannot_take_the_person_over(client, make):
    bram = make.person("Bram Jansen")
    other_account = Someone(uuid.uuid4(), "uid-second-account", bram.email, "Bram Jansen")
    response = client.get("/api/v1/me", headers=bearer(make.token(other_account, email_verified=True)))
    assert response.status_code == 409
    assert is_error_shape(response.get_json(), 409)
    assert client.get("/api/v1/me", headers=make.headers(bram)).status_code == 200


def test_a_new_account_with_an_unverified_address_still_becomes_a_person(client, make):
    newcomer = Someone(uuid.uuid4(), "uid-fresh-unverified", "fresh@example.org", "Fenna Vers")
    response = client.get("/api/v1/me", headers=bearer(make.token(newcomer, email_verified=False)))
    assert response.status_code == 200
    assert response.get_json()["person"]["email"] == "fresh@example.org"
    assert response.get_json()["person"]["email_verified"] is False
