"""Dependencies shared by the routes, as `Annotated` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.settings import Settings, get_settings
from faq.matcher import Matcher
from policy_index.library import PolicyLibrary


def get_library(request: Request) -> PolicyLibrary:
    """The policy library the app serves."""
    library: PolicyLibrary = request.app.state.library
    return library


LibraryDep = Annotated[PolicyLibrary, Depends(get_library)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_matcher(request: Request) -> Matcher:
    """The question matcher built at app start."""
    matcher: Matcher = request.app.state.matcher
    return matcher


MatcherDep = Annotated[Matcher, Depends(get_matcher)]
