"""The filters of a completion export: what an administrator, a coordinator, the CLI or the API may ask for, read
and checked from form, query-string or CLI values (`parse_filters`), with a clear message for a malformed one."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

STATUSES = ("enrolled", "completed", "certified", "revoked", "expired")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class FilterError(ValueError):
    """A filter value is malformed; the message says which and what is expected."""


@dataclass(frozen=True)
class CompletionFilters:
    """What to export. `date_from`/`date_to` bound the completion date (inclusive, UTC); `workshop` names one
    workshop by its number (12 or #12) or its join code, and keeps the rows of its participants for its course
    (any other value matches nothing)."""

    course: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    country: str | None = None
    organisation: str | None = None
    workshop: str | None = None
    status: str | None = None

    def as_dict(self) -> dict[str, str]:
        """The filters that are set, as strings, under their public names (for the audit log and links)."""
        names = {"date_from": "from", "date_to": "to"}
        return {names.get(key, key): str(value) for key, value in asdict(self).items() if value not in (None, "")}


def parse_filters(values: Mapping[str, Any]) -> CompletionFilters:
    """Read filters from query-string or CLI values named course, from, to, country, organisation, workshop,
    status. Empty values mean "any". Raises FilterError on a malformed value."""

    def text(name: str, limit: int) -> str | None:
        value = str(values.get(name) or "").strip()
        if len(value) > limit:
            raise FilterError(_l("%(name)s is too long (at most %(n)d characters).", name=name, n=limit))
        return value or None

    course = text("course", 64)
    if course and not _SLUG.match(course):
        raise FilterError(_l("course must be a course identifier such as green-customs-foundations."))
    country = text("country", 100)
    if country and not (len(country) == 2 and country.isalpha() and country.isascii()):
        raise FilterError(_l("country must be a two-letter ISO 3166 code such as KE."))
    status = text("status", 16)
    if status and status not in STATUSES:
        raise FilterError(_l("status must be one of: %(values)s.", values=", ".join(STATUSES)))
    date_from, date_to = _date(values, "from"), _date(values, "to")
    if date_from and date_to and date_from > date_to:
        raise FilterError(_l("from must not be after to."))
    return CompletionFilters(
        course=course,
        date_from=date_from,
        date_to=date_to,
        country=country.upper() if country else None,
        organisation=text("organisation", 200),
        workshop=text("workshop", 64),
        status=status,
    )


def _date(values: Mapping[str, Any], name: str) -> date | None:
    raw = str(values.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise FilterError(_l("%(name)s must be a date written YYYY-MM-DD, e.g. 2026-01-31.", name=name)) from None
