"""The app refuses to start in production with anything that would let a forged sign-in through.

Also: settings that are not what they claim to be stop the start with a message naming the
variable, and the development `flask token` command exists only with the local signing key.
"""

from __future__ import annotations

import pytest
from flask.cli import FlaskGroup

from buurtwacht import create_app
from buurtwacht.config import ConfigError, Settings

PG_URL = "postgresql+psycopg://buurtwacht@db.internal/buurtwacht"


def production(**variables: str) -> dict[str, str]:
    """A production environment that starts, with changes (an empty value removes the variable)."""
    environ = {
        "BUURTWACHT_ENV": "production",
        "BUURTWACHT_AUTH_MODE": "firebase",
        "BUURTWACHT_DATABASE_URL": PG_URL,
        "BUURTWACHT_FIREBASE_PROJECT_ID": "buurtwacht-emmen",
        "BUURTWACHT_PUBLIC_BASE_URL": "https://buurtwacht.emmen.example",
    }
    environ.update(variables)
    return {name: value for name, value in environ.items() if value}


@pytest.fixture
def clean_environment(monkeypatch):  # type: ignore[no-untyped-def]
    """os.environ without any BUURTWACHT_* or Firebase emulator variable the test run may carry."""
    import os

    for name in list(os.environ):
        if name.startswith("BUURTWACHT_") or name == "FIREBASE_AUTH_EMULATOR_HOST":
            monkeypatch.delenv(name)
    return monkeypatch


def test_production_with_firebase_and_a_database_starts(clean_environment):
    settings = Settings.from_env(environ=production())
    assert (settings.ENV, settings.AUTH_MODE, settings.DATABASE_URL) == ("production", "firebase", PG_URL)
    app = create_app(settings)
    assert app.test_client().get("/healthz").get_json() == {"status": "ok"}


def test_production_with_the_local_signing_key_refuses_to_start(clean_environment):
    with pytest.raises(ConfigError, match="refusing to start in production with the local signing key"):
        Settings.from_env(environ=production(BUURTWACHT_AUTH_MODE="local"))


def test_production_defaults_to_the_local_key_and_so_refuses_until_firebase_is_chosen(clean_environment):
    with pytest.raises(ConfigError, match="BUURTWACHT_AUTH_MODE=firebase"):
        Settings.from_env(environ=production(BUURTWACHT_AUTH_MODE=""))


def test_create_app_reads_the_environment_and_refuses_production_with_the_local_key(clean_environment):
    for name, value in production(BUURTWACHT_AUTH_MODE="local").items():
        clean_environment.setenv(name, value)
    with pytest.raises(ConfigError, match="local signing key"):
        create_app()


def test_production_with_the_auth_emulator_refuses_to_start(clean_environment):
    with pytest.raises(ConfigError, match="FIREBASE_AUTH_EMULATOR_HOST") as refused:
        Settings.from_env(environ=production(FIREBASE_AUTH_EMULATOR_HOST="127.0.0.1:9099"))
    assert "signature check" in str(refused.value)


def test_create_app_refuses_production_when_the_emulator_is_in_the_process_environment(clean_environment):
    for name, value in production(FIREBASE_AUTH_EMULATOR_HOST="127.0.0.1:9099").items():
        clean_environment.setenv(name, value)
    with pytest.raises(ConfigError, match="FIREBASE_AUTH_EMULATOR_HOST"):
        create_app()


def test_an_app_made_from_ready_settings_refuses_production_when_the_process_has_the_emulator(clean_environment):
    settings = Settings.from_env(environ=production())
    clean_environment.setenv("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")
    with pytest.raises(ConfigError, match="FIREBASE_AUTH_EMULATOR_HOST"):
        create_app(settings)


# The Firebase Auth emulator: firebase-admin takes unsigned tokens while its variable is set, whatever we pass it


def test_a_deployment_that_forgot_its_environment_refuses_the_emulator_variable(clean_environment):
    # ENV defaults to development: before, this started and took an unsigned (alg none) token for anyone.
    clean_environment.setenv("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")
    clean_environment.setenv("BUURTWACHT_AUTH_MODE", "firebase")
    clean_environment.setenv("BUURTWACHT_FIREBASE_PROJECT_ID", "buurtwacht-emmen")
    with pytest.raises(ConfigError, match="FIREBASE_AUTH_EMULATOR_HOST set") as refused:
        create_app()
    assert "BUURTWACHT_AUTH_MODE=emulator" in str(refused.value)


@pytest.mark.parametrize("mode", ["local", "firebase"])
@pytest.mark.parametrize("env", ["development", "test"])
def test_the_emulator_variable_is_refused_unless_the_emulator_mode_is_chosen(clean_environment, mode, env):
    environ = {
        "BUURTWACHT_ENV": env,
        "BUURTWACHT_AUTH_MODE": mode,
        "BUURTWACHT_FIREBASE_PROJECT_ID": "buurtwacht-emmen",
        "FIREBASE_AUTH_EMULATOR_HOST": "127.0.0.1:9099",
    }
    with pytest.raises(ConfigError, match="signature check"):
        Settings.from_env(environ=environ)


def test_an_app_made_from_ready_settings_refuses_the_emulator_in_the_process_environment(clean_environment):
    settings = Settings.from_env(environ={"BUURTWACHT_ENV": "development"})
    clean_environment.setenv("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")
    with pytest.raises(ConfigError, match="FIREBASE_AUTH_EMULATOR_HOST"):
        create_app(settings)


def test_the_emulator_mode_with_its_variable_starts_outside_production(clean_environment):
    environ = {"BUURTWACHT_AUTH_MODE": "emulator", "FIREBASE_AUTH_EMULATOR_HOST": "127.0.0.1:9099"}
    settings = Settings.from_env(environ=environ)
    assert (settings.ENV, settings.AUTH_MODE, settings.FIREBASE_PROJECT_ID) == (
        "development",
        "emulator",
        "buurtwacht-dev",
    )


def test_the_emulator_mode_refuses_to_start_in_production(clean_environment):
    with pytest.raises(ConfigError, match="refusing to start in production with BUURTWACHT_AUTH_MODE=emulator"):
        Settings.from_env(
            environ=production(BUURTWACHT_AUTH_MODE="emulator", FIREBASE_AUTH_EMULATOR_HOST="127.0.0.1:9099")
        )


def test_the_emulator_mode_without_its_variable_refuses_to_start(clean_environment):
    with pytest.raises(ConfigError, match="AUTH_MODE=emulator needs FIREBASE_AUTH_EMULATOR_HOST"):
        Settings.from_env(environ={"BUURTWACHT_AUTH_MODE": "emulator"})


# The Firebase project: named explicitly wherever real tokens are checked


@pytest.mark.parametrize("env", ["development", "production"])
def test_firebase_sign_in_without_a_project_id_refuses_to_start(clean_environment, env):
    environ = production(BUURTWACHT_ENV=env, BUURTWACHT_FIREBASE_PROJECT_ID="")
    with pytest.raises(
        ConfigError, match="BUURTWACHT_FIREBASE_PROJECT_ID must be set with BUURTWACHT_AUTH_MODE=firebase"
    ):
        Settings.from_env(environ=environ)


def test_the_local_key_falls_back_to_the_development_project(clean_environment):
    assert Settings.from_env(environ={}).FIREBASE_PROJECT_ID == "buurtwacht-dev"
    assert Settings.from_env(environ={"BUURTWACHT_FIREBASE_PROJECT_ID": "mijn-test"}).FIREBASE_PROJECT_ID == "mijn-test"


def test_production_without_a_database_url_refuses_to_start(clean_environment):
    with pytest.raises(ConfigError, match="BUURTWACHT_DATABASE_URL must be set in production"):
        Settings.from_env(environ=production(BUURTWACHT_DATABASE_URL=""))


def test_production_with_a_fake_push_endpoint_refuses_to_start(clean_environment):
    with pytest.raises(ConfigError, match="FCM_ENDPOINT"):
        Settings.from_env(environ=production(BUURTWACHT_FCM_ENDPOINT="http://127.0.0.1:8099"))


def test_an_unknown_environment_name_is_refused(clean_environment):
    with pytest.raises(ConfigError, match="BUURTWACHT_ENV must be one of development, test, production"):
        Settings.from_env(environ=production(BUURTWACHT_ENV="prod"))


@pytest.mark.parametrize("raw", ["1MB", "1 048 576", "", "1.5"], ids=["unit", "spaces", "empty", "decimal"])
def test_a_malformed_request_size_limit_is_refused_naming_the_variable(clean_environment, raw):
    environ = {"BUURTWACHT_ENV": "development", "BUURTWACHT_MAX_REQUEST_BYTES": raw}
    with pytest.raises(ConfigError) as refused:
        Settings.from_env(environ=environ)
    assert str(refused.value) == f"BUURTWACHT_MAX_REQUEST_BYTES must be a whole number, got {raw!r}"


def test_a_request_size_limit_below_one_kibibyte_is_refused(clean_environment):
    with pytest.raises(ConfigError, match="BUURTWACHT_MAX_REQUEST_BYTES must be at least 1024"):
        Settings.from_env(environ={"BUURTWACHT_MAX_REQUEST_BYTES": "512"})


def test_a_well_formed_request_size_limit_is_used(clean_environment):
    settings = Settings.from_env(environ={"BUURTWACHT_MAX_REQUEST_BYTES": "2097152"})
    assert settings.MAX_REQUEST_BYTES == 2 * 1024 * 1024
    assert create_app(settings).config["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024


# The development token command


def flask_command(app, *args: str):  # type: ignore[no-untyped-def]
    """Run `flask ARGS` for this app as the `flask` script does (FlaskGroup pushes the app context)."""
    cli = FlaskGroup(create_app=lambda: app, load_dotenv=False, set_debug_flag=False, add_default_commands=False)
    return app.test_cli_runner().invoke(cli, args=list(args))


def test_flask_token_is_refused_with_firebase_sign_in(make_settings):
    app = create_app(make_settings(AUTH_MODE="firebase", FIREBASE_PROJECT_ID="buurtwacht-emmen"))
    result = flask_command(app, "token", "anna@example.org")
    assert result.exit_code != 0
    assert "development tokens exist only with BUURTWACHT_AUTH_MODE=local" in result.output
    assert "eyJ" not in result.output  # no token was printed


def test_flask_token_is_refused_in_production(clean_environment):
    app = create_app(Settings.from_env(environ=production()))
    result = flask_command(app, "token", "anna@example.org")
    assert result.exit_code != 0
    assert "development tokens exist only" in result.output
    assert "eyJ" not in result.output


def test_flask_token_prints_a_token_that_signs_in_with_the_local_key(app, client, make):
    anna = make.person("Anna de Vries")
    result = flask_command(app, "token", anna.email.upper())
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.get_json()["person"]["id"] == str(anna.id)


def test_production_builds_no_link_from_the_host_header(clean_environment):
    with pytest.raises(ConfigError, match="PUBLIC_BASE_URL must be set in production"):
        Settings.from_env(environ=production(BUURTWACHT_PUBLIC_BASE_URL=""))
