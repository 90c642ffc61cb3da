"""Assigning the national coordinator role: administrators add and remove scope rows (a country, optionally one
organisation) on an account's page. Every change is audited in the same transaction (`coordinator.scope_added`,
`coordinator.scope_removed`); the account is a coordinator while it holds at least one row
(greencustoms.access.scope reads them).

Refused with AdminActionError (the message says why): an unknown country code, an anonymised account, a scope the
account already holds. Removing a row that is not the account's answers False (the view says 404).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from greencustoms import audit, rules
from greencustoms.access import scope
from greencustoms.admin.accounts import AdminActionError, is_anonymised
from greencustoms.extensions import db
from greencustoms.models import CoordinatorScope, User


def add_scope(actor: User, user: User, country: str, organisation: str = "") -> CoordinatorScope:
    """Make `user` coordinator of `country` (and only of `organisation` there, when given)."""
    country = (country or "").strip().upper()
    organisation = " ".join((organisation or "").split())[:200]
    if country not in rules.country_codes():
        raise AdminActionError(_l("Choose the country the coordinator is responsible for."))
    if is_anonymised(user):
        raise AdminActionError(_l("This account is anonymised; it cannot be changed or used again."))
    row = CoordinatorScope(user_id=user.id, country=country, organisation=organisation, added_by_id=actor.id)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        raise AdminActionError(_l("This account already coordinates this country and organisation.")) from None
    details = {"country": country, "organisation": organisation}
    audit.record("coordinator.scope_added", actor.id, f"user:{user.id}", details, commit=False)
    db.session.commit()
    scope.forget(user.id)
    return row


def remove_scope(actor: User, user: User, scope_id: int) -> bool:
    """Remove one scope row of `user`; False when the account holds no such row."""
    row = db.session.get(CoordinatorScope, scope_id)
    if row is None or row.user_id != user.id:
        return False
    details = {"country": row.country, "organisation": row.organisation}
    db.session.delete(row)
    audit.record("coordinator.scope_removed", actor.id, f"user:{user.id}", details, commit=False)
    db.session.commit()
    scope.forget(user.id)
    return True
