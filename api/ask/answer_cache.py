"""The serialized answers of `POST /api/v1/ask`, kept per matcher so a repeated question costs a look-up.

An answer's bytes depend on nothing but the question's text and the matcher that answered it (the
served catalogue's documents, statuses as of its day and FAQ entries: any change builds a new
matcher). So answers are kept per matcher object and die with it: a catalogue swap can never serve
an answer made from the old one, even to a request that started before the swap.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass

from faq.matcher import Matcher

KEPT_ANSWERS = 4096  # per matcher, as many as the matcher keeps results


@dataclass(frozen=True, slots=True)
class Answer:
    """One question's response body and what the unanswered log needs of it."""

    body: bytes
    unanswered: bool
    text: str
    normalised: str


class AnswerCache:
    """The most recent `size` answers of each live matcher, least recently used dropped first; thread-safe."""

    def __init__(self, size: int = KEPT_ANSWERS) -> None:
        self._size = size
        self._by_matcher: weakref.WeakKeyDictionary[Matcher, OrderedDict[str, Answer]] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def get(self, matcher: Matcher, text: str) -> Answer | None:
        """The kept answer of `matcher` to `text`, or None."""
        with self._lock:
            answers = self._by_matcher.get(matcher)
            answer = answers.get(text) if answers is not None else None
            if answer is not None and answers is not None:
                answers.move_to_end(text)
            return answer

    def put(self, matcher: Matcher, text: str, answer: Answer) -> None:
        """Keep `answer` as the answer of `matcher` to `text`."""
        with self._lock:
            answers = self._by_matcher.setdefault(matcher, OrderedDict())
            answers[text] = answer
            answers.move_to_end(text)
            if len(answers) > self._size:
                answers.popitem(last=False)
