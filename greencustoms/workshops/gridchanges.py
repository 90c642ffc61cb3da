"""What changed in the live progress grid since a trainer's last refresh, so a refresh sends only that.

A refresh carries the `version` its page (or its previous refresh) was given: the participants (how many, the
highest id), the moment it was made (server time, in ms), and how many completed lessons and graded attempts of
the participants were older than that moment minus MARGIN. The next refresh:

- finds the participants unchanged and those two counts unchanged (nothing was added with an old time stamp, and
  nothing was deleted: otherwise it answers with the whole table);
- lists the participants with a lesson completed or an attempt graded since the moment minus MARGIN; none means
  "unchanged" (the view answers 204 and the page keeps its version); else their rows only (sorted by progress,
  where the order may change, the whole table).

MARGIN covers writes whose time stamp was taken just before the version was made but committed just after, and
clocks of several instances that differ a little; a row may therefore be sent twice, and the page shows it only
if it differs. An attempt closed by time carries its deadline as time stamp: the count check catches it. Every
refresh costs the same few queries whatever the number of participants (two when unchanged).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, func, literal, union_all

from greencustoms.content import Catalog
from greencustoms.extensions import db
from greencustoms.models import LessonProgress, QuizAttempt, Workshop, WorkshopParticipant, utcnow
from greencustoms.models.attempt import IN_PROGRESS
from greencustoms.workshops.grid import Grid, grid_sources, progress_grid
from greencustoms.workshops.participants import participant_ids

MARGIN = timedelta(seconds=10)
_VERSION = re.compile(r"^(\d{1,9})\.(\d{1,12})\.(\d{1,15})\.(\d{1,12})\.(\d{1,12})$")


@dataclass(frozen=True)
class Version:
    """The grid state a page has: participants (count, highest id), when (ms), older lessons and attempts."""

    people: int
    last_participant: int
    at_ms: int
    old_lessons: int
    old_attempts: int

    def __str__(self) -> str:
        return f"{self.people}.{self.last_participant}.{self.at_ms}.{self.old_lessons}.{self.old_attempts}"

    @property
    def cutoff(self) -> datetime:
        return datetime.fromtimestamp(self.at_ms / 1000, UTC) - MARGIN

    @classmethod
    def parse(cls, text: str | None) -> Version | None:
        """The version in `text`, or None when it is missing or not one."""
        match = _VERSION.match(text or "")
        return cls(*(int(part) for part in match.groups())) if match else None


@dataclass(frozen=True)
class Changes:
    """A refresh's answer: `grid` holds the changed rows (`full`: the whole grid) or None when nothing changed."""

    version: Version
    grid: Grid | None
    full: bool


def current_version(workshop: Workshop, catalog: Catalog, now: datetime | None = None) -> Version:
    """The version of the grid at `now` (two queries)."""
    at_ms = int((now or utcnow()).timestamp() * 1000)
    return _state_at(workshop, catalog, at_ms)[0]


def _state_at(workshop: Workshop, catalog: Catalog, at_ms: int) -> tuple[Version, set[int]]:
    """The grid's version at `at_ms`, and the participants with a lesson completed or an attempt graded at or
    after its cutoff: one pass over the participants' lessons and attempts (grouped by person), one for the
    participants themselves."""
    cutoff = Version(0, 0, at_ms, 0, 0).cutoff
    module_slugs, quiz_slugs = grid_sources(workshop, catalog)
    members = participant_ids(workshop)
    people = db.select(func.count(WorkshopParticipant.id), func.coalesce(func.max(WorkshopParticipant.id), 0)).where(
        WorkshopParticipant.workshop_id == workshop.id
    )
    done_at, graded_at = LessonProgress.completed_at, QuizAttempt.submitted_at
    lessons = (
        db.select(
            literal("lesson"),
            LessonProgress.user_id,
            func.sum(case((done_at < cutoff, 1), else_=0)),
            func.max(case((done_at >= cutoff, 1), else_=0)),
        )
        .where(LessonProgress.user_id.in_(members), LessonProgress.module_slug.in_(module_slugs))
        .group_by(LessonProgress.user_id)
    )
    attempts = (
        db.select(
            literal("attempt"),
            QuizAttempt.user_id,
            func.sum(case((graded_at < cutoff, 1), else_=0)),
            func.max(case((graded_at >= cutoff, 1), else_=0)),
        )
        .where(
            QuizAttempt.user_id.in_(members),
            QuizAttempt.quiz_slug.in_(quiz_slugs),
            QuizAttempt.status != IN_PROGRESS,
        )
        .group_by(QuizAttempt.user_id)
    )
    count, last = db.session.execute(people).one()
    old = {"lesson": 0, "attempt": 0}
    changed: set[int] = set()
    for kind, user_id, older, newer in db.session.execute(union_all(lessons, attempts)):
        old[kind] += int(older or 0)
        if newer:
            changed.add(int(user_id))
    return Version(int(count), int(last), at_ms, old["lesson"], old["attempt"]), changed


def grid_changes(workshop: Workshop, catalog: Catalog, sort: str, since: str | None) -> Changes:
    """The rows changed since the version `since` (see the module's rule); the whole grid when `since` is missing
    or unusable, when participants came or went, when something appeared with an old time stamp or was deleted,
    or when the grid is sorted by progress and a row changed."""
    now = utcnow()
    old = Version.parse(since)
    if old is None:
        return Changes(current_version(workshop, catalog, now), progress_grid(workshop, catalog, sort), True)
    then, changed = _state_at(workshop, catalog, old.at_ms)
    if then != old:
        return Changes(current_version(workshop, catalog, now), progress_grid(workshop, catalog, sort), True)
    if not changed:
        return Changes(old, None, False)
    version = current_version(workshop, catalog, now)
    if sort == "progress":
        return Changes(version, progress_grid(workshop, catalog, sort), True)
    return Changes(version, progress_grid(workshop, catalog, sort, only=changed), False)
