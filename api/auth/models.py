"""Users and their bearer tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Integer
from sqlmodel import Field, SQLModel

from api.db import UtcDateTime, str_enum, utcnow
from common.roles import Role


class User(SQLModel, table=True):
    """An account: enterprise user (often a Telegram user), zone staff member or admin."""

    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    username: str | None = Field(default=None, max_length=64, unique=True)
    password_hash: str | None = Field(default=None, max_length=255)
    role: Role = Field(sa_column=Column(str_enum(Role, length=16), nullable=False, index=True))
    display_name: str | None = Field(default=None, max_length=128)
    telegram_user_id: int | None = Field(default=None, sa_type=BigInteger, unique=True)
    # Set when the Telegram id was proven to be this staff member's (a one-time code from the console sent
    # to the bot, or an operator's explicit `zonedesk users create --telegram-linked`): only then does the
    # bot's service token act as this staff member. An id set otherwise only addresses alerts.
    telegram_linked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    enterprise_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("enterprises.id"), nullable=True, index=True)
    )
    is_active: bool = Field(default=True)
    # Bumped by "revoke all tokens", a password change or reset and disabling: older tokens stop working.
    token_version: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)

    @property
    def label(self) -> str:
        """A name to show: display name, username or the Telegram id."""
        return self.display_name or self.username or f"tg:{self.telegram_user_id}"


class AuthToken(SQLModel, table=True):
    """An opaque bearer token, stored as its SHA-256 hash."""

    __tablename__ = "auth_tokens"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    expires_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    token_version: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))


class TelegramLinkCode(SQLModel, table=True):
    """A one-time code a staff member sends to the bot to link their Telegram id, stored as its SHA-256 hash."""

    __tablename__ = "telegram_link_codes"

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    expires_at: datetime = Field(sa_type=UtcDateTime)
