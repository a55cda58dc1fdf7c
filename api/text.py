"""Text accepted at the HTTP edge: valid Unicode without NUL bytes, and no longer than its column once normalised.

PostgreSQL refuses NUL in text and psycopg cannot encode a lone surrogate (JSON's `"\\ud800"`); NFKC can
grow one character into eighteen (ﷺ). Either would fail deep in a route as a 500; checked here they are a
422 naming the field.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, model_validator

from api import messages


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored as text, or None."""
    if "\x00" in value:
        return messages.NUL_REFUSED
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return messages.SURROGATE_REFUSED
    return None


def check_text(value: str) -> str:
    """`value`, or ValueError when it holds NUL or a lone surrogate."""
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def fits_normalised(max_length: int) -> Callable[[str], str]:
    """A validator refusing text longer than `max_length` characters after NFKC normalisation."""

    def check(value: str) -> str:
        if len(unicodedata.normalize("NFKC", value)) > max_length:
            raise ValueError(messages.TOO_LONG_NORMALISED.format(max_length=max_length))
        return value

    return check


Text = Annotated[str, AfterValidator(check_text)]


def _check_tree(value: Any) -> None:
    if isinstance(value, str):
        check_text(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_tree(key)
            _check_tree(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_tree(item)


class EdgeModel(BaseModel):
    """A request body: every string in it, keys of free-form objects included, is valid text."""

    @model_validator(mode="before")
    @classmethod
    def _valid_text_only(cls, data: Any) -> Any:
        _check_tree(data)
        return data
