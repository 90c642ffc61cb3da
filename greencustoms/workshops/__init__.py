"""Workshops for trainers: dated sessions of a course, enrolment (join code, roster, sign-in slips), the live
progress grid, quiz control, pre/post gains, question analysis, attendance, results and certificates."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint (trainer pages, /join, /slip) and the quiz gate hook used by the quiz pages."""
    from greencustoms import i18n
    from greencustoms.workshops import join_views, participant_views, report_views, views  # noqa: F401  (routes)
    from greencustoms.workshops.blueprint import bp
    from greencustoms.workshops.gate import quiz_gate
    from greencustoms.workshops.participants import join_page_language

    app.register_blueprint(bp)
    app.extensions["quiz.gate"] = quiz_gate
    i18n.add_page_default(app, join_page_language)
