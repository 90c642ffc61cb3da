"""Study languages: the language a learner takes each course in, whatever the interface language.

A learner (or a visitor, in the session) may choose, per course, any language the course is at least partly
translated into; otherwise it is their interface language when the course has it, else the course's source
language (`study_language`). Signed-in choices are stored in `study_languages` rows and read with the session
check's own query (`study_languages_column`, `remember_study_languages`), so a page asks no query of its own.
"""

from __future__ import annotations

from flask import g, has_request_context, session
from flask_babel import get_locale
from sqlalchemy import String, func, literal_column

from greencustoms.extensions import db
from greencustoms.i18n import languages, supported

STUDY_SESSION_KEY = "study_languages"  # an anonymous visitor's choices, {course slug: language}


def course_languages(course) -> list[tuple[str, int]]:
    """(language, percent translated) a course can be studied in: its source language, then every interface
    language with at least part of the course translated."""
    from greencustoms.content import get_catalog
    from greencustoms.content.coverage import course_languages as offered

    return offered(get_catalog(), course.slug, languages())


def chosen_study_languages(user) -> dict[str, str]:
    """The study language this person chose for each course, {course slug: language} (from the session for a
    visitor). The session check reads them with the account (remember_study_languages), so a page asks no query
    of its own; outside a signed-in request, one query."""
    if getattr(user, "is_authenticated", False):
        known = g.get("study_languages", {}).get(user.id) if has_request_context() else None
        if known is not None:
            return dict(known)
        from greencustoms.models import StudyLanguage

        rows = db.session.execute(
            db.select(StudyLanguage.course_slug, StudyLanguage.language).filter_by(user_id=user.id)
        )
        return {slug: language for slug, language in rows}
    if has_request_context():
        return dict(session.get(STUDY_SESSION_KEY) or {})
    return {}


STUDY_LANGUAGES_SEPARATOR = " "  # between "course=language" pairs; neither a slug nor a language code has one


def study_languages_column(user_id_column):
    """A scalar subquery giving an account's chosen study languages as one text ("course=language ..."), or NULL:
    the session check adds it to its query of the account (greencustoms.auth.sessions)."""
    from greencustoms.models import StudyLanguage

    pair = StudyLanguage.course_slug + "=" + StudyLanguage.language
    # The separator as SQL text: a plain string becomes a parameter rendered into the statement at every run
    separator = literal_column(f"'{STUDY_LANGUAGES_SEPARATOR}'", String)
    return (
        # typed as taking a str, it takes any SQL expression, as every function does
        db.select(func.aggregate_strings(pair, separator))  # type: ignore[arg-type]
        .where(StudyLanguage.user_id == user_id_column)
        .scalar_subquery()
    )


def remember_study_languages(user_id: int, packed: str | None) -> None:
    """Keep for this request the study languages read by study_languages_column, so chosen_study_languages asks
    no query. Dropped by forget_study_languages when the learner chooses again."""
    if not has_request_context():
        return
    pairs = (item.partition("=") for item in (packed or "").split(STUDY_LANGUAGES_SEPARATOR) if item)
    g.setdefault("study_languages", {})[user_id] = {slug: language for slug, _eq, language in pairs}


def forget_study_languages(user_id: int) -> None:
    """Drop the request's copy of an account's study languages (after it chose one)."""
    if has_request_context():
        g.setdefault("study_languages", {}).pop(user_id, None)


def study_language(user, course, chosen: dict[str, str] | None = None) -> str:
    """The language `user` studies `course` in (stored on the certificate at issue): the language they chose for
    it (greencustoms.learning.languages), else their interface language when the course has it, else the
    course's source language. Only languages the course is (at least partly) translated into count. A page that
    asks for several courses passes `chosen` (chosen_study_languages) so that it costs one query, not one each."""
    offered = [code for code, _percent in course_languages(course)]
    if chosen is None:
        chosen = chosen_study_languages(user)
    picked = chosen.get(course.slug)
    if picked in offered:
        return picked
    interface = supported(getattr(user, "language", None))
    if interface is None and has_request_context():
        interface = str(get_locale() or "")
    return interface if interface in offered else offered[0]
