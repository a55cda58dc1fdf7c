"""The password policy: at least 10 characters and not guessable (zxcvbn's common-password lists)."""

from __future__ import annotations

from zxcvbn import zxcvbn

from api.domain_errors import InvalidInput

MIN_LENGTH = 10
MAX_LENGTH = 256
# zxcvbn scores 0-4; below 2 means found in (or built from) its common-password and word lists.
MIN_SCORE = 2
# zxcvbn's cost grows with length and it refuses more than 72 characters: the tail adds nothing to the check.
_CHECKED_CHARS = 72


class WeakPassword(InvalidInput):
    """The password breaks the policy: 422."""


def check_password(password: str, *, username: str | None = None) -> None:
    """Raise WeakPassword unless `password` is long enough and not a common or guessable one."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"密码至少{MIN_LENGTH}位 (the password needs at least {MIN_LENGTH} characters)")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"密码最多{MAX_LENGTH}位 (the password may have at most {MAX_LENGTH} characters)")
    hints = [username] if username else []
    if zxcvbn(password[:_CHECKED_CHARS], user_inputs=hints)["score"] < MIN_SCORE:
        raise WeakPassword("密码太常见或太容易猜到，请换一个 (the password is too common or easy to guess)")
