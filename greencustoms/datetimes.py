"""A date and time in the reader's language and time zone: the text Flask-Babel's `format_datetime` gives, at a
third of its cost.

Flask-Babel looks up the locale, the time zone, the configured formats and the locale's patterns at every call;
a table that prints a date per row (the attempt history on `/me`, the audit log) pays that for every row. Here
the patterns of each (language, named format) are looked up once per process, and the reader's locale and time
zone once per call from Flask-Babel's per-request state. The templates' `datetimeformat` filter and
`format_datetime` global are this function (`greencustoms.i18n.register_template_helpers`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal, cast

import flask_babel
from babel import dates

NAMED = ("short", "medium", "long", "full")
# (language, named format) -> (the locale's date-time joining text, its time pattern, its date pattern)
_patterns: dict[tuple[str, str], tuple[str, Any, Any]] = {}


def format_datetime(value: datetime | None = None, format: str | None = None) -> str:
    """`value` (naive means UTC) in the reader's time zone, written as `format` ("short", "medium", "long" or
    "full": the language's own patterns; anything else goes to Flask-Babel unchanged)."""
    if value is None or format not in NAMED or flask_babel.get_babel().instance.date_formats.get(f"datetime.{format}"):
        return flask_babel.format_datetime(value, format)
    locale = flask_babel.get_locale()
    key = (str(locale), format)
    found = _patterns.get(key)
    if found is None:
        named = cast(Literal["full", "long", "medium", "short"], format)
        # babel.dates.format_datetime joins the formatted time ({0}) and date ({1}) into this text, quotes removed
        joining = str(dates.get_datetime_format(named, locale=locale)).replace("'", "")
        found = _patterns[key] = (
            joining,
            dates.get_time_format(named, locale=locale),
            dates.get_date_format(named, locale=locale),
        )
    joining, time_pattern, date_pattern = found
    zone = flask_babel.get_timezone()
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(zone)
    if hasattr(zone, "normalize"):  # a pytz zone, as Flask-Babel gives
        local = zone.normalize(local)
    return joining.replace("{0}", time_pattern.apply(local, locale)).replace(
        "{1}", date_pattern.apply(local.date(), locale)
    )
