"""HTTP shapes of login and the caller's account."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from api.auth.models import User
from api.enterprises.models import Enterprise
from api.pagination import Page
from api.text import EdgeModel
from common.roles import Role


class LoginIn(EdgeModel):
    """Username and password."""

    username: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class TokenOut(BaseModel):
    """A bearer token for `Authorization: Bearer <access_token>`."""

    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    role: Role


class EnterpriseBrief(BaseModel):
    """The enterprise a user is bound to."""

    name: str
    uscc: str


class MeOut(BaseModel):
    """The caller's account."""

    username: str | None
    display_name: str | None
    role: Role
    telegram_user_id: int | None
    enterprise: EnterpriseBrief | None
    queues: list[str]
    supervises: list[str] = Field(default_factory=list)  # queues the caller supervises (every queue for an admin)

    @classmethod
    def of(
        cls, user: User, enterprise: Enterprise | None, queues: list[str], supervises: list[str] | None = None
    ) -> MeOut:
        """Build from the account."""
        return cls(
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            telegram_user_id=user.telegram_user_id,
            enterprise=EnterpriseBrief(name=enterprise.name, uscc=enterprise.uscc) if enterprise else None,
            queues=queues,
            supervises=supervises or [],
        )


class BindIn(EdgeModel):
    """Bind the caller to an enterprise: its 统一社会信用代码 and the binding code the zone issued."""

    uscc: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
    binding_code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]


class LinkCodeOut(BaseModel):
    """A one-time code to send to the bot (`/link CODE`) and when it expires."""

    code: str
    expires_at: datetime


class TelegramLinkIn(EdgeModel):
    """The one-time code a staff member got from the console, as the bot received it."""

    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]


class UserIn(EdgeModel):
    """A new account created by an admin."""

    username: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_.@-]{2,64}$")]
    password: Annotated[str, StringConstraints(max_length=256)]  # the policy (api/auth/passwords.py) says more
    role: Role
    display_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=128)] | None = None
    queues: list[str] = Field(default_factory=list)
    supervises: list[str] = Field(default_factory=list)  # queues joined as their supervisor
    telegram_user_id: Annotated[int, Field(gt=0)] | None = None  # links a staff member for bot alerts


class UserOut(BaseModel):
    """An account as admins see it."""

    username: str | None
    display_name: str | None
    role: Role
    telegram_user_id: int | None
    is_active: bool


UserList = Page[UserOut]


class PasswordChangeIn(EdgeModel):
    """The caller's current password and the new one."""

    current_password: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    new_password: Annotated[str, StringConstraints(max_length=256)]


class PasswordResetIn(EdgeModel):
    """A new password an admin sets for another account."""

    password: Annotated[str, StringConstraints(max_length=256)]
