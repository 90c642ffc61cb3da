"""Workshop rules: create and edit a session, who may see it, co-trainers, and opening or closing its quizzes.

Access rule (greencustoms.access.policy): an administrator sees every workshop; a trainer sees the workshops they
own or co-train, and no other; a national coordinator also those declared for their countries
(greencustoms.access.scope). Only the owner or an administrator changes the list of co-trainers. Every function
takes plain arguments (users, ids, the Catalog) so that views and tests share the rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from greencustoms import audit, rules
from greencustoms.access import policy, scope
from greencustoms.content import Catalog, Quiz
from greencustoms.database import rowcount
from greencustoms.extensions import db
from greencustoms.models import User, Workshop, WorkshopParticipant, WorkshopQuiz, WorkshopTrainer, normalise_email
from greencustoms.models import utcnow as _utcnow
from greencustoms.workshops.codes import JOIN_CODE_LENGTH, random_code
from greencustoms.workshops.gate import open_clause

MAX_DAYS = 31


class WorkshopError(ValueError):
    """A workshop action is not allowed; the message (lazy, translated when shown) says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class WorkshopDetails:
    """What a trainer types when creating or editing a workshop."""

    title: str
    course_slug: str
    starts_on: date
    ends_on: date
    place: str = ""
    language: str = "en"
    country: str = ""  # ISO 3166 code the workshop is held for; its national coordinators manage it
    open_quizzes: frozenset[str] = field(default_factory=frozenset)
    pre_quiz_slug: str | None = None
    post_quiz_slug: str | None = None


def course_quiz_slugs(catalog: Catalog, course_slug: str) -> list[str]:
    """The quizzes a workshop of this course controls: the course's module quizzes and its final quiz."""
    return [quiz.slug for quiz in catalog.quizzes_of(course_slug)]


def _check(details: WorkshopDetails, catalog: Catalog, actor: User) -> None:
    if details.country and details.country not in rules.country_codes():
        raise WorkshopError(_l("Choose the country from the list."))
    if not scope.may_declare_workshop_country(actor, details.country):
        raise WorkshopError(_l("Choose one of the countries you coordinate."))
    if catalog.course(details.course_slug) is None:
        raise WorkshopError(_l("Choose a course."))
    if not details.title.strip():
        raise WorkshopError(_l("Give the workshop a title."))
    if details.ends_on < details.starts_on:
        raise WorkshopError(_l("The last day must not be before the first day."))
    if (details.ends_on - details.starts_on).days >= MAX_DAYS:
        raise WorkshopError(_l("A workshop lasts at most %(n)d days.", n=MAX_DAYS))
    allowed = set(course_quiz_slugs(catalog, details.course_slug))
    chosen = set(details.open_quizzes) | ({details.pre_quiz_slug, details.post_quiz_slug} - {None})
    if not chosen <= allowed:
        raise WorkshopError(_l("Choose quizzes of the workshop's course only."))


def create_workshop(owner: User, details: WorkshopDetails, catalog: Catalog, now: datetime | None = None) -> Workshop:
    """Create the workshop with a fresh join code and its open quizzes; audited as workshop.created.

    Raises WorkshopError on an unknown course, an empty title, dates in the wrong order or more than MAX_DAYS
    apart, quizzes from another course, or a country the owner may not declare (a coordinator: their own).
    """
    _check(details, catalog, owner)
    for _try in range(5):  # a clash of 40-bit codes is rare; draw again if it happens
        workshop = Workshop(
            title=details.title.strip(),
            course_slug=details.course_slug,
            starts_on=details.starts_on,
            ends_on=details.ends_on,
            place=details.place.strip(),
            language=details.language,
            country=details.country,
            join_code=random_code(JOIN_CODE_LENGTH),
            owner_id=owner.id,
            pre_quiz_slug=details.pre_quiz_slug,
            post_quiz_slug=details.post_quiz_slug,
            created_at=now or _utcnow(),
        )
        try:
            with db.session.begin_nested():
                db.session.add(workshop)
        except IntegrityError:
            continue
        for slug in sorted(details.open_quizzes):
            db.session.add(WorkshopQuiz(workshop_id=workshop.id, quiz_slug=slug, is_open=True))
        details_for_log = {
            "title": workshop.title,
            "course": workshop.course_slug,
            "starts_on": workshop.starts_on.isoformat(),
            "ends_on": workshop.ends_on.isoformat(),
            "country": workshop.country,
        }
        audit.record("workshop.created", owner.id, f"workshop:{workshop.id}", details_for_log, commit=False)
        db.session.commit()
        return workshop
    raise WorkshopError(_l("No free join code could be drawn. Try again."))


def update_workshop(workshop: Workshop, details: WorkshopDetails, catalog: Catalog, actor: User) -> None:
    """Change title, dates, place, language, country and the pre-/post-test (the course never changes).
    Raises WorkshopError like create_workshop (the country: one `actor` may declare)."""
    details = WorkshopDetails(**{**details.__dict__, "course_slug": workshop.course_slug})
    _check(details, catalog, actor)
    workshop.title, workshop.place, workshop.language = details.title.strip(), details.place.strip(), details.language
    workshop.country = details.country
    workshop.starts_on, workshop.ends_on = details.starts_on, details.ends_on
    workshop.pre_quiz_slug, workshop.post_quiz_slug = details.pre_quiz_slug, details.post_quiz_slug
    db.session.commit()


def find_workshop(user: User, workshop_id: int) -> Workshop | None:
    """The workshop if this user trains it (owner, co-trainer, administrator: `policy.trains`); None otherwise,
    whether or not it exists, so that the caller answers 404 either way."""
    return policy.trained_workshop(user, workshop_id)


def visible_workshops(user: User) -> list[tuple[Workshop, int]]:
    """The workshops this user may see with their number of participants, latest first, in one query."""
    if not policy.runs_workshops(user):
        return []
    count = (
        select(func.count(WorkshopParticipant.id))
        .where(WorkshopParticipant.workshop_id == Workshop.id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        db.select(Workshop, count)
        .where(policy.workshops_trained_by(user))
        .order_by(Workshop.starts_on.desc(), Workshop.id.desc())
    )
    return [(workshop, participants) for workshop, participants in rows]


def manages_trainers(user: User, workshop: Workshop) -> bool:
    """Only the owner and administrators add or remove co-trainers (`policy.manages_trainers`)."""
    return policy.manages_trainers(user, workshop)


def co_trainers(workshop: Workshop) -> list[User]:
    """The co-trainers of the workshop, by name."""
    return list(
        db.session.execute(
            db.select(User)
            .join(WorkshopTrainer, WorkshopTrainer.user_id == User.id)
            .where(WorkshopTrainer.workshop_id == workshop.id)
            .order_by(User.full_name)
        ).scalars()
    )


def add_co_trainer(workshop: Workshop, email: str) -> User:
    """Add the trainer account with this e-mail as co-trainer. Raises WorkshopError when no active trainer or
    administrator has that e-mail, or when it is the owner or already a co-trainer."""
    user = db.session.execute(db.select(User).filter_by(email=normalise_email(email))).scalar_one_or_none()
    if user is None or not policy.is_trainer(user):
        raise WorkshopError(_l("No trainer account has this e-mail address."))
    if user.id == workshop.owner_id:
        raise WorkshopError(_l("This trainer already runs the workshop."))
    try:
        with db.session.begin_nested():
            db.session.add(WorkshopTrainer(workshop_id=workshop.id, user_id=user.id))
    except IntegrityError:
        raise WorkshopError(_l("This trainer is already a co-trainer.")) from None
    db.session.commit()
    return user


def remove_co_trainer(workshop: Workshop, user_id: int) -> bool:
    """Remove a co-trainer; False when they were not one."""
    result = db.session.execute(
        db.delete(WorkshopTrainer).where(WorkshopTrainer.workshop_id == workshop.id, WorkshopTrainer.user_id == user_id)
    )
    db.session.commit()
    return bool(rowcount(result))


def quiz_states(workshop: Workshop, catalog: Catalog) -> list[tuple[Quiz, bool]]:
    """Every quiz of the workshop's course with whether it is open for the participants now (button or
    schedule, greencustoms.workshops.gate.open_clause)."""
    opened = set(
        db.session.execute(
            db.select(WorkshopQuiz.quiz_slug).where(WorkshopQuiz.workshop_id == workshop.id, open_clause(_utcnow()))
        ).scalars()
    )
    return [(quiz, quiz.slug in opened) for quiz in catalog.quizzes_of(workshop.course_slug)]


def set_quiz_open(
    workshop: Workshop, quiz_slug: str, is_open: bool, catalog: Catalog, actor_id: int | None = None
) -> None:
    """Open or close one quiz of the course for the participants, clearing its schedule. Raises WorkshopError
    for any other quiz."""
    if quiz_slug not in course_quiz_slugs(catalog, workshop.course_slug):
        raise WorkshopError(_l("This quiz is not part of the workshop's course."))
    row = db.session.execute(
        db.select(WorkshopQuiz).filter_by(workshop_id=workshop.id, quiz_slug=quiz_slug)
    ).scalar_one_or_none()
    if row is None:
        try:
            with db.session.begin_nested():
                db.session.add(WorkshopQuiz(workshop_id=workshop.id, quiz_slug=quiz_slug, is_open=is_open))
        except IntegrityError:  # a parallel request created it: update that one
            row = db.session.execute(
                db.select(WorkshopQuiz).filter_by(workshop_id=workshop.id, quiz_slug=quiz_slug)
            ).scalar_one()
    if row is not None:
        row.is_open, row.changed_at = is_open, _utcnow()
        row.opens_at = row.closes_at = None  # the button takes the quiz back from its schedule
    event = "workshop.quiz_opened" if is_open else "workshop.quiz_closed"
    audit.record(event, actor_id, f"workshop:{workshop.id}", {"quiz": quiz_slug}, commit=False)
    db.session.commit()
