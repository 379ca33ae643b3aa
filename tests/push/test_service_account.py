"""Production's credential path: a service account signs a JWT, trades it at its token_uri for an
access token, and every send to FCM carries that token. firebase-admin and google-auth run their own
code against the fake FCM, which plays Google's token endpoint too."""

from __future__ import annotations

import json

import google.auth.jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from buurtwacht import create_app
from buurtwacht.models import MembershipRole
from tests.push.helpers import dispatch, register, start_alert

CLIENT_EMAIL = "buurtwacht-push@buurtwacht-test.iam.gserviceaccount.com"


def service_account(tmp_path, token_uri: str) -> tuple[str, str]:
    """A service-account JSON file as the Firebase console hands it out, with a fresh key; and its public key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps({
        "type": "service_account", "project_id": "buurtwacht-test", "private_key_id": "test-key-1",
        "private_key": private.decode(), "client_email": CLIENT_EMAIL, "client_id": "1",
        "token_uri": token_uri,
    }))  # fmt: skip
    return str(path), public.decode()


def test_a_service_account_trades_a_signed_jwt_for_a_token_and_sends_with_it(make, make_settings, fcm, tmp_path):
    credentials_file, public_key = service_account(tmp_path, f"{fcm.url}/token")
    served = create_app(make_settings(FIREBASE_CREDENTIALS_FILE=credentials_file))
    client = served.test_client()
    sanne, bram = make.person("Sanne Mulder"), make.person("Bram Jansen")
    make.officer(sanne, "emmen-zuid")
    make.member(make.group("bargeres"), bram, MembershipRole.VOLUNTEER)
    register(client, make, bram, "fid-bram-phone")
    start_alert(client, make, sanne)
    try:
        tally = dispatch(served)
    finally:
        with served.app_context():
            served.extensions["buurtwacht.identity"].close()
            if "buurtwacht.fcm" in served.extensions:
                served.extensions["buurtwacht.fcm"].close()

    assert tally.sent == 1
    assert [m["fid"] for m in fcm.received] == ["fid-bram-phone"]
    # google-auth signed the assertion with the account's key, for Google's token audience, asking for FCM;
    # it sent it to the account's token_uri (here the fake).
    [assertion] = fcm.assertions
    claims = google.auth.jwt.decode(assertion, certs=public_key, audience="https://oauth2.googleapis.com/token")
    assert claims["iss"] == CLIENT_EMAIL
    assert "https://www.googleapis.com/auth/cloud-platform" in claims["scope"].split()  # the scope FCM v1 takes
    # and the send carried the access token the endpoint handed out.
    [access] = fcm.issued
    assert fcm.authorizations == [f"Bearer {access}"]
