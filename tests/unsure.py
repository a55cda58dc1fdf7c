"""A matcher that is never confident: makes any in-scope question one the desk asks back about."""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import FastAPI

from api.deps import CatalogDep, get_matcher
from faq.matcher import Matcher, MatchResult


class UnsureMatcher:
    """Delegates to a real matcher, but reports every answer as not confident."""

    def __init__(self, matcher: Matcher) -> None:
        self._matcher = matcher

    def __getattr__(self, name: str) -> Any:
        return getattr(self._matcher, name)

    def match(self, text: str, **kwargs: Any) -> MatchResult:
        """The real result, not confident."""
        return dataclasses.replace(self._matcher.match(text, **kwargs), confident=False)


def make_unsure(app: FastAPI) -> None:
    """Serve `app`'s current catalogue through an `UnsureMatcher`."""

    def unsure(catalog: CatalogDep) -> Any:
        return UnsureMatcher(catalog.matcher)

    app.dependency_overrides[get_matcher] = unsure
