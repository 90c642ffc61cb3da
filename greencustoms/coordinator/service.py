"""What a national coordinator sees: the learners in their scope (searched and paged) and one learner's record.

Every query goes through greencustoms.access.scope (`learners_in_scope`, `learner_in_scope`): a learner outside
the scope is never listed, and looking one up returns None exactly as for an unknown id (the view answers 404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func

from greencustoms.access import scope
from greencustoms.certificates.holdings import certificates_of
from greencustoms.content import Catalog
from greencustoms.extensions import db
from greencustoms.learning import progress
from greencustoms.models import Certificate, CourseCompletion, User
from greencustoms.textsearch import contains

PER_PAGE = 50


def find_learners(viewer: Any, text: str = "", country: str = "", page: int = 1, per_page: int = PER_PAGE):
    """A page of the learners in `viewer`'s scope, by name, matching `text` (name or e-mail, accents and case
    ignored) and `country` (one of the scope's; any other matches nobody): a Flask-SQLAlchemy Pagination."""
    statement = db.select(User).where(scope.learners_in_scope(viewer)).order_by(func.lower(User.full_name), User.id)
    if text:
        statement = statement.where(contains(User.search_text, text[:100]))
    if country:
        statement = statement.where(User.country == country[:2].upper())
    return db.paginate(statement, page=page, per_page=per_page, error_out=False, count=True)


@dataclass(frozen=True)
class LearnerRecord:
    """One learner as their coordinator sees them: progress per enrolled course, completions, certificates."""

    learner: User
    courses: list[Any]  # CourseProgress, one per enrolled course the catalog still has
    completions: dict[str, CourseCompletion]
    certificates: list[Certificate]
    now: datetime


def learner_record(viewer: Any, learner_id: int, catalog: Catalog, now: datetime) -> LearnerRecord | None:
    """The record of the learner when in `viewer`'s scope; None otherwise, whether or not the learner exists."""
    learner = scope.learner_in_scope(viewer, learner_id)
    if learner is None:
        return None
    completed = progress.completed_lesson_ids(learner.id)
    slugs = [slug for slug in progress.enrolled_course_slugs(learner.id) if slug in catalog.courses]
    completions = {
        row.course_slug: row
        for row in db.session.execute(db.select(CourseCompletion).filter_by(user_id=learner.id)).scalars()
    }
    return LearnerRecord(
        learner=learner,
        courses=[progress.course_progress(catalog, catalog.courses[slug], completed) for slug in slugs],
        completions=completions,
        certificates=certificates_of(learner.id),
        now=now,
    )
