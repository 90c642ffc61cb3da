"""no-email: usernames, so that accounts without an e-mail can sign in; existing e-mail-less accounts get one

Revision ID: 0012
Revises: 0011
"""

import secrets

import sqlalchemy as sa
from alembic import op

from greencustoms.textsearch import joined

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# The alphabet and length of greencustoms.auth.usernames, copied so that this migration never changes with it.
ALPHABET = "23456789abcdefghjkmnpqrstwxyz"
LENGTH = 8
ANONYMISED = "!anonymised"


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("username", sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_users_username"), ["username"])
    _give_usernames()


def _give_usernames():
    """Every e-mail-less account that is not anonymised gets a generated participant code (and its search text)."""
    bind = op.get_bind()
    users = sa.table(
        "users",
        sa.column("id", sa.Integer),
        sa.column("full_name", sa.String),
        sa.column("email", sa.String),
        sa.column("username", sa.String),
        sa.column("password_hash", sa.String),
        sa.column("search_text", sa.String),
    )
    rows = bind.execute(
        sa.select(users.c.id, users.c.full_name).where(
            users.c.email.is_(None), users.c.username.is_(None), users.c.password_hash != ANONYMISED
        )
    ).all()
    used: set[str] = set()
    for user_id, full_name in rows:
        name = _code()
        while name in used:
            name = _code()
        used.add(name)
        bind.execute(
            users.update()
            .where(users.c.id == user_id)
            .values(username=name, search_text=joined(full_name, None, name))
        )


def _code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_username"), type_="unique")
        batch_op.drop_column("username")
