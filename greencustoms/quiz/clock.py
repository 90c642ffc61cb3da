"""The quiz clock: QUIZ_CLOCK from the config when set (tests freeze time with it), else the real UTC time."""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from greencustoms.database import utcnow


def now() -> datetime:
    """The current time, timezone-aware, as the quiz rules see it."""
    return current_app.config.get("QUIZ_CLOCK", utcnow)()
