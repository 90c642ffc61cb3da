"""Usernames: how people without an e-mail address sign in after their workshop.

The rule a username follows is `greencustoms.rules.username` (lower case, no @). An account created without an
e-mail (a roster row without one) gets a generated participant code at once; so does an e-mail-less account that
a sign-in slip is printed for, if it has none yet. A generated code is 8 characters from an alphabet without the
characters people confuse on paper or on a phone keyboard (no 0/o, 1/l/i, u/v): about 39 bits, drawn with
`secrets`, checked against the usernames already taken. A username is not a secret: the password is.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from greencustoms import rules
from greencustoms.extensions import db
from greencustoms.models import User

ALPHABET = "23456789abcdefghjkmnpqrstwxyz"
LENGTH = 8


def generate() -> str:
    """One random participant code, e.g. "k7m3q9xd" (a valid username; not checked for uniqueness)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def taken(names: Iterable[str]) -> set[str]:
    """The names among `names` (already in lower case) that an account uses."""
    wanted = list(set(names))
    if not wanted:
        return set()
    with db.session.no_autoflush:  # new accounts waiting in the session are flushed by their caller, in its try
        return set(db.session.execute(db.select(User.username).where(User.username.in_(wanted))).scalars())


def fresh_usernames(count: int) -> list[str]:
    """`count` distinct generated codes that no account uses yet (one query per round; a clash is rare)."""
    chosen: list[str] = []
    while len(chosen) < count:
        batch = {generate() for _ in range(count - len(chosen))} - set(chosen)
        chosen += sorted(batch - taken(batch))
    return chosen


def give_usernames(users: Iterable[User]) -> list[User]:
    """Give every account of `users` that has neither an e-mail nor a username a generated code, so that it can
    sign in with a password later. Returns those that got one; the caller commits."""
    missing = [user for user in users if user.username is None and not user.email]
    for user, name in zip(missing, fresh_usernames(len(missing)), strict=True):
        user.username = name
    return missing


def find_account(typed: str) -> User | None:
    """The account a sign-in entry names: by e-mail when it holds an @, else by username (greencustoms.rules
    .sign_in_name), or None."""
    kind, key = rules.sign_in_name(typed)
    if not key:
        return None
    column = User.email if kind == "email" else User.username
    return db.session.execute(db.select(User).where(column == key)).scalar_one_or_none()
