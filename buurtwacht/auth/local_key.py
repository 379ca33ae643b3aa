"""A local RSA key that signs Firebase-shaped ID tokens for development and tests.

firebase-admin verifies these tokens with its own code; only the public certificates it would
fetch from Google are served from this key instead (a requests adapter on the verifier's
session). The app refuses to start in production with this mode.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

import google.auth.crypt
import google.auth.jwt
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from firebase_admin import _token_gen

ISSUER_PREFIX = "https://securetoken.google.com/"
TOKEN_LIFETIME = dt.timedelta(hours=1)


class LocalSigningKey:
    """An RSA key in a PEM file, made on first use, and its self-signed certificate."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            pem = key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            # Write-then-rename, so two processes starting together never read half a key.
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(pem)
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        self._pem = path.read_bytes()
        loaded = serialization.load_pem_private_key(self._pem, password=None)
        if not isinstance(loaded, rsa.RSAPrivateKey):
            raise ValueError(f"{path} does not hold an RSA private key")
        public_der = loaded.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.kid = hashlib.sha256(public_der).hexdigest()[:40]
        self.certificate_pem = _self_signed_certificate(loaded).decode()
        self._signer = google.auth.crypt.RSASigner.from_string(self._pem, key_id=self.kid)

    def sign_id_token(
        self,
        project_id: str,
        uid: str,
        email: str,
        name: str | None = None,
        email_verified: bool = True,
        lifetime: dt.timedelta = TOKEN_LIFETIME,
        now: float | None = None,
        **overrides: Any,
    ) -> str:
        """A token shaped like one the Firebase SDKs hand the app after sign-in."""
        issued = int(now if now is not None else time.time())
        claims: dict[str, Any] = {
            "iss": ISSUER_PREFIX + project_id,
            "aud": project_id,
            "auth_time": issued,
            "user_id": uid,
            "sub": uid,
            "iat": issued,
            "exp": issued + int(lifetime.total_seconds()),
            "email": email,
            "email_verified": email_verified,
            "firebase": {"identities": {"email": [email]}, "sign_in_provider": "password"},
        }
        if name:
            claims["name"] = name
        claims.update(overrides)
        token: bytes = google.auth.jwt.encode(self._signer, claims)
        return token.decode()

    def serve_certificates_on(self, session: requests.Session) -> None:
        """Answer the verifier's certificate fetches with this key's certificate."""
        session.mount(_token_gen.ID_TOKEN_CERT_URI, _CertificateAdapter({self.kid: self.certificate_pem}))


class _CertificateAdapter(requests.adapters.BaseAdapter):
    def __init__(self, certificates: dict[str, str]) -> None:
        super().__init__()
        self._body = json.dumps(certificates).encode()

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        response = requests.Response()
        response.status_code = 200
        response._content = self._body
        response.headers["Content-Type"] = "application/json; charset=UTF-8"
        response.headers["Cache-Control"] = "public, max-age=3600"
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        pass


def _self_signed_certificate(key: rsa.RSAPrivateKey) -> bytes:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "buurtwacht local signing key")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)
