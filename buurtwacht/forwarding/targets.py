"""Where each municipality takes public-space reports: read from the forwarding file, never from the database.

The file (FORWARDING_FILE, JSON, kept beside the other secrets) names per municipality, by the code of
the root of its area tree, the kind of system, its address, its key and how this project's categories
map onto the target's. A category may be split into subjects ("clean_whole_safe/street_light") where the
municipality distinguishes what ours does not:

    {"emmen": {"name": "Gemeente Emmen", "kind": "signalen", "base_url": "https://api.meldingen.emmen.nl",
               "categories": {"clean_whole_safe": "afval/zwerfafval",
                              "clean_whole_safe/street_light": "wegen-verkeer-straatmeubilair/straatverlichting"}},
     "coevorden": {"name": "Gemeente Coevorden", "kind": "open311", "base_url": "https://311.example/v2",
                   "api_key": "...", "categories": {"clean_whole_safe": "LITTER"}}}

A Signalen category is `main-slug/sub-slug`; an Open311 one a service code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app

from buurtwacht.config import ConfigError
from buurtwacht.notes.categories import CATEGORIES

KINDS = ("signalen", "open311")
EXTENSION_KEY = "buurtwacht.forwarding.targets"


@dataclass(frozen=True)
class Target:
    code: str  # the municipality's area code
    name: str
    kind: str
    base_url: str
    categories: dict[str, str]
    api_key: str = field(default="", repr=False)
    jurisdiction_id: str = ""

    def subjects(self, category: str) -> list[str]:
        """The subjects a note of this category can be sent as ('' for the category itself)."""
        return sorted(
            key.partition("/")[2] for key in self.categories if key == category or key.startswith(category + "/")
        )

    def remote_category(self, category: str, subject: str | None) -> str | None:
        return self.categories.get(f"{category}/{subject}" if subject else category)

    @property
    def needs_point(self) -> bool:
        """Signalen places every report on the map; Open311 takes an address instead."""
        return self.kind == "signalen"


def parse(raw: dict[str, Any]) -> dict[str, Target]:
    """The targets of a forwarding file's content; ConfigError names what is wrong."""
    if not isinstance(raw, dict):
        raise ConfigError("the forwarding file must hold an object: municipality code -> target")
    found: dict[str, Target] = {}
    for code, spec in raw.items():
        where = f"forwarding target {code!r}"
        if not isinstance(spec, dict):
            raise ConfigError(f"{where} must be an object")
        kind = spec.get("kind")
        if kind not in KINDS:
            raise ConfigError(f"{where}: kind must be one of {', '.join(KINDS)}, got {kind!r}")
        base_url = str(spec.get("base_url", "")).rstrip("/")
        if not base_url.startswith(("https://", "http://")):
            raise ConfigError(f"{where}: base_url must be an http(s) URL")
        categories = spec.get("categories")
        if not isinstance(categories, dict) or not categories:
            raise ConfigError(f"{where}: categories must map at least one category to the target's")
        for key, remote in categories.items():
            ours = key.partition("/")[0]
            if ours not in CATEGORIES or not CATEGORIES[ours].recordable:
                raise ConfigError(f"{where}: {key!r} is not a category of notes")
            if not isinstance(remote, str) or not remote:
                raise ConfigError(f"{where}: {key!r} must map to the target's category")
            if kind == "signalen" and remote.count("/") != 1:
                raise ConfigError(f"{where}: {key!r} must map to a Signalen 'main-slug/sub-slug', got {remote!r}")
        if kind == "open311" and not spec.get("api_key"):
            raise ConfigError(f"{where}: an Open311 target needs its api_key")
        unknown = set(spec) - {"name", "kind", "base_url", "categories", "api_key", "jurisdiction_id"}
        if unknown:
            raise ConfigError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
        found[code] = Target(
            code=code,
            name=str(spec.get("name") or code),
            kind=kind,
            base_url=base_url,
            categories=dict(categories),
            api_key=str(spec.get("api_key", "")),
            jurisdiction_id=str(spec.get("jurisdiction_id", "")),
        )
    return found


def load(path: str, instance_path: str) -> dict[str, Target]:
    if not path:
        return {}
    file = Path(path) if Path(path).is_absolute() else Path(instance_path) / path
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"BUURTWACHT_FORWARDING_FILE cannot be read: {exc}") from exc
    except ValueError as exc:
        raise ConfigError(f"BUURTWACHT_FORWARDING_FILE is not JSON: {exc}") from exc
    return parse(raw)


def configured() -> dict[str, Target]:
    """The app's targets, read from the file on first use (create_app reads no files)."""
    found: dict[str, Target] | None = current_app.extensions.get(EXTENSION_KEY)
    if found is None:
        found = load(current_app.config["BUURTWACHT"].FORWARDING_FILE, current_app.instance_path)
        current_app.extensions[EXTENSION_KEY] = found
    return found


def use(targets: dict[str, Target]) -> None:
    """Replace the app's targets (tests, and a dispatcher that reloaded the file)."""
    current_app.extensions[EXTENSION_KEY] = targets
