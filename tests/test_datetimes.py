"""greencustoms.datetimes writes exactly what Flask-Babel's format_datetime writes, in every language and zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import flask_babel
import pytest
from flask import render_template_string
from flask_login import login_user

from greencustoms.datetimes import format_datetime
from greencustoms.models import User

MOMENTS = [
    datetime(2026, 1, 1, 0, 5),  # naive: UTC
    datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # a night when Europe moves its clocks
    datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC),  # the year changes in every zone east of UTC
    datetime(2026, 7, 4, 12, 0, tzinfo=timezone(timedelta(hours=-5))),  # another offset than UTC
]
ZONES = [None, "Africa/Nairobi", "America/Mexico_City", "Asia/Kathmandu", "Europe/Paris", "Pacific/Kiritimati"]


@pytest.mark.parametrize("zone", ZONES)
def test_every_language_format_and_zone_reads_as_flask_babel_writes_it(app, auth, zone):
    auth.create(email="reader@example.org", name="Reader")
    with app.test_request_context("/"):
        reader = User.query.filter_by(email="reader@example.org").one()
        reader.timezone = zone
        login_user(reader)
        assert str(flask_babel.get_timezone()) == (zone or "UTC")
        for language in app.config["LANGUAGES"]:
            with flask_babel.force_locale(language):
                for moment in MOMENTS:
                    for named in ("short", "medium", "long", "full"):
                        assert format_datetime(moment, named) == flask_babel.format_datetime(moment, named), (
                            language,
                            zone,
                            moment,
                            named,
                        )


def test_other_formats_and_no_date_go_to_flask_babel(app):
    with app.test_request_context("/"):
        moment = datetime(2026, 5, 3, 14, 5, tzinfo=UTC)
        assert format_datetime(moment, "yyyy-MM-dd HH:mm") == "2026-05-03 14:05"
        assert format_datetime(moment) == flask_babel.format_datetime(moment)
        assert format_datetime(None, "short") == flask_babel.format_datetime(None, "short")


def test_templates_use_it(app):
    with app.test_request_context("/"):
        with flask_babel.force_locale("fr"):
            page = render_template_string(
                "{{ when|datetimeformat('short') }}|{{ format_datetime(when, 'long') }}",
                when=datetime(2026, 5, 3, 14, 5, tzinfo=UTC),
            )
    assert page == "03/05/2026 14:05|3 mai 2026, 14:05:00 TU"
