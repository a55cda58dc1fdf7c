"""Routes: GET and PUT /api/v1/profile (enterprise users, directly or through the bot)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import ClauseIndexDep, DbDep, EnterpriseActor, UnitOfWorkDep
from api.profiles import service
from api.routing import SessionReleasingRoute
from api.text import EdgeModel

router = APIRouter(tags=["profile"], route_class=SessionReleasingRoute)


class ProfileBody(EdgeModel):
    """An enterprise profile: fact name → value (null or absent = unknown)."""

    profile: dict[str, Any]


@router.get("/profile", response_model=ProfileBody)
def read_profile(user: EnterpriseActor, session: DbDep) -> ProfileBody:
    """The saved answers (the enterprise's when bound), reused by the next self-check."""
    return ProfileBody(profile=service.get_profile(session=session, user=user))


@router.put("/profile", response_model=ProfileBody)
def write_profile(body: ProfileBody, user: EnterpriseActor, uow: UnitOfWorkDep, index: ClauseIndexDep) -> ProfileBody:
    """Replace the saved answers; a fact or value outside facts.yaml is a 422."""
    facts = service.checked_profile(body.profile, index)  # ProfileError -> 422, before the write lock
    with uow as session:
        saved = service.save_profile(session=session, user=user, facts=facts)
    return ProfileBody(profile=saved)
