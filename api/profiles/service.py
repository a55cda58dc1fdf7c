"""Reading and saving the caller's eligibility profile."""

from __future__ import annotations

from typing import Any

from sqlalchemy import false
from sqlmodel import Session, select

from api.auth.models import User
from api.db import utcnow
from api.profiles.models import EligibilityProfile
from policy_index.clauses import ClauseIndex
from policy_index.facts import validate_profile


def _owner_filter(user: User) -> Any:
    if user.enterprise_id is not None:
        return EligibilityProfile.enterprise_id == user.enterprise_id
    if user.id is None:  # a Telegram user the desk has not seen yet has no profile
        return false()
    return EligibilityProfile.user_id == user.id


def profile_row(*, session: Session, user: User) -> EligibilityProfile | None:
    """The caller's profile row (the enterprise's when bound), or None."""
    return session.exec(select(EligibilityProfile).where(_owner_filter(user))).first()


def set_notify(*, session: Session, user: User, enabled: bool) -> bool:
    """Turn policy-match notifications on or off for the caller's profile; the caller commits."""
    row = profile_row(session=session, user=user) or _new_row(user)
    row.notify = enabled
    session.add(row)
    session.flush()
    return enabled


def _new_row(user: User) -> EligibilityProfile:
    bound = user.enterprise_id is not None
    return EligibilityProfile(enterprise_id=user.enterprise_id if bound else None, user_id=None if bound else user.id)


def get_profile(*, session: Session, user: User) -> dict[str, Any]:
    """The profile of the caller's enterprise when bound, else the caller's own; {} when none yet."""
    row = profile_row(session=session, user=user)
    return dict(row.facts) if row else {}


def checked_profile(raw: object, index: ClauseIndex) -> dict[str, Any]:
    """`raw` validated against the facts (ProfileError → 422)."""
    return dict(validate_profile(raw, index.facts))


def save_profile(*, session: Session, user: User, facts: dict[str, Any]) -> dict[str, Any]:
    """Replace the profile with already `checked_profile` facts; the caller commits."""
    row = profile_row(session=session, user=user) or _new_row(user)
    row.facts = facts
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return facts
