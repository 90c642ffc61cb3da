"""Why an attempt action was refused; each carries a message written for the learner (lazy, translated late)."""

from __future__ import annotations

from typing import Any


class QuizRuleError(Exception):
    """Base class: an action the quiz rules refuse. `message` is shown to the learner."""

    def __init__(self, message: Any):
        super().__init__(message)  # kept lazy: translated when shown, in the learner's request
        self.message = message


class AttemptRefused(QuizRuleError):
    """A new attempt may not start now: every allowed attempt is used, or the wait between attempts is not over."""


class AttemptClosed(QuizRuleError):
    """The attempt is already submitted or its time is up: answers can no longer change."""


class StaleAttempt(QuizRuleError):
    """The page was older than the attempt (answered meanwhile in another tab): nothing was changed."""
