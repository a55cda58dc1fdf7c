"""Signed cookie sessions for the web pages.

The session cookie carries the bearer token the login returned, the role and a CSRF token, signed with
HMAC-SHA256 under the app's secret key. It is HttpOnly (page scripts never see the token), SameSite=Lax
and Secure when served over https. The CSRF token is also sent in a readable cookie so page scripts can
echo it in the `X-CSRF-Token` header (double submit, bound to the signed session).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import asdict, dataclass

from common.roles import Role

SESSION_COOKIE = "zd_session"
CSRF_COOKIE = "zd_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SESSION_MAX_AGE = 12 * 3600  # one working day; the API token may expire earlier, then the page asks again
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True, slots=True)
class WebSession:
    """Who is logged in on this browser."""

    token: str
    role: str
    username: str
    csrf: str
    expires: int

    @property
    def is_staff(self) -> bool:
        """Staff and admins may use the console."""
        return self.role in (Role.STAFF, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        """Only admins may use the admin pages."""
        return self.role == Role.ADMIN


def new_csrf_token() -> str:
    """A fresh unguessable CSRF token."""
    return secrets.token_urlsafe(24)


def new_session(*, token: str, role: str, username: str, csrf: str, now: float | None = None) -> WebSession:
    """A session valid for SESSION_MAX_AGE seconds."""
    issued = int(now if now is not None else time.time())
    return WebSession(token=token, role=role, username=username, csrf=csrf, expires=issued + SESSION_MAX_AGE)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(key: bytes, payload: str) -> str:
    return _b64(hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest())


def encode_session(session: WebSession, key: bytes) -> str:
    """The cookie value: base64 JSON payload, a dot, its HMAC."""
    payload = _b64(json.dumps(asdict(session), separators=(",", ":")).encode("utf-8"))
    return f"{payload}.{_signature(key, payload)}"


def decode_session(value: str | None, key: bytes, *, now: float | None = None) -> WebSession | None:
    """The session in a cookie value, or None when absent, tampered with, malformed or expired."""
    if not value or value.count(".") != 1:
        return None
    payload, signature = value.split(".")
    if not (payload.isascii() and signature.isascii()):
        return None
    try:
        expected = _signature(key, payload)
    except (UnicodeEncodeError, ValueError):
        return None
    if not hmac.compare_digest(expected, signature):
        return None
    try:
        fields = json.loads(_unb64(payload))
        session = WebSession(**fields)
    except (ValueError, TypeError):
        return None
    if not all(isinstance(getattr(session, name), str) for name in ("token", "role", "username", "csrf")):
        return None
    if not isinstance(session.expires, int) or session.expires < (now if now is not None else time.time()):
        return None
    return session


def csrf_matches(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison of two CSRF tokens; absent tokens never match."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))
