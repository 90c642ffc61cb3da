"""`flask db backup`: a consistent copy of the database while the platform keeps running.

SQLite uses its online backup API (readers and writers carry on); PostgreSQL uses pg_dump's custom format.
Restore is described in docs/deploy.md and exercised by tests/test_backup.py.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from greencustoms.extensions import db


def backup_sqlite(database: str, target: Path) -> None:
    """Copy a live SQLite database page by page with sqlite3's online backup."""
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    destination = sqlite3.connect(target)
    try:
        with destination:
            source.backup(destination, pages=1024)
    finally:
        destination.close()
        source.close()


def backup_postgresql(url: str, target: Path) -> None:
    """Dump a PostgreSQL database with pg_dump (custom format, restorable with pg_restore).
    Raises click.ClickException when pg_dump is missing or fails."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise click.ClickException("pg_dump is not installed: install the PostgreSQL client tools.")
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    result = subprocess.run(  # noqa: S603 - fixed program, URL from our own configuration
        [pg_dump, "--format=custom", "--no-owner", f"--file={target}", f"--dbname={plain}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise click.ClickException(f"pg_dump failed: {result.stderr.strip()}")


@click.command("backup")
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: instance/backups/...)."
)
@with_appcontext
def backup_command(output: Path | None) -> None:
    """Write a consistent backup of the database and print where it is."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    suffix = ".db" if url.get_backend_name() == "sqlite" else ".pgdump"
    target = output or Path(current_app.instance_path) / "backups" / f"greencustoms-{stamp}{suffix}"
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise click.ClickException(f"{target} exists already; choose another --output.")
    db.session.remove()
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise click.ClickException("An in-memory database cannot be backed up.")
        backup_sqlite(url.database, target)
    elif url.get_backend_name() == "postgresql":
        backup_postgresql(current_app.config["SQLALCHEMY_DATABASE_URI"], target)
    else:
        raise click.ClickException(f"No backup method for {url.get_backend_name()}.")
    click.echo(f"Backup written to {target}")
