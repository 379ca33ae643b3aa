"""The README's configuration table names every setting with its default."""

from __future__ import annotations

from pathlib import Path

from buurtwacht.config import Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_every_setting_is_in_the_readme_with_its_default():
    for variable, default, _doc in Settings.documented():
        shown = f"`{default}`" if default != "" else "(empty)"
        assert f"| `{variable}` | {shown} |" in README, f"{variable} is missing from the README's table"
