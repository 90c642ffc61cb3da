"""Who may see and do what: roles, ownership, workshop membership and co-training, as plain functions.

These are THE rules; views (through `greencustoms.access.routes.requires`), services, templates (through `may`)
and the JSON API all call them. They take plain arguments (a user, an object), never `request`, so the CLI and
the tests use them too. An anonymous user (Flask-Login's AnonymousUserMixin) or None passes no check but
`is_signed_in` is simply False.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, or_, select, true

from greencustoms.extensions import db
from greencustoms.models import Workshop, WorkshopParticipant, WorkshopTrainer

TRAINER_ROLES = ("trainer", "admin")


def is_signed_in(user: Any) -> bool:
    """A real, active account is signed in (not None, not the anonymous user, not disabled)."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and getattr(user, "active", False))


def is_admin(user: Any) -> bool:
    """Administrators manage accounts, exports, certificates, tokens and see every workshop."""
    return is_signed_in(user) and user.role == "admin"


def is_trainer(user: Any) -> bool:
    """Trainers (and administrators, who hold every role) may run workshops."""
    return is_signed_in(user) and user.role in TRAINER_ROLES


def is_learner_account(user: Any) -> bool:
    """An active account with no trainer or administrator role (what a sign-in slip may open: a slip must never
    sign anyone into an account with more authority)."""
    return user is not None and bool(getattr(user, "active", False)) and user.role == "learner"


def owns(user: Any, obj: Any) -> bool:
    """The object (attempt, certificate, export job, progress...) belongs to the user: its `user_id` is theirs.
    Administrators do NOT own other people's objects: they reach them through the administration pages."""
    return is_signed_in(user) and obj is not None and getattr(obj, "user_id", None) == user.id


def co_trains(user: Any, workshop: Workshop) -> bool:
    """The user is a co-trainer of the workshop (a row in workshop_trainers)."""
    if not is_signed_in(user):
        return False
    found = db.session.execute(
        select(WorkshopTrainer.id).filter_by(workshop_id=workshop.id, user_id=user.id)
    ).scalar_one_or_none()
    return found is not None


def trains(user: Any, workshop: Workshop | None) -> bool:
    """The user runs this workshop: an administrator, or a trainer who owns or co-trains it."""
    if workshop is None or not is_trainer(user):
        return False
    return is_admin(user) or workshop.owner_id == user.id or co_trains(user, workshop)


def manages_trainers(user: Any, workshop: Workshop) -> bool:
    """Only the owner and administrators add or remove co-trainers (a co-trainer runs everything else)."""
    return is_admin(user) or (is_trainer(user) and workshop.owner_id == user.id)


def workshops_trained_by(user: Any) -> ColumnElement[bool]:
    """SQL condition on Workshop: the workshops `trains(user, ...)` allows (all for an administrator, none for a
    learner). The same rule as `trains`, for lists and lookups in one query."""
    if is_admin(user):
        return true()
    if not is_trainer(user):
        return false()
    co_trained = select(WorkshopTrainer.workshop_id).where(WorkshopTrainer.user_id == user.id)
    return or_(Workshop.owner_id == user.id, Workshop.id.in_(co_trained))


def trained_workshop(user: Any, workshop_id: int) -> Workshop | None:
    """The workshop if the user trains it; None otherwise, whether or not it exists (the caller answers 404)."""
    if not is_trainer(user):
        return None
    return db.session.execute(
        db.select(Workshop).where(Workshop.id == workshop_id, workshops_trained_by(user))
    ).scalar_one_or_none()


def member_of(user: Any, workshop: Workshop) -> bool:
    """The user is a participant of the workshop (joined with the code, or accepted an invitation)."""
    if not is_signed_in(user):
        return False
    found = db.session.execute(
        select(WorkshopParticipant.id).filter_by(workshop_id=workshop.id, user_id=user.id)
    ).scalar_one_or_none()
    return found is not None


def quiz_is_listed(catalog: Any, quiz_slug: str) -> bool:
    """A quiz is open to anyone only when a course lists it (the quiz of one of its modules, or its final quiz);
    the quiz of a module that no course lists is not served."""
    return any(quiz.slug == quiz_slug for course in catalog.courses for quiz in catalog.quizzes_of(course))


def module_is_listed(catalog: Any, module_slug: str) -> bool:
    """A module is served (its lessons, its images) only when some course lists it."""
    return bool(catalog.courses_with_module(module_slug))


def may_issue_api_tokens(user: Any) -> bool:
    """API tokens carry an administrator's authority: only an active administrator's tokens work."""
    return is_admin(user)


# What templates may ask with may("..."): one name per capability, so no template tests a role itself.
CAPABILITIES = {
    "signed_in": is_signed_in,
    "train": is_trainer,
    "administer": is_admin,
}


def may(user: Any, capability: str) -> bool:
    """True when the user holds the named capability (see CAPABILITIES). Raises KeyError on an unknown name."""
    return CAPABILITIES[capability](user)
