"""Dependencies shared by the routes, as `Annotated` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.settings import Settings, get_settings
from policy_index.library import PolicyLibrary


def get_library(request: Request) -> PolicyLibrary:
    """The policy library the app serves."""
    library: PolicyLibrary = request.app.state.library
    return library


LibraryDep = Annotated[PolicyLibrary, Depends(get_library)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
