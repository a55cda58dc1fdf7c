"""Settings of the bot process (environment prefix ZONEDESK_)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from platformdirs import user_data_dir
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class BotNotConfigured(Exception):
    """A setting the bot needs is missing (the message names it)."""


def default_state_file() -> Path:
    """Where the bot keeps its event cursor when no Redis is configured."""
    return Path(user_data_dir("zonedesk")) / "bot-state.json"


class BotSettings(BaseSettings):
    """Configuration of the Telegram bot, read from ZONEDESK_* variables (and a .env file)."""

    model_config = SettingsConfigDict(env_prefix="ZONEDESK_", env_file=".env", extra="ignore")

    bot_token: SecretStr | None = None
    bot_api_server: str | None = None  # e.g. http://127.0.0.1:8081 for a local Bot API server
    api_url: str = "http://127.0.0.1:8000"
    bot_service_token: SecretStr | None = None
    redis_url: str | None = None
    webhook_url: str | None = None  # public URL Telegram posts updates to; enables webhook mode
    webhook_secret: SecretStr | None = None
    webhook_host: str = "127.0.0.1"  # where the webhook's aiohttp server listens (behind the proxy)
    webhook_port: int = 8081
    bot_state_file: Path | None = None  # event cursor without Redis; None = the user data dir
    bot_throttle_rate: float = 1.0  # messages per second a user may send, sustained
    bot_throttle_burst: int = 5  # and in one burst
    bot_follow_events: bool = True  # follow /api/v1/events and notify users
    bot_categories_ttl: float = 60.0  # seconds the service categories read from the API are kept
    # one replica follows the events at a time (a lease renewed every third of this); after it dies
    # another takes over once the lease expires, after it stops within `bot_events_standby_seconds`
    bot_events_lease_seconds: float = 15.0
    bot_events_standby_seconds: float = 5.0  # how often a standby replica tries to take the lease
    bot_notices_seconds: float = 30.0  # how often new policy-match notifications are pushed to followed chats
    api_timeout: float = 10.0
    # what /help tells users; set them to the zone's real service hours and hotline
    bot_service_hours: str = "工作日 9:00–12:00，13:30–17:30"
    bot_service_hours_en: str = "Working days 9:00–12:00 and 13:30–17:30 (China time)"
    bot_hotline: str = "028-12345678"

    @property
    def webhook_path(self) -> str:
        """The path part of the webhook URL, where the local server accepts updates."""
        path = urlsplit(self.webhook_url or "").path
        return path or "/telegram/webhook"

    @property
    def state_file(self) -> Path:
        """The configured state file or the default."""
        return self.bot_state_file or default_state_file()


@lru_cache(maxsize=1)
def get_settings() -> BotSettings:
    """The process's bot settings, read once."""
    return BotSettings()
