"""CAP senders and identifiers are globally unique by a domain: BUURTWACHT_CAP_SENDER_DOMAIN, else the
public address's host. Outside production an unset one falls back to a name that is nobody's; production
refuses to start without a domain that can be someone's."""

from __future__ import annotations

import pytest

from buurtwacht.config import ConfigError, Settings
from tests.auth.test_production_guard import clean_environment, production  # noqa: F401 - a fixture


def settings(**variables: str) -> Settings:
    return Settings.from_env(environ={"BUURTWACHT_ENV": "development", **variables})


def test_the_domain_is_the_setting_else_the_public_hosts_name_else_one_that_is_nobodys(clean_environment):  # noqa: F811
    assert settings().cap_sender_domain == "buurtwacht.invalid"
    assert settings(BUURTWACHT_PUBLIC_BASE_URL="https://Buurtwacht.Emmen.nl").cap_sender_domain == "buurtwacht.emmen.nl"
    assert settings(BUURTWACHT_PUBLIC_BASE_URL="http://127.0.0.1:5000").cap_sender_domain == "buurtwacht.invalid"
    chosen = settings(BUURTWACHT_PUBLIC_BASE_URL="https://api.example.nl", BUURTWACHT_CAP_SENDER_DOMAIN="emmen.nl")
    assert chosen.cap_sender_domain == "emmen.nl"


@pytest.mark.parametrize("value", ["buurt wacht.nl", "emmen", "10.0.0.7", "a,b.nl", "buurtwacht@emmen.nl", "-x.nl"])
def test_a_domain_that_is_not_a_domain_name_stops_the_start(clean_environment, value):  # noqa: F811
    with pytest.raises(ConfigError, match="BUURTWACHT_CAP_SENDER_DOMAIN must be a domain name"):
        settings(BUURTWACHT_CAP_SENDER_DOMAIN=value)


def test_production_takes_the_public_hosts_name_or_an_explicit_domain(clean_environment):  # noqa: F811
    assert Settings.from_env(environ=production()).cap_sender_domain == "buurtwacht.emmen.example"
    explicit = Settings.from_env(environ=production(BUURTWACHT_CAP_SENDER_DOMAIN="politie-emmen.example"))
    assert explicit.cap_sender_domain == "politie-emmen.example"


@pytest.mark.parametrize(
    "variables",
    [
        {"BUURTWACHT_PUBLIC_BASE_URL": "https://10.0.0.7"},  # no name to take
        {"BUURTWACHT_CAP_SENDER_DOMAIN": "buurtwacht.invalid"},
        {"BUURTWACHT_CAP_SENDER_DOMAIN": "buurtwacht.local"},
        {"BUURTWACHT_PUBLIC_BASE_URL": "https://buurtwacht.internal"},
    ],
)
def test_production_refuses_a_domain_that_is_nobodys(clean_environment, variables):  # noqa: F811
    with pytest.raises(ConfigError, match="CAP_SENDER_DOMAIN must name a domain of yours in production"):
        Settings.from_env(environ=production(**variables))
