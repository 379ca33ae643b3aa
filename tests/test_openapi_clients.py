"""openapi/openapi.json as the tools of a React Native or Kotlin developer read it.

- openapi-typescript generates the types and tsc --strict (with noUncheckedIndexedAccess and
  exactOptionalPropertyTypes) checks tests/js/evening.ts against them: a volunteer's and a
  coordinator's evening through openapi-fetch, reading what an app shows without `!` or casts.
- Redocly CLI's recommended rules find no errors.

Both run under Node (tests/js/node_modules, `make node`); without it they are skipped, and in CI
(CI set) they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT = ROOT / "openapi" / "openapi.json"
JS = ROOT / "tests" / "js"
BIN = JS / "node_modules" / ".bin"

# Warnings of the recommended rules the document keeps, each for a reason: the probes answer 200 or
# 503 and nothing a client sends can make them answer 4xx.
KEPT_WARNINGS = {
    ("operation-4xx-response", "/healthz"),
    ("operation-4xx-response", "/readyz"),
}


def _tool(name: str) -> str:
    reason = None
    if shutil.which("node") is None:
        reason = "Node.js is not installed"
    elif not (BIN / name).exists():
        reason = f"{name} is not installed under tests/js/node_modules"
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: CI must check the document with the clients people use (.ci/run installs them)")
        pytest.skip(f"{reason} (make node)")
    return str(BIN / name)


def _run(*args: str, cwd: Path = JS) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own pinned tools on our own files
        list(args), cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def test_a_strict_typescript_app_compiles_against_the_generated_client(tmp_path: Path) -> None:
    generated = tmp_path / "buurtwacht-api.d.ts"
    made = _run(_tool("openapi-typescript"), str(DOCUMENT), "--output", str(generated))
    assert made.returncode == 0, made.stdout + made.stderr

    # tests/js/tsconfig.json with the types just generated in place of tests/js/generated/.
    config = tmp_path / "tsconfig.json"
    config.write_text(
        json.dumps(
            {
                "extends": str(JS / "tsconfig.json"),
                "compilerOptions": {"paths": {"buurtwacht-api": [str(generated)]}},
                "files": [str(JS / "evening.ts")],
            }
        )
    )
    checked = _run(_tool("tsc"), "--project", str(config), "--pretty", "false")
    errors = [line for line in checked.stdout.splitlines() if "error TS" in line]
    assert checked.returncode == 0 and not errors, "\n".join(errors) or checked.stdout + checked.stderr


def test_redocly_recommended_rules_find_no_errors() -> None:
    linted = _run(_tool("redocly"), "lint", str(DOCUMENT), "--config", str(JS / "redocly.yaml"), "--format", "json")
    report = json.loads(linted.stdout)
    problems = [
        (problem["ruleId"], problem["severity"], problem["location"][0]["pointer"], problem["message"])
        for problem in report["problems"]
    ]
    errors = [p for p in problems if p[1] == "error"]
    assert not errors, "\n".join(map(str, errors))
    warnings = {(rule, pointer.split("/")[2].replace("~1", "/")) for rule, severity, pointer, _ in problems}
    assert warnings <= KEPT_WARNINGS, "\n".join(map(str, sorted(warnings - KEPT_WARNINGS)))
