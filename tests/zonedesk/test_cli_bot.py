"""`zonedesk bot` and the bot inside `zonedesk serve`."""

from __future__ import annotations

import os
import subprocess
import sys

from pydantic import SecretStr

from api.settings import Settings
from bot.settings import BotSettings
from zonedesk.cli.serve import embedded_bot_settings


def test_bot_without_token_exits_2_with_one_line(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZONEDESK_")}
    result = subprocess.run(
        [sys.executable, "-m", "zonedesk", "bot"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "zonedesk: 错误：未配置 ZONEDESK_BOT_TOKEN (ZONEDESK_BOT_TOKEN is not set)"
    ]


def test_embedded_bot_calls_this_process_and_shares_a_service_token() -> None:
    api, bot = embedded_bot_settings(
        Settings(), BotSettings(_env_file=None, bot_token=SecretStr("1:x")), host="0.0.0.0", port=9000
    )
    assert bot.api_url == "http://127.0.0.1:9000"
    assert api.bot_service_token is not None
    assert bot.bot_service_token is not None
    assert api.bot_service_token.get_secret_value() == bot.bot_service_token.get_secret_value()


def test_embedded_bot_keeps_configured_api_url_and_token() -> None:
    configured = BotSettings(
        _env_file=None, bot_token=SecretStr("1:x"), api_url="http://api:8000", bot_service_token=SecretStr("t")
    )
    _, bot = embedded_bot_settings(Settings(bot_service_token=SecretStr("t")), configured, host="h", port=1)
    assert (bot.api_url, bot.bot_service_token) == ("http://api:8000", SecretStr("t"))
