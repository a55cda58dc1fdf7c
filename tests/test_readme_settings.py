"""Every setting a process reads is documented in the README's configuration table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from api.settings import Settings as ApiSettings
from bot.settings import BotSettings

README = Path(__file__).resolve().parent.parent / "README.md"


def _documented_variables() -> set[str]:
    """The `ZONEDESK_*` names in the first cell of the README's table rows."""
    names: set[str] = set()
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `ZONEDESK_"):
            first_cell = line.split("|")[1]
            names.update(re.findall(r"`(ZONEDESK_[A-Z0-9_]+)`", first_cell))
    return names


@pytest.mark.parametrize("settings_class", [ApiSettings, BotSettings])
def test_every_setting_has_a_row_in_the_readme(settings_class: type[BaseSettings]) -> None:
    prefix = settings_class.model_config.get("env_prefix", "")
    variables = {f"{prefix}{name}".upper() for name in settings_class.model_fields}
    assert variables - _documented_variables() == set()
