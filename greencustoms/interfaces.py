"""The documented interfaces between areas: what one area asks of another without importing it.

An area that needs something from an area above it (the quiz pages asking the workshops whether a quiz is open,
the learner's page asking the certificates what to show) declares the need here as a small Protocol with a
harmless default. The factory (greencustoms.create_app, `register_interfaces`) plugs in the implementation, so
both ends appear in the import graph: the asking area imports this module, the factory imports the provider.
See docs/architecture.md for the map.

Completion events (a lesson completed, an attempt graded) go the other way through greencustoms.signals, whose
receivers (greencustoms.certificates.receivers) are connected by the factory too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from flask import Flask, current_app

from greencustoms.database import utcnow

if TYPE_CHECKING:
    from greencustoms.content import Catalog


class ExportJobBuilder(Protocol):
    """Builds the Export (greencustoms.exports) that a background export job of one kind asks for, from the job's
    owner, params and format. Raises LookupError when its object is gone or no longer visible to that person.
    Provided for "workshop_results" by greencustoms.workshops.results.results_job_export."""

    def __call__(self, user_id: int, params: Mapping[str, Any], fmt: str) -> Any: ...


@dataclass(frozen=True)
class ExportJobSource:
    """One kind of background export offered by another area: its ExportKind (columns, formats) and builder."""

    kind: Any  # greencustoms.exports.ExportKind (not imported: exports sits above this module)
    build: ExportJobBuilder


class QuizGate(Protocol):
    """A refusal message when `user_id` may not start, save or submit `quiz_slug` now; None when the quiz is open.
    Provided by greencustoms.workshops.gate.quiz_gate (a workshop's quiz stays closed until the trainer opens it)."""

    def __call__(self, user_id: int, quiz_slug: str) -> str | None: ...


class ReviewWithheld(Protocol):
    """A message when the review of `user_id`'s attempt at `quiz_slug`, started at `started_at`, must show the
    score only, whatever the quiz's review policy; None when the policy applies. Provided by
    greencustoms.workshops.gate.pretest_review (a workshop's pre-test never shows its answers)."""

    def __call__(self, user_id: int, quiz_slug: str, started_at: datetime) -> str | None: ...


class AttemptsCountSince(Protocol):
    """The moment from which `user_id`'s attempts at `quiz_slug` count against its attempt limit, or None for all.
    Provided by the certificates (a renewal retake of a final exam ignores attempts before the expiry)."""

    def __call__(self, user_id: int, quiz_slug: str) -> datetime | None: ...


class LearnerCertificates(Protocol):
    """What the learner's /me page shows about certificates: {"certificates": [...], "renewals": {course slug:
    final quiz slug}, "now": datetime}. Provided by greencustoms.certificates.holdings.my_certificates."""

    def __call__(self, catalog: Catalog, user_id: int) -> dict[str, Any]: ...


class PendingInvitations(Protocol):
    """How many workshop invitations wait for the learner's answer (shown on /me). Provided by
    greencustoms.workshops.invitations.pending_count."""

    def __call__(self, user_id: int) -> int: ...


def open_quiz(user_id: int, quiz_slug: str) -> str | None:
    """Default gate: every quiz is open."""
    return None


def review_by_policy(user_id: int, quiz_slug: str, started_at: datetime) -> str | None:
    """Default: the quiz's own review policy applies."""
    return None


def all_attempts(user_id: int, quiz_slug: str) -> datetime | None:
    """Default: every attempt counts."""
    return None


def no_certificates(catalog: Catalog, user_id: int) -> dict[str, Any]:
    """Default: no certificate area, nothing to show."""
    return {"certificates": [], "renewals": {}, "now": utcnow()}


def no_invitations(user_id: int) -> int:
    """Default: no workshop area, no invitation."""
    return 0


@dataclass
class Interfaces:
    """The providers plugged into one app; every field keeps its harmless default until the factory sets it."""

    quiz_gate: QuizGate = open_quiz
    review_withheld: ReviewWithheld = review_by_policy
    attempts_count_since: AttemptsCountSince = all_attempts
    learner_certificates: LearnerCertificates = no_certificates
    pending_invitations: PendingInvitations = no_invitations
    export_jobs: dict[str, ExportJobSource] = field(default_factory=dict)


def init_app(app: Flask) -> Interfaces:
    """Give the app its (default) providers; the factory then plugs in the real ones."""
    app.extensions["interfaces"] = provided = Interfaces()
    return provided


def interfaces(app: Flask | None = None) -> Interfaces:
    """The providers of `app` (the current app by default)."""
    return (app or current_app).extensions["interfaces"]
