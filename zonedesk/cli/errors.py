"""Domain exceptions → one line on stderr and exit code 2: one table for the whole CLI."""

from __future__ import annotations

import sys
from typing import NoReturn

EXIT_USAGE = 2


def usage_errors() -> tuple[type[Exception], ...]:
    """The domain exceptions that are the user's mistake (imported when one is raised, not at start)."""
    from api.domain_errors import DeskError
    from bot.settings import BotNotConfigured
    from faq.evaluate import InvalidQuestionFile, TooFewQuestions
    from faq.matcher import InvalidQuestion
    from policy_index.clauses import ClauseFileError
    from policy_index.facts import FactFileError, ProfileError
    from policy_index.library import UnknownDocument, UnknownMeasure
    from policy_index.parser import ParseError

    return (
        ParseError,
        UnknownDocument,
        UnknownMeasure,
        InvalidQuestion,
        InvalidQuestionFile,
        TooFewQuestions,
        DeskError,
        ProfileError,
        ClauseFileError,
        FactFileError,
        BotNotConfigured,
    )


def is_usage_error(exc: Exception) -> bool:
    """Whether `exc` is one of `usage_errors()`."""
    return isinstance(exc, usage_errors())


def message_of(exc: BaseException) -> str:
    """The exception's message on one line."""
    text = str(exc.args[0]) if exc.args else str(exc)
    return " ".join(text.split())


def fail(message: str) -> NoReturn:
    """Print `zonedesk: 错误：<message>` on stderr and exit 2."""
    print(f"zonedesk: 错误：{' '.join(message.split())}", file=sys.stderr)
    raise SystemExit(EXIT_USAGE)
