"""Queueing a question the desk could not answer confidently for the review log, within the asker's quota."""

from __future__ import annotations

from dataclasses import dataclass

from api.ask.answer_cache import Answer
from api.auth.throttle import UNANSWERED_PER_ASKER, Throttle
from api.faqs.unanswered_log import UnansweredLog


@dataclass(frozen=True, slots=True)
class UnansweredQueue:
    """The unanswered log as one asker may feed it: at most `UNANSWERED_PER_ASKER` questions per window."""

    log: UnansweredLog
    throttle: Throttle
    asker: str

    def add(self, answer: Answer) -> None:
        """Queue `answer`'s question (written in batches) if it was not answered confidently, within the quota.

        Blocking: a Redis-backed throttle makes round trips, so call it off the event loop.
        """
        if answer.unanswered and self.throttle.take(UNANSWERED_PER_ASKER, self.asker):
            self.log.add(text=answer.text, normalized_text=answer.normalised)
