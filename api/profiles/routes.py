"""Routes: GET and PUT /api/v1/profile (enterprise users, directly or through the bot)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import ClauseIndexDep, DbDep, EnterpriseActor
from api.profiles import service
from api.routing import UnitOfWorkRoute
from api.text import EdgeModel

router = APIRouter(tags=["profile"], route_class=UnitOfWorkRoute)


class ProfileBody(EdgeModel):
    """An enterprise profile: fact name → value (null or absent = unknown)."""

    profile: dict[str, Any]


@router.get("/profile", response_model=ProfileBody)
def read_profile(user: EnterpriseActor, session: DbDep) -> ProfileBody:
    """The saved answers (the enterprise's when bound), reused by the next self-check."""
    return ProfileBody(profile=service.get_profile(session=session, user=user))


@router.put("/profile", response_model=ProfileBody)
def write_profile(body: ProfileBody, user: EnterpriseActor, session: DbDep, index: ClauseIndexDep) -> ProfileBody:
    """Replace the saved answers; a fact or value outside facts.yaml is a 422."""
    saved = service.save_profile(session=session, user=user, raw=body.profile, index=index)
    session.commit()
    return ProfileBody(profile=saved)
