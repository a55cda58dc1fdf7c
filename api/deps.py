"""Dependencies shared by the routes, as `Annotated` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.settings import Settings, get_settings
from policy_index.clauses import ClauseIndex
from policy_index.library import PolicyLibrary


def get_library(request: Request) -> PolicyLibrary:
    """The policy library the app serves."""
    library: PolicyLibrary = request.app.state.library
    return library


LibraryDep = Annotated[PolicyLibrary, Depends(get_library)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_clause_index(request: Request) -> ClauseIndex:
    """The facts and eligibility clauses the app serves."""
    index: ClauseIndex = request.app.state.clause_index
    return index


ClauseIndexDep = Annotated[ClauseIndex, Depends(get_clause_index)]
