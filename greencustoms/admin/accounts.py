"""Account administration rules: find accounts, correct a name, username or e-mail, change roles, disable and
enable, anonymise and delete.

Every change is written to the audit log in the same transaction. An administrator can never disable, demote,
anonymise or delete their own account, so there is always at least one administrator left.

Anonymise: name, e-mail, username and organisation are replaced by placeholders, the password becomes unusable,
the account is disabled and its sessions end; progress, attempts, completions and certificates stay (statistics
keep their numbers, and certificates already handed out keep verifying with the name they print). It cannot be undone.
Delete: removes the account with its progress, attempts and completions; refused while the account holds any
certificate (anonymise it instead). See docs/admin.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from greencustoms import audit, profiles, rules
from greencustoms.auth.service import EmailTaken, email_in_use
from greencustoms.auth.usernames import taken
from greencustoms.extensions import db
from greencustoms.models import ROLES, Certificate, CourseCompletion, Enrolment, PasswordResetToken, User
from greencustoms.textsearch import contains

PER_PAGE = 50
ACCOUNT_STATUSES = ("active", "disabled")
# The password hash of an anonymised account: no password can match it (it is not a hash format), and it marks
# the account as anonymised for good.
ANONYMISED_PASSWORD_HASH = "!anonymised"  # noqa: S105  (a marker, not a secret)


class AdminActionError(ValueError):
    """The administrator's action is not allowed; the message says why and what to do instead."""


@dataclass(frozen=True)
class UserQuery:
    """Filters of the accounts list: text in the name or e-mail, role, country, organisation, status."""

    text: str = ""
    role: str = ""
    country: str = ""
    organisation: str = ""
    status: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> UserQuery:
        """Read the filters from a query string; unknown roles or statuses are ignored (they mean "any")."""
        role = args.get("role", "")
        status = args.get("status", "")
        return cls(
            text=args.get("q", "").strip()[:100],
            role=role if role in ROLES else "",
            country=args.get("country", "").strip().upper()[:2],
            organisation=args.get("organisation", "").strip()[:200],
            status=status if status in ACCOUNT_STATUSES else "",
        )


def search_users(query: UserQuery, page: int = 1, per_page: int = PER_PAGE):
    """A page of accounts matching the filters, ordered by name (a Flask-SQLAlchemy Pagination)."""
    statement = db.select(User).order_by(func.lower(User.full_name), User.id)
    if query.text:
        statement = statement.where(contains(User.search_text, query.text))
    if query.role:
        statement = statement.where(User.role == query.role)
    if query.country:
        statement = statement.where(User.country == query.country)
    if query.organisation:
        statement = statement.where(contains(User.organisation_search, query.organisation))
    if query.status:
        statement = statement.where(User.active.is_(query.status == "active"))
    return db.paginate(statement, page=page, per_page=per_page, error_out=False, count=True)


@dataclass(frozen=True)
class AccountSummary:
    """What an account holds, for the account page and the delete rule."""

    enrolments: int
    completions: int
    certificates: int


def account_summary(user_id: int) -> AccountSummary:
    """Counts of enrolments, completions and certificates of one account (one query)."""

    def count(model):
        return db.select(func.count()).select_from(model).where(model.user_id == user_id).scalar_subquery()

    row = db.session.execute(db.select(count(Enrolment), count(CourseCompletion), count(Certificate))).one()
    return AccountSummary(*row)


_SELF_REFUSALS = {
    "change the role of": _l("You cannot change the role of your own account. Ask another administrator."),
    "disable": _l("You cannot disable your own account. Ask another administrator."),
    "anonymise": _l("You cannot anonymise your own account. Ask another administrator."),
    "delete": _l("You cannot delete your own account. Ask another administrator."),
}


def is_anonymised(user: User) -> bool:
    """True once the account has been anonymised."""
    return user.password_hash == ANONYMISED_PASSWORD_HASH


def _refuse_self(actor: User, user: User, action: str) -> None:
    if actor.id == user.id:
        raise AdminActionError(_SELF_REFUSALS[action])


def _refuse_anonymised(user: User) -> None:
    if is_anonymised(user):
        raise AdminActionError(_l("This account is anonymised; it cannot be changed or used again."))


def change_role(actor: User, user: User, role: str) -> None:
    """Give the account another role. Raises AdminActionError for an unknown role, the actor's own account, or an
    anonymised account; nothing changes when the role is the same."""
    if role not in ROLES:
        raise AdminActionError(_l("Choose one of the roles: %(roles)s.", roles=", ".join(ROLES)))
    _refuse_self(actor, user, "change the role of")
    _refuse_anonymised(user)
    if user.role == role:
        return
    previous, user.role = user.role, role
    audit.record("user.role_changed", actor.id, f"user:{user.id}", {"from": previous, "to": role}, commit=False)
    db.session.commit()


def update_identity(actor: User, user: User, *, full_name: str, username: str | None, email: str | None) -> None:
    """Set or correct the name, username and e-mail of an account (the administrator's word: an e-mail set here
    needs no confirmation link). Every rule of greencustoms.rules applies; the username and the e-mail must be
    free (without case) and the account keeps at least one of them to sign in with. Audited as
    user.identity_changed with each changed field's old and new value; nothing is written when nothing changes.

    Raises RuleError (RulesBroken when several fields are wrong), EmailTaken, or AdminActionError for an
    anonymised account.
    """
    _refuse_anonymised(user)
    checks = rules.Checks()
    values = {
        "full_name": checks.run(rules.display_name, full_name, field="full_name"),
        "username": checks.run(rules.username, username, field="username") if username else None,
        "email": checks.run(rules.email, email, field="email") if email else None,
    }
    checks.raise_if_any()
    if not values["username"] and not values["email"]:
        raise rules.RuleError(
            _l("Keep an e-mail address or a username: the person signs in with one of them."), "username"
        )
    if values["username"] and values["username"] != user.username and taken([values["username"]]):
        raise rules.RuleError(_l("Another account already uses this username."), "username")
    if values["email"] and email_in_use(values["email"], except_user_id=user.id):
        raise EmailTaken(_l("An account with this e-mail address already exists."), "email")
    changed = {
        key: {"from": getattr(user, key), "to": value} for key, value in values.items() if getattr(user, key) != value
    }
    if not changed:
        return
    for key, change in changed.items():
        setattr(user, key, change["to"])
    audit.record("user.identity_changed", actor.id, f"user:{user.id}", changed, commit=False)
    try:
        db.session.commit()
    except IntegrityError as exc:  # taken meanwhile by a parallel change
        db.session.rollback()
        raise rules.RuleError(_l("Another account already uses this username or e-mail address.")) from exc


def disable_user(actor: User, user: User) -> None:
    """Disable the account and end all its sessions at once. Raises AdminActionError for the actor's own account."""
    _refuse_self(actor, user, "disable")
    if not user.active:
        return
    user.active = False
    user.end_sessions()
    audit.record("user.disabled", actor.id, f"user:{user.id}", commit=False)
    db.session.commit()


def enable_user(actor: User, user: User) -> None:
    """Let the account sign in again. Raises AdminActionError for an anonymised account."""
    _refuse_anonymised(user)
    if user.active:
        return
    user.active = True
    audit.record("user.enabled", actor.id, f"user:{user.id}", commit=False)
    db.session.commit()


def anonymise_user(actor: User, user: User) -> None:
    """Replace the personal data by placeholders, delete its profile field values, disable the account and end its
    sessions; keep its learning records and certificates (not revoked). Raises AdminActionError for the actor's own
    account or when done."""
    _refuse_self(actor, user, "anonymise")
    _refuse_anonymised(user)
    user.full_name = f"Anonymised user {user.id}"
    user.email = None
    user.username = None
    user.organisation = ""
    user.password_hash = ANONYMISED_PASSWORD_HASH
    user.active = False
    user.end_sessions()
    db.session.execute(db.delete(PasswordResetToken).where(PasswordResetToken.user_id == user.id))
    profiles.erase_values(user.id)  # a staff number identifies the person as surely as a name
    audit.record("user.anonymised", actor.id, f"user:{user.id}", commit=False)
    db.session.commit()


def delete_user(actor: User, user: User) -> None:
    """Delete the account with its progress, attempts and completions. Raises AdminActionError for the actor's
    own account, or when it holds certificates (they are documents already handed out: anonymise instead)."""
    _refuse_self(actor, user, "delete")
    if account_summary(user.id).certificates:
        raise AdminActionError(
            _l(
                "This account holds certificates, so it cannot be deleted. Anonymise it instead: the certificates "
                "keep verifying and the personal data is removed."
            )
        )
    user_id, role = user.id, user.role
    db.session.delete(user)
    audit.record("user.deleted", actor.id, f"user:{user_id}", {"role": role}, commit=False)
    try:
        db.session.commit()
    except IntegrityError as exc:  # a record that does not cascade still points at the account
        db.session.rollback()
        raise AdminActionError(
            _l("Other records still refer to this account, so it cannot be deleted. Anonymise it instead.")
        ) from exc
