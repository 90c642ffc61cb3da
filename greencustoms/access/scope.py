"""The national coordinator's scope: THE rule of which learners, certificates and workshops a coordinator sees.

A coordinator holds one or more scope rows (greencustoms.models.CoordinatorScope): a country, optionally narrowed
to one organisation. The rule, as SQL conditions used by every query that lists or looks up such objects:

- a LEARNER is in scope when their account's country is one of the scope's countries and, for a row narrowed
  to an organisation, their organisation is that organisation (compared folded: case and accents ignored). It
  is read from the account at query time: a learner who moves to another country leaves the scope at once;
- a CERTIFICATE is in scope when its holder is;
- a WORKSHOP is in scope when its declared country is one of the scope's whole-country rows (a row narrowed to
  an organisation grants no workshop: a workshop's participants are not one organisation). Workshops the
  coordinator created or co-trains are theirs anyway (greencustoms.access.policy.workshops_trained_by).

An administrator's scope is everything; anyone else's is nothing (the conditions are `true()`/`false()`), so a
caller may apply them without testing the role first. Nothing here reads `request`: the API and the export jobs
apply the same conditions to a token's creator or a job's owner.
"""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context
from sqlalchemy import ColumnElement, and_, false, or_, select, true

from greencustoms.extensions import db
from greencustoms.models import Certificate, CoordinatorScope, User, Workshop
from greencustoms.textsearch import fold


def _signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and getattr(user, "active", False))


def _is_admin(user: Any) -> bool:
    return _signed_in(user) and user.role == "admin"


def scope_rows(user_id: int) -> list[CoordinatorScope]:
    """The scope rows an account holds, by country then organisation, whether or not it may use them now (a
    disabled account keeps its rows; they give nothing while it is disabled). Read once per request (kept on
    `g`, dropped when an administrator changes them: `forget`); outside a request (jobs, CLI), read every time."""
    cache = g.setdefault("coordinator_scopes", {}) if has_request_context() else {}
    if user_id not in cache:
        statement = (
            db.select(CoordinatorScope)
            .where(CoordinatorScope.user_id == user_id)
            .order_by(CoordinatorScope.country, CoordinatorScope.organisation)
        )
        cache[user_id] = list(db.session.execute(statement).scalars())
    return cache[user_id]


def remember_no_scope(user_id: int) -> None:
    """The session check read, with the account, that it holds no scope row (greencustoms.auth.sessions): this
    request then needs no query to learn it. Rows that exist are read when a page first needs them."""
    if has_request_context():
        g.setdefault("coordinator_scopes", {}).setdefault(user_id, [])


def forget(user_id: int) -> None:
    """Drop the request's copy of an account's scope rows (after adding or removing one)."""
    if has_request_context():
        g.setdefault("coordinator_scopes", {}).pop(user_id, None)


def scopes_of(user: Any) -> list[CoordinatorScope]:
    """The scope rows of an active account (empty for anyone else: anonymous, disabled)."""
    return scope_rows(user.id) if _signed_in(user) else []


def is_coordinator(user: Any) -> bool:
    """An active account holding at least one scope row (administrators hold none unless given one)."""
    return _signed_in(user) and has_scope(user.id)


def has_scope(user_id: int) -> bool:
    """The account holds a scope row, whether or not it is signed in (the sign-in slip rule asks before)."""
    return bool(scope_rows(user_id))


def whole_countries(user: Any) -> list[str]:
    """The countries a coordinator holds whole (not narrowed to an organisation): their workshops are in scope."""
    return sorted({row.country for row in scopes_of(user) if not row.organisation})


def countries(user: Any) -> list[str]:
    """Every country of the coordinator's scope (whole or narrowed): where they may declare a new workshop."""
    return sorted({row.country for row in scopes_of(user)})


def may_declare_workshop_country(user: Any, country: str) -> bool:
    """Which country `user` may declare for a workshop they create or edit: trainers and administrators any
    country or none (as before coordinators existed); a coordinator who is not a trainer one of their scope's
    countries only (never none: the workshop would leave their hands)."""
    if _signed_in(user) and user.role in ("trainer", "admin"):
        return True
    return bool(country) and country in countries(user)


def learners_in_scope(user: Any) -> ColumnElement[bool]:
    """SQL condition on User: the learners `user` may see (every account for an administrator, none for an
    account without scope)."""
    if _is_admin(user):
        return true()
    rows = scopes_of(user)
    if not rows:
        return false()
    return or_(
        *(
            and_(User.country == row.country, User.organisation_search == fold(row.organisation))
            if row.organisation
            else User.country == row.country
            for row in rows
        )
    )


def certificates_in_scope(user: Any) -> ColumnElement[bool]:
    """SQL condition on Certificate: certificates whose holder is in scope (all for an administrator)."""
    if _is_admin(user):
        return true()
    return Certificate.user_id.in_(select(User.id).where(learners_in_scope(user)))


def workshops_in_scope(user: Any) -> ColumnElement[bool]:
    """SQL condition on Workshop: workshops declared for one of the coordinator's whole countries (all for an
    administrator; none for anyone else)."""
    if _is_admin(user):
        return true()
    held = whole_countries(user)
    return Workshop.country.in_(held) if held else false()


def learner_in_scope(user: Any, learner_id: int) -> User | None:
    """The learner's account when it is in `user`'s scope; None otherwise, whether or not it exists (the caller
    answers 404)."""
    return db.session.execute(
        db.select(User).where(User.id == learner_id, learners_in_scope(user))
    ).scalar_one_or_none()
