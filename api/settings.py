"""Settings of the API process (environment prefix ZONEDESK_)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.database_url import ENV_FILE, default_database_url
from api.db import POSTGRES_POOL_OVERFLOW, POSTGRES_POOL_SIZE


class Settings(BaseSettings):
    """Configuration read from ZONEDESK_* environment variables (and a .env file)."""

    model_config = SettingsConfigDict(env_prefix="ZONEDESK_", env_file=ENV_FILE, extra="ignore")

    database_url: str = ""
    redis_url: str | None = None
    secret_key: SecretStr | None = None
    bot_token: SecretStr | None = None
    bot_api_server: str | None = None
    bot_service_token: SecretStr | None = None
    api_url: str = "http://127.0.0.1:8000"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    db_pool_size: int = Field(
        default=POSTGRES_POOL_SIZE,
        ge=1,
        description="PostgreSQL connections each worker process keeps; replicas × workers × (pool + overflow)"
        " must stay under the server's max_connections",
    )
    db_pool_overflow: int = Field(default=POSTGRES_POOL_OVERFLOW, ge=0, description="connections past the pool")
    catalog_poll_seconds: float = Field(
        default=5.0, gt=0, description="how often a replica checks the library revision"
    )
    sla_job_seconds: float = Field(
        default=60.0, ge=0, description="how often the SLA job (warnings, 超时, auto-close) ticks; 0 turns it off"
    )

    @property
    def effective_database_url(self) -> str:
        """The configured database URL, or the embedded SQLite default."""
        return self.database_url or default_database_url()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
