"""A refused token is told why in a few fixed, plain words; never the server's clock, project or library text.

Before, the 401 carried firebase-admin's own message, e.g. "Token used too early, 1733300000 < 1733300001":
the server's time to the second, and the project id it expects.
"""

from __future__ import annotations

import re
import time
from typing import Any

import google.auth.crypt
import pytest

from tests.auth.test_sign_in import a_stranger_key, bearer, claims_for, local_kid, sign, the_local_key

EXPIRED = "het ID-token is verlopen; haal een nieuw op bij Firebase"
NOT_YET_VALID = (
    "het ID-token is nog niet geldig: kijk of de klok van je toestel goed staat en haal dan een nieuw op bij Firebase"
)
WRONG_PROJECT = "het ID-token is niet geldig: het is uitgegeven voor een ander Firebase-project"
MALFORMED = "het ID-token is niet geldig: het is geen goed gevormd Firebase ID-token"
BAD_SIGNATURE = "het ID-token is niet geldig: de handtekening kon niet worden gecontroleerd"


def refused(client, token: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 401
    body: dict[str, Any] = response.get_json()
    assert body["code"] == 401
    message: str = body["message"]
    assert not re.search(r"\d{4,}", message), f"a number from the server leaked: {message}"
    assert "buurtwacht-dev" not in message and "Firebase ID token has" not in message
    return message


def test_a_token_issued_in_the_future_is_not_valid_yet_without_the_server_time(client, make):
    bram = make.person("Bram Jansen")
    from_the_future = make.token(bram, now=time.time() + 3600)
    assert refused(client, from_the_future) == NOT_YET_VALID


def test_an_expired_token_says_so_without_times(client, make):
    bram = make.person("Bram Jansen")
    assert refused(client, make.token(bram, now=time.time() - 2 * 3600)) == EXPIRED


@pytest.mark.parametrize(
    "changes",
    [
        {"aud": "andere-gemeente", "iss": "https://securetoken.google.com/andere-gemeente"},
        {"aud": "andere-gemeente"},
        {"iss": "https://securetoken.google.com/andere-gemeente"},
    ],
    ids=["both", "audience", "issuer"],
)
def test_a_token_of_another_project_names_neither_project(client, make, changes):
    bram = make.person("Bram Jansen")
    message = refused(client, make.token(bram, **changes))
    assert message == WRONG_PROJECT
    assert "andere-gemeente" not in message


@pytest.mark.parametrize(
    "changes",
    [{"sub": ""}, {"sub": "x" * 129}, {"sub": 42}, {"iat": "gisteren"}],
    ids=["empty-subject", "long-subject", "number-subject", "text-issued-at"],
)
def test_a_signed_token_with_broken_claims_is_malformed(client, app, make, changes):
    bram = make.person("Bram Jansen")
    assert refused(client, sign(the_local_key(app), claims_for(bram, **changes))) == MALFORMED


def test_a_token_without_a_key_id_is_malformed(client, app, make):
    bram = make.person("Bram Jansen")
    local_kid(app)  # the key file is made on first use
    with open(app.config["BUURTWACHT"].AUTH_LOCAL_KEY_FILE, "rb") as pem:
        signer = google.auth.crypt.RSASigner.from_string(pem.read(), key_id=None)  # our key; the header names none
    assert refused(client, sign(signer, claims_for(bram))) == MALFORMED


@pytest.mark.parametrize("kid", ["ours", "a-key-nobody-published"])
def test_a_forged_signature_is_told_as_such_without_echoing_the_key_id(client, app, make, kid):
    bram = make.person("Bram Jansen")
    key_id = local_kid(app) if kid == "ours" else kid
    message = refused(client, sign(a_stranger_key(key_id), claims_for(bram)))
    assert message == BAD_SIGNATURE
    assert key_id not in message


def test_a_token_whose_payload_was_changed_after_signing_is_a_bad_signature(client, make):
    bram, other = make.person("Bram Jansen"), make.person("Anna de Vries")
    header, _, signature = make.token(bram).split(".")
    _, payload, _ = make.token(other).split(".")
    assert refused(client, f"{header}.{payload}.{signature}") == BAD_SIGNATURE
