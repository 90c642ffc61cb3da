"""`flask db ...` (Flask-Migrate and Alembic) bound on first use: importing Alembic costs about 0.6 s, which only
the migration commands, the tests' set-up and the bench need, never a web worker.

`init_app` puts a stand-in at app.extensions["migrate"] and a `db` command group; the first time either is used,
Flask-Migrate is bound to the app for real (it replaces both) and every later use goes straight to it.
"""

from __future__ import annotations

from typing import Any

import click
from flask import Flask

from greencustoms.config import PROJECT_ROOT

MIGRATIONS = PROJECT_ROOT / "migrations"


def init_app(app: Flask, db: Any) -> None:
    """Make `flask db` and flask_migrate's functions (upgrade, downgrade...) work for `app`, without importing
    them now."""
    app.extensions["migrate"] = _DeferredMigrate(app, db)
    app.cli.add_command(_DeferredDbGroup(app, db, name="db", help="Perform database migrations."))


def bind(app: Flask, db: Any) -> Any:
    """Bind Flask-Migrate to `app` (once) and return its configuration (app.extensions["migrate"])."""
    current = app.extensions.get("migrate")
    if current is not None and not isinstance(current, _DeferredMigrate):
        return current
    from flask_migrate import Migrate
    from flask_migrate.cli import db as db_group

    from greencustoms.backup import backup_command

    db_group.add_command(backup_command)
    Migrate(app, db, directory=str(MIGRATIONS))
    return app.extensions["migrate"]


class _DeferredMigrate:
    """Stands in app.extensions["migrate"] until something reads it."""

    def __init__(self, app: Flask, db: Any) -> None:
        self._app = app
        self._db = db

    def __getattr__(self, name: str) -> Any:
        return getattr(bind(self._app, self._db), name)


class _DeferredDbGroup(click.Group):
    """The `db` group: Flask-Migrate's own group (with `backup`), imported when `flask db ...` runs."""

    def __init__(self, app: Flask, db: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._app = app
        self._db = db

    def _real(self) -> click.Group:
        from flask_migrate.cli import db as db_group

        bind(self._app, self._db)
        return db_group

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any):
        """Hand the whole invocation (options such as -d, subcommands, --help) to Flask-Migrate's own group."""
        return self._real().make_context(info_name, args, parent, **extra)
