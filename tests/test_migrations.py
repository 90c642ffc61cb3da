"""The checked-in migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from greencustoms.extensions import db


def test_models_and_migrations_agree(app):
    """After `db upgrade`, autogenerate finds nothing to add: no model change is missing its migration."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = [d for d in compare_metadata(context, db.metadata) if not _is_type_only_noise(d)]
    assert differences == []


def _is_type_only_noise(diff) -> bool:
    """Our UTCDateTime decorator is stored as a plain timezone-aware DateTime: not a real difference."""
    return isinstance(diff, list) and diff and diff[0][0] == "modify_type" and "UTCDateTime" in repr(diff[0][-1])
