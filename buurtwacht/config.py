"""Every setting, declared once with its default, read from BUURTWACHT_* and validated at start-up."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from limits import parse_many

ENV_PREFIX = "BUURTWACHT_"
ENVIRONMENTS = ("development", "test", "production")
AUTH_MODES = ("local", "firebase", "emulator")
# The ID tokens' audience when no project is named, in local and emulator mode only.
DEVELOPMENT_PROJECT_ID = "buurtwacht-dev"
EMULATOR_VARIABLE = "FIREBASE_AUTH_EMULATOR_HOST"
# CAP senders and identifiers are globally unique by a domain name; outside production, when none is
# configured, one that can never be anybody's (RFC 2606).
UNNAMED_SENDER_DOMAIN = "buurtwacht.invalid"
DOMAIN_NAME = re.compile(r"(?=.{1,253}\Z)(?:(?!-)[A-Za-z0-9-]{1,63}(?<!-)\.)+[A-Za-z][A-Za-z0-9-]{1,62}\.?")
# Names that are nobody's in particular, so cannot make an identifier globally unique.
NOT_GLOBAL_DOMAINS = (".invalid", ".localhost", ".local", ".internal", ".lan", ".home.arpa")


class ConfigError(ValueError):
    """A setting is missing, malformed or unsafe for the chosen environment."""


def _setting(default: Any, doc: str) -> Any:
    return field(default=default, metadata={"doc": doc})


@dataclass(frozen=True)
class Settings:
    """The service's settings; the README's configuration table is generated from these docs."""

    ENV: str = _setting("development", "`development`, `test` or `production`.")
    DATABASE_URL: str = _setting(
        "",
        "SQLAlchemy URL. Empty: SQLite file `instance/buurtwacht.sqlite3`. "
        "Production: `postgresql+psycopg://user@host/db`.",
    )
    AUTH_MODE: str = _setting(
        "local",
        "`firebase`: verify Firebase ID tokens against Google's keys. `local`: tokens signed by "
        "a local development key (refused in production). `emulator`: the Firebase Auth emulator at "
        "`FIREBASE_AUTH_EMULATOR_HOST`, whose tokens are not signed (refused in production); in the other "
        "modes that variable stops the start.",
    )
    DEV_SIGN_IN: int = _setting(
        0,
        "`1`: the web console's development sign-in (`GET /api/v1/dev/people`, `POST /api/v1/dev/token`), "
        "which signs anyone in as anyone, for the demo and the tests; `make demo` sets it. It works only "
        "with AUTH_MODE `local` outside production, and stays off unless asked for, so that a server whose "
        "ENV was forgotten hands out no tokens.",
    )
    AUTH_LOCAL_KEY_FILE: str = _setting(
        "local-signing-key.pem",
        "PEM file of the local signing key (relative to the instance folder); made on first use.",
    )
    FIREBASE_PROJECT_ID: str = _setting(
        "",
        f"Firebase project id: the ID tokens' audience. Required with AUTH_MODE `firebase`; "
        f"empty in `local` and `emulator` mode: `{DEVELOPMENT_PROJECT_ID}`.",
    )
    FIREBASE_CREDENTIALS_FILE: str = _setting(
        "", "Service-account JSON for firebase-admin (needed for push in production)."
    )
    MAX_REQUEST_BYTES: int = _setting(1024 * 1024, "Largest request body; larger ones get 413.")
    INVITE_TTL_DAYS: int = _setting(14, "Default lifetime of a group's invite code, in days.")
    INVITE_MAX_TTL_DAYS: int = _setting(90, "Longest lifetime a coordinator may give an invite code.")
    TIMEZONE: str = _setting("Europe/Amsterdam", "Time zone in which times are shown and scheduled.")
    NOTE_EDIT_MINUTES: int = _setting(15, "How long an author may edit a note; after that, comments only.")
    NOTE_MAX_AGE_HOURS: int = _setting(168, "How far back a note's observed time may lie.")
    PHOTO_DIR: str = _setting("photos", "Folder for note photos (relative to the instance folder).")
    PHOTO_MAX_BYTES: int = _setting(8 * 1024 * 1024, "Largest photo upload; larger ones get 413.")
    PHOTOS_PER_NOTE: int = _setting(4, "Most photos on one note.")
    FCM_ENDPOINT: str = _setting(
        "", "Base URL of the FCM HTTP v1 API. Empty: Google's. Tests and local runs point it at a fake on loopback."
    )
    ALERTS_PER_HOUR: int = _setting(6, "Most alerts one issuer may start in an hour (429 beyond).")
    ALERT_DEFAULT_MINUTES: int = _setting(120, "How long an alert stays open unless given an expiry.")
    ALERT_DUPLICATE_MINUTES: int = _setting(15, "An alert like an open one in the same area within this time is 409.")
    PUSH_MAX_ATTEMPTS: int = _setting(8, "Attempts per push before it is recorded as failed.")
    PUSH_LEASE_SECONDS: int = _setting(60, "How long a dispatcher holds a claimed batch before another may take it.")
    FORWARDING_FILE: str = _setting(
        "",
        "JSON file naming, per municipality (the code of its root area), where notes are forwarded: `kind` "
        "(`signalen` or `open311`), `base_url`, `api_key` (Open311), and `categories` mapping note categories "
        "(or `category/subject`) to the target's. Keep it with the secrets (relative to the instance folder). "
        "Empty: no forwarding.",
    )
    FORWARD_TIMEOUT_SECONDS: int = _setting(10, "How long a request to a municipality's system may take.")
    FORWARD_MAX_ATTEMPTS: int = _setting(
        12, "Attempts to forward a note (after 5xx, 429 or a timeout; backoff up to an hour) before it is failed."
    )
    FORWARD_LEASE_SECONDS: int = _setting(
        120, "How long a forwarding dispatcher holds a claimed note before another may take it."
    )
    FIXED_YET_WEEKS: int = _setting(
        4,
        "Weeks after a note went to the municipality before its author is asked, once, whether it is fixed yet "
        "(while the municipality has not closed it; FixMyStreet asks after four).",
    )
    SMTP_HOST: str = _setting("localhost", "SMTP server for e-mail.")
    SMTP_PORT: int = _setting(25, "SMTP port (587 for STARTTLS, 465 for TLS).")
    SMTP_SECURITY: str = _setting("none", "`none`, `starttls` or `tls`.")
    SMTP_USERNAME: str = _setting("", "SMTP user name; empty: no login.")
    SMTP_PASSWORD: str = _setting("", "SMTP password.")
    SMTP_CA_FILE: str = _setting(
        "",
        "PEM file of the certificate authorities to trust for the SMTP server's certificate (a relay with a "
        "private CA). Empty: the system's. The certificate and its host name are always checked.",
    )
    MAIL_FROM: str = _setting("buurtwacht@localhost", "Sender address of e-mail.")
    MAIL_MAX_ATTEMPTS: int = _setting(6, "Attempts per e-mail before it is recorded as failed.")
    SCHEDULER_LOCK_FILE: str = _setting(
        "scheduler.lock", "On SQLite: the file lock that keeps a second scheduler on standby (instance folder)."
    )
    PHOTO_RETENTION_DAYS: int = _setting(
        30, "Note photos, alert tips and alert locations are deleted after this many days."
    )
    ALERT_RETENTION_DAYS: int = _setting(
        365,
        "An ended alert's texts, and who it reached and who looked, are deleted after this many days; its "
        "numbers stay.",
    )
    DEVICE_UNUSED_DAYS: int = _setting(90, "Devices not seen for this many days are removed.")
    AUDIT_RETENTION_DAYS: int = _setting(1826, "How long the audit log of officers' reads is kept (the law's term).")
    MESSAGE_RETENTION_DAYS: int = _setting(
        90,
        "Sent and failed e-mails, and pushes whose every delivery is final, are deleted after this many days.",
    )
    LOG_FORMAT: str = _setting("auto", "`json` (one object per line), `text`, or `auto`: JSON in production.")
    METRICS_TOKEN: str = _setting(
        "", "Bearer token that Prometheus sends to read `/metrics`. Empty: `/metrics` answers 404."
    )
    CORS_ORIGINS: str = _setting(
        "",
        "Comma-separated browser origins allowed to call the API (e.g. `https://dashboard.example`). Empty: CORS off.",
    )

    FIREBASE_WEB_API_KEY: str = _setting(
        "",
        "The Firebase project's web API key (public; Firebase console, project settings): the web console signs "
        "in with it when AUTH_MODE is `firebase`. Empty: the console says it is not set up.",
    )
    FIREBASE_AUTH_DOMAIN: str = _setting(
        "", "The Firebase project's auth domain for the web console. Empty: `<FIREBASE_PROJECT_ID>.firebaseapp.com`."
    )
    CONSOLE_TILE_URL: str = _setting(
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "Map tiles of the web console, an `https://` URL with `{z}`, `{x}` and `{y}`. Empty: maps without "
        "tiles (the markers and circles only).",
    )
    CONSOLE_TILE_ATTRIBUTION: str = _setting(
        "© OpenStreetMap", "The credit shown on the console's maps for the tiles of CONSOLE_TILE_URL."
    )

    PUBLIC_BASE_URL: str = _setting(
        "",
        "Where people reach the API, as `https://host[:port]` (no path): the base of every absolute link it "
        "hands out (calendar feeds, the Atom feed, CAP). Required in production; empty elsewhere: the "
        "request's own address.",
    )

    CAP_SENDER_DOMAIN: str = _setting(
        "",
        "Internet domain that makes CAP messages globally unique: their sender is `buurtwacht@DOMAIN` and "
        "their identifiers end in `@DOMAIN`. Empty: the host of PUBLIC_BASE_URL, else `buurtwacht.invalid` "
        "(refused in production, as are IP addresses and local names such as `.local` or `.internal`).",
    )

    READ_CACHE_SECONDS: int = _setting(
        10,
        "On PostgreSQL: how long a worker may answer a repeated read (same person, same URL) from memory. "
        "Any commit that changes what it read drops it at once, in every worker. 0: off.",
    )
    READ_CACHE_MEGABYTES: int = _setting(32, "Most memory each web worker keeps answers in (least recently used go).")

    RATE_LIMIT_STORAGE: str = _setting(
        "memory://",
        "Where rate limits count: `memory://` (each process alone: 2 workers let twice as much through, and "
        "production warns at start) or `redis://host:6379/0` (all together).",
    )
    RATE_LIMIT_WRITES: str = _setting("120/minute", "Changes (POST, PUT, PATCH, DELETE) per signed-in person.")
    RATE_LIMIT_ALERTS: str = _setting("3/minute", "Alerts one person may start, on top of ALERTS_PER_HOUR.")
    RATE_LIMIT_TIPS: str = _setting("10/minute;60/hour", "Tips one person may send (`;` separates limits).")
    RATE_LIMIT_PHOTOS: str = _setting("20/minute;200/hour", "Photo uploads one person may try, refused ones too.")

    def __post_init__(self) -> None:
        if not self.FIREBASE_PROJECT_ID and self.AUTH_MODE != "firebase":
            object.__setattr__(self, "FIREBASE_PROJECT_ID", DEVELOPMENT_PROJECT_ID)

    def rate_limit(self, kind: str) -> str:
        return str(getattr(self, f"RATE_LIMIT_{kind.upper()}"))

    @property
    def cap_sender_domain(self) -> str:
        """The domain in CAP senders and identifiers: the setting, else PUBLIC_BASE_URL's host if it is a name."""
        host = urlsplit(self.PUBLIC_BASE_URL).hostname or ""
        chosen = self.CAP_SENDER_DOMAIN or (host if DOMAIN_NAME.fullmatch(host) else UNNAMED_SENDER_DOMAIN)
        return chosen.lower().rstrip(".")

    @property
    def firebase_auth_domain(self) -> str:
        return self.FIREBASE_AUTH_DOMAIN or f"{self.FIREBASE_PROJECT_ID}.firebaseapp.com"

    @property
    def cors_origins(self) -> frozenset[str]:
        return frozenset(o.strip() for o in self.CORS_ORIGINS.split(",") if o.strip())

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Read settings from the environment, then apply explicit overrides (tests, factories)."""
        environ = dict(os.environ if environ is None else environ)
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = environ.get(ENV_PREFIX + f.name)
            if raw is None:
                continue
            if f.type == "int":
                try:
                    values[f.name] = int(raw)
                except ValueError as exc:
                    raise ConfigError(f"{ENV_PREFIX}{f.name} must be a whole number, got {raw!r}") from exc
            else:
                values[f.name] = raw
        values.update(overrides)
        unknown = set(values) - {f.name for f in fields(cls)}
        if unknown:
            raise ConfigError(f"unknown settings: {', '.join(sorted(unknown))}")
        settings = cls(**values)
        settings.validate(environ)
        return settings

    def validate(self, environ: dict[str, str]) -> None:
        """Refuse settings that are malformed, or unsafe in production."""
        if self.ENV not in ENVIRONMENTS:
            raise ConfigError(f"{ENV_PREFIX}ENV must be one of {', '.join(ENVIRONMENTS)}, got {self.ENV!r}")
        if self.DEV_SIGN_IN not in (0, 1):
            raise ConfigError(f"{ENV_PREFIX}DEV_SIGN_IN must be 0 or 1, got {self.DEV_SIGN_IN!r}")
        if self.AUTH_MODE not in AUTH_MODES:
            raise ConfigError(f"{ENV_PREFIX}AUTH_MODE must be one of {', '.join(AUTH_MODES)}, got {self.AUTH_MODE!r}")
        if not self.FIREBASE_PROJECT_ID:
            raise ConfigError(f"{ENV_PREFIX}FIREBASE_PROJECT_ID must be set with {ENV_PREFIX}AUTH_MODE=firebase")
        # firebase-admin reads the process environment itself, whatever was passed here; with the variable set
        # it skips the signature, algorithm and expiry checks of every ID token.
        emulator = environ.get(EMULATOR_VARIABLE) or os.environ.get(EMULATOR_VARIABLE)
        if self.AUTH_MODE == "emulator":
            if self.ENV == "production":
                raise ConfigError(
                    f"refusing to start in production with {ENV_PREFIX}AUTH_MODE=emulator: "
                    "it accepts ID tokens without a signature"
                )
            if not emulator:
                raise ConfigError(
                    f"{ENV_PREFIX}AUTH_MODE=emulator needs {EMULATOR_VARIABLE} (the emulator's host:port)"
                )
        elif emulator:
            raise ConfigError(
                f"refusing to start with {EMULATOR_VARIABLE} set: it disables the signature check of every ID token; "
                f"unset it, or use {ENV_PREFIX}AUTH_MODE=emulator outside production"
            )
        if self.MAX_REQUEST_BYTES < 1024:
            raise ConfigError(f"{ENV_PREFIX}MAX_REQUEST_BYTES must be at least 1024")
        if not 1 <= self.INVITE_TTL_DAYS <= self.INVITE_MAX_TTL_DAYS:
            raise ConfigError(f"{ENV_PREFIX}INVITE_TTL_DAYS must be between 1 and INVITE_MAX_TTL_DAYS")
        if self.NOTE_EDIT_MINUTES < 0 or self.NOTE_MAX_AGE_HOURS < 1 or self.PHOTOS_PER_NOTE < 0:
            raise ConfigError(f"{ENV_PREFIX}NOTE_* and PHOTOS_PER_NOTE must not be negative")
        if self.ALERTS_PER_HOUR < 1 or self.ALERT_DEFAULT_MINUTES < 5 or self.PUSH_MAX_ATTEMPTS < 1:
            raise ConfigError(
                f"{ENV_PREFIX}ALERTS_PER_HOUR, ALERT_DEFAULT_MINUTES (>= 5) and PUSH_MAX_ATTEMPTS must be positive"
            )
        if min(self.FORWARD_TIMEOUT_SECONDS, self.FORWARD_MAX_ATTEMPTS, self.FORWARD_LEASE_SECONDS) < 1:
            raise ConfigError(
                f"{ENV_PREFIX}FORWARD_TIMEOUT_SECONDS, FORWARD_MAX_ATTEMPTS and FORWARD_LEASE_SECONDS must be positive"
            )
        if self.FIXED_YET_WEEKS < 1:
            raise ConfigError(f"{ENV_PREFIX}FIXED_YET_WEEKS must be at least 1")
        if self.FORWARD_LEASE_SECONDS <= self.FORWARD_TIMEOUT_SECONDS * (1 + self.PHOTOS_PER_NOTE):
            # A lease must outlast one forward (the report and each photo), or a second dispatcher takes it over.
            raise ConfigError(
                f"{ENV_PREFIX}FORWARD_LEASE_SECONDS must exceed FORWARD_TIMEOUT_SECONDS times (1 + PHOTOS_PER_NOTE)"
            )
        if self.SMTP_SECURITY not in ("none", "starttls", "tls"):
            raise ConfigError(f"{ENV_PREFIX}SMTP_SECURITY must be none, starttls or tls")
        if (
            min(
                self.PHOTO_RETENTION_DAYS,
                self.ALERT_RETENTION_DAYS,
                self.DEVICE_UNUSED_DAYS,
                self.AUDIT_RETENTION_DAYS,
                self.MESSAGE_RETENTION_DAYS,
                self.MAIL_MAX_ATTEMPTS,
            )
            < 1
        ):
            raise ConfigError(f"{ENV_PREFIX}*_DAYS and MAIL_MAX_ATTEMPTS must be at least 1")
        if self.ENV == "production" and self.FCM_ENDPOINT:
            raise ConfigError(
                f"refusing to start in production with {ENV_PREFIX}FCM_ENDPOINT set: pushes must go to FCM"
            )
        if self.LOG_FORMAT not in ("auto", "json", "text"):
            raise ConfigError(f"{ENV_PREFIX}LOG_FORMAT must be auto, json or text")
        if self.METRICS_TOKEN and len(self.METRICS_TOKEN) < 16:
            raise ConfigError(f"{ENV_PREFIX}METRICS_TOKEN must be at least 16 characters")
        for origin in self.cors_origins:
            if origin == "*" or not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:\d+)?", origin):
                raise ConfigError(f"{ENV_PREFIX}CORS_ORIGINS holds {origin!r}: name origins as scheme://host[:port]")
        if self.PUBLIC_BASE_URL and not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:\d+)?/?", self.PUBLIC_BASE_URL):
            raise ConfigError(
                f"{ENV_PREFIX}PUBLIC_BASE_URL must be scheme://host[:port] without a path, got {self.PUBLIC_BASE_URL!r}"
            )
        if self.CONSOLE_TILE_URL and not (
            re.fullmatch(r"https?://[A-Za-z0-9.{}-]+(:\d+)?/\S*", self.CONSOLE_TILE_URL)
            and all(hole in self.CONSOLE_TILE_URL for hole in ("{z}", "{x}", "{y}"))
        ):
            raise ConfigError(
                f"{ENV_PREFIX}CONSOLE_TILE_URL must be an http(s) URL with {{z}}, {{x}} and {{y}}, "
                f"got {self.CONSOLE_TILE_URL!r}"
            )
        if self.FIREBASE_AUTH_DOMAIN and not DOMAIN_NAME.fullmatch(self.FIREBASE_AUTH_DOMAIN):
            raise ConfigError(
                f"{ENV_PREFIX}FIREBASE_AUTH_DOMAIN must be a host name like buurtwacht.firebaseapp.com, "
                f"got {self.FIREBASE_AUTH_DOMAIN!r}"
            )
        if self.FIREBASE_WEB_API_KEY and not re.fullmatch(r"[A-Za-z0-9_-]{20,60}", self.FIREBASE_WEB_API_KEY):
            raise ConfigError(f"{ENV_PREFIX}FIREBASE_WEB_API_KEY does not look like a Firebase web API key")
        if self.CAP_SENDER_DOMAIN and not DOMAIN_NAME.fullmatch(self.CAP_SENDER_DOMAIN):
            raise ConfigError(
                f"{ENV_PREFIX}CAP_SENDER_DOMAIN must be a domain name like buurtwacht.emmen.nl, "
                f"got {self.CAP_SENDER_DOMAIN!r}"
            )
        if not self.RATE_LIMIT_STORAGE.startswith(("memory://", "redis://", "rediss://")):
            raise ConfigError(f"{ENV_PREFIX}RATE_LIMIT_STORAGE must be memory:// or a redis:// URL")
        for kind in ("writes", "alerts", "tips", "photos"):
            try:
                parse_many(self.rate_limit(kind))
            except ValueError as exc:
                raise ConfigError(
                    f"{ENV_PREFIX}RATE_LIMIT_{kind.upper()} is not a limit like 10/minute: {self.rate_limit(kind)!r}"
                ) from exc
        if self.PHOTO_MAX_BYTES < 1024:
            raise ConfigError(f"{ENV_PREFIX}PHOTO_MAX_BYTES must be at least 1024")
        try:
            ZoneInfo(self.TIMEZONE)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"{ENV_PREFIX}TIMEZONE is not a known time zone: {self.TIMEZONE!r}") from exc
        if self.ENV == "production":
            if self.AUTH_MODE == "local":
                raise ConfigError(
                    f"refusing to start in production with the local signing key: set {ENV_PREFIX}AUTH_MODE=firebase"
                )
            if not self.DATABASE_URL:
                raise ConfigError(f"{ENV_PREFIX}DATABASE_URL must be set in production")
            if not self.PUBLIC_BASE_URL:
                raise ConfigError(
                    f"{ENV_PREFIX}PUBLIC_BASE_URL must be set in production: links are never built from the "
                    "request's Host header"
                )
            domain = self.cap_sender_domain
            if domain.endswith(NOT_GLOBAL_DOMAINS):
                raise ConfigError(
                    f"{ENV_PREFIX}CAP_SENDER_DOMAIN must name a domain of yours in production (CAP senders and "
                    f"identifiers must be globally unique), got {domain!r}"
                    + ("" if self.CAP_SENDER_DOMAIN else ": PUBLIC_BASE_URL's host does not name one")
                )

    @property
    def dev_sign_in(self) -> bool:
        """Whether the console's development sign-in exists here (see DEV_SIGN_IN)."""
        return self.DEV_SIGN_IN == 1 and self.AUTH_MODE == "local" and self.ENV != "production"

    @classmethod
    def documented(cls) -> list[tuple[str, Any, str]]:
        """(environment variable, default, meaning) for each setting, for the README."""
        return [(ENV_PREFIX + f.name, f.default, f.metadata["doc"]) for f in fields(cls)]
