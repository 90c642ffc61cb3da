"""Who may see and do what: roles, ownership, workshop membership and co-training, as plain functions.

These are THE rules; views (through `greencustoms.access.routes.requires`), services, templates (through `may`)
and the JSON API all call them. They take plain arguments (a user, an object), never `request`, so the CLI and
the tests use them too. An anonymous user (Flask-Login's AnonymousUserMixin) or None passes no check but
`is_signed_in` is simply False.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, or_, select, true

from greencustoms.access import scope
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


def is_coordinator(user: Any) -> bool:
    """A national coordinator: an active account with a scope (countries, see greencustoms.access.scope)."""
    return scope.is_coordinator(user)


def runs_workshops(user: Any) -> bool:
    """Trainers, administrators and national coordinators reach the workshop pages (each sees only the workshops
    `workshops_trained_by` gives them)."""
    return is_trainer(user) or is_coordinator(user)


def is_learner_account(user: Any) -> bool:
    """An active account with no trainer or administrator role (what a sign-in slip may open: a slip must never
    sign anyone into an account with more authority, and a national coordinator has more)."""
    if user is None or not bool(getattr(user, "active", False)) or user.role != "learner":
        return False
    return not scope.has_scope(user.id)


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
    """The user runs this workshop: an administrator, a trainer or coordinator who owns or co-trains it, or a
    national coordinator whose scope holds the workshop's country (greencustoms.access.scope)."""
    if workshop is None or not runs_workshops(user):
        return False
    return trained_workshop(user, workshop.id) is not None


def manages_trainers(user: Any, workshop: Workshop) -> bool:
    """Only the owner and administrators add or remove co-trainers (a co-trainer or the country's coordinator
    runs everything else)."""
    return is_admin(user) or (runs_workshops(user) and workshop.owner_id == user.id)


def workshops_trained_by(user: Any) -> ColumnElement[bool]:
    """SQL condition on Workshop: the workshops `trains(user, ...)` allows (all for an administrator, none for a
    learner): owned, co-trained, or in the coordinator's scope. The one rule for lists and lookups."""
    if is_admin(user):
        return true()
    if not runs_workshops(user):
        return false()
    co_trained = select(WorkshopTrainer.workshop_id).where(WorkshopTrainer.user_id == user.id)
    return or_(Workshop.owner_id == user.id, Workshop.id.in_(co_trained), scope.workshops_in_scope(user))


def trained_workshop(user: Any, workshop_id: int) -> Workshop | None:
    """The workshop if the user trains it; None otherwise, whether or not it exists (the caller answers 404)."""
    if not runs_workshops(user):
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
    """API tokens carry their creator's authority: an active administrator's tokens see everything, an active
    national coordinator's see the coordinator's scope (greencustoms.access.scope); anyone else's are refused."""
    return is_admin(user) or is_coordinator(user)


# What templates may ask with may("..."): one name per capability, so no template tests a role itself.
CAPABILITIES = {
    "signed_in": is_signed_in,
    "train": is_trainer,
    "run_workshops": runs_workshops,
    "coordinate": is_coordinator,
    "administer": is_admin,
}


def may(user: Any, capability: str) -> bool:
    """True when the user holds the named capability (see CAPABILITIES). Raises KeyError on an unknown name."""
    return CAPABILITIES[capability](user)
