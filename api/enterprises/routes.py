"""Routes: /api/v1/admin/enterprises (register an enterprise, read its binding code)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, StringConstraints

from api.deps import DbDep, UnitOfWorkDep, get_admin_user
from api.enterprises.models import Enterprise
from api.enterprises.service import create_enterprise, list_enterprises
from api.pagination import Limit, Offset, Page
from api.routing import SessionReleasingRoute
from api.text import EdgeModel

router = APIRouter(
    prefix="/admin/enterprises",
    tags=["admin"],
    dependencies=[Depends(get_admin_user)],
    route_class=SessionReleasingRoute,
)


class EnterpriseIn(EdgeModel):
    """A new enterprise: name and 统一社会信用代码 (its check character is verified)."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    uscc: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]


class EnterpriseOut(BaseModel):
    """An enterprise with the binding code its users present to bind (admins only)."""

    name: str
    uscc: str
    binding_code: str
    created_at: dt.datetime

    @classmethod
    def of(cls, enterprise: Enterprise) -> EnterpriseOut:
        """Build from the row."""
        return cls(
            name=enterprise.name,
            uscc=enterprise.uscc,
            binding_code=enterprise.binding_code,
            created_at=enterprise.created_at,
        )


EnterpriseList = Page[EnterpriseOut]


@router.post("", response_model=EnterpriseOut, status_code=201)
def register_enterprise(body: EnterpriseIn, uow: UnitOfWorkDep) -> EnterpriseOut:
    """Register an enterprise."""
    with uow as session:
        enterprise = create_enterprise(session=session, name=body.name, uscc=body.uscc)
    return EnterpriseOut.of(enterprise)


@router.get("", response_model=EnterpriseList)
def enterprises(session: DbDep, limit: Limit = 50, offset: Offset = 0) -> EnterpriseList:
    """Registered enterprises by name."""
    rows, total = list_enterprises(session=session, limit=limit, offset=offset)
    return EnterpriseList(items=[EnterpriseOut.of(e) for e in rows], total=total)
