"""Choosing the language a course is studied in: stored per learner and course (in the session for visitors)."""

from __future__ import annotations

from flask import session

from greencustoms.extensions import db
from greencustoms.models import StudyLanguage, utcnow
from greencustoms.studylanguages import STUDY_SESSION_KEY, course_languages, forget_study_languages


def choose_study_language(user, course, language: str) -> None:
    """Remember that `user` (or this anonymous visitor) studies `course` in `language`. Raises ValueError when the
    course cannot be studied in it. Progress, attempts and certificates are untouched: they follow content ids."""
    if language not in {code for code, _percent in course_languages(course)}:
        raise ValueError(language)
    if not getattr(user, "is_authenticated", False):
        session[STUDY_SESSION_KEY] = {**(session.get(STUDY_SESSION_KEY) or {}), course.slug: language}
        return
    row = db.session.execute(db.select(StudyLanguage).filter_by(user_id=user.id, course_slug=course.slug)).scalar()
    if row is None:
        db.session.add(StudyLanguage(user_id=user.id, course_slug=course.slug, language=language))
    elif row.language != language:
        row.language, row.chosen_at = language, utcnow()
    db.session.commit()
    forget_study_languages(user.id)
