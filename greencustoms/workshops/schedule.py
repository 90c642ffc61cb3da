"""Quiz schedules: a workshop's quiz opens and closes by itself at set moments, besides the trainer's button.

The rule: a quiz of the workshop is open at a moment `now` when the trainer's button opened it, or when its
schedule says so: `opens_at <= now` and (no `closes_at`, or `now < closes_at`). The moments are typed in the
workshop's time zone (an IANA name, `Workshop.time_zone`) and stored in UTC. Pressing the button (open or close)
clears the quiz's schedule: the trainer takes it back by hand. A schedule whose closing is not after its opening
is refused with a message, and so is a time zone that is not in the list (greencustoms.i18n.time_zones).
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, SelectField
from wtforms.validators import Optional

from greencustoms import audit, i18n
from greencustoms.content import Catalog
from greencustoms.extensions import db
from greencustoms.models import Workshop, WorkshopQuiz, utcnow
from greencustoms.workshops.gate import aware_utc
from greencustoms.workshops.service import WorkshopError, course_quiz_slugs


class ScheduleForm(FlaskForm):
    """When one quiz opens and closes, in the workshop's time zone (prefix: the quiz's slug)."""

    opens_at = DateTimeLocalField(_l("Opens at"), validators=[Optional()], format="%Y-%m-%dT%H:%M")
    closes_at = DateTimeLocalField(_l("Closes at"), validators=[Optional()], format="%Y-%m-%dT%H:%M")
    time_zone = SelectField(_l("Time zone"))

    def fill(self, workshop: Workshop) -> ScheduleForm:
        """Offer the time zones; the workshop's is chosen unless the form was sent."""
        self.time_zone.choices = [(zone, zone.replace("_", " ")) for zone in i18n.time_zones()]
        if self.time_zone.data is None:
            self.time_zone.data = workshop.time_zone
        return self


def to_utc(local: datetime | None, zone: str) -> datetime | None:
    """A moment typed in `zone` (naive), in UTC."""
    return None if local is None else local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def local(moment: datetime | None, zone: str) -> datetime | None:
    """A stored UTC moment as a naive time in `zone` (to fill the form)."""
    aware = aware_utc(moment)
    return None if aware is None else aware.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def shown(moment: datetime | None, zone: str) -> str | None:
    """A stored UTC moment for the trainer, in the workshop's time zone, naming the zone."""
    aware = aware_utc(moment)
    if aware is None:
        return None
    text = format_datetime(aware, "medium", tzinfo=ZoneInfo(zone), locale=str(get_locale() or "en"))
    return f"{text} ({zone.replace('_', ' ')})"


def rows_of(workshop: Workshop) -> dict[str, WorkshopQuiz]:
    """The workshop's quiz rows by slug, in one query."""
    return {
        row.quiz_slug: row
        for row in db.session.execute(db.select(WorkshopQuiz).filter_by(workshop_id=workshop.id)).scalars()
    }


def set_schedule(
    workshop: Workshop,
    quiz_slug: str,
    opens_local: datetime | None,
    closes_local: datetime | None,
    zone: str,
    catalog: Catalog,
    actor_id: int | None = None,
) -> WorkshopQuiz:
    """Store the quiz's schedule (typed in `zone`, which becomes the workshop's time zone), in UTC; the
    button's state is left closed so the schedule decides. Raises WorkshopError for a quiz of another course,
    an unknown zone, or a closing not after the opening."""
    if quiz_slug not in course_quiz_slugs(catalog, workshop.course_slug):
        raise WorkshopError(_l("This quiz is not part of the workshop's course."))
    if zone not in i18n.time_zones():
        raise WorkshopError(_l("Choose a time zone from the list."))
    opens, closes = to_utc(opens_local, zone), to_utc(closes_local, zone)
    if opens is not None and closes is not None and closes <= opens:
        raise WorkshopError(_l("The quiz must close after it opens."))
    if opens is None and closes is not None:
        raise WorkshopError(_l("Give the moment the quiz opens, or open it with the button."))
    row = rows_of(workshop).get(quiz_slug)
    if row is None:
        row = WorkshopQuiz(workshop_id=workshop.id, quiz_slug=quiz_slug)
        db.session.add(row)
    row.is_open, row.opens_at, row.closes_at, row.changed_at = False, opens, closes, utcnow()
    workshop.time_zone = zone
    details = {"quiz": quiz_slug, "opens_at": _iso(opens), "closes_at": _iso(closes), "time_zone": zone}
    audit.record("workshop.quiz_scheduled", actor_id, f"workshop:{workshop.id}", details, commit=False)
    db.session.commit()
    return row


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="minutes") if moment else None
