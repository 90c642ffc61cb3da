"""`flask certificates verify FILE` (offline, the same check as /certificates/verify) and `rotate-key`."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale

from greencustoms.credentials import keys
from greencustoms.credentials.verify import MAX_BYTES, verify_bytes


@click.group("certificates", help="Open Badges credentials: verify a credential file, rotate the signing key.")
def certificates_cli() -> None:
    pass


@certificates_cli.command("verify")
@click.argument("file", type=click.File("rb"))
@with_appcontext
def verify_command(file) -> None:
    """Verify a credential file offline. Prints the outcome and the reason; exits 0 only when valid."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # no request here to choose a language
        result = verify_bytes(file.read(MAX_BYTES + 1))
    click.echo(f"{result.outcome}: {result.reason}")
    for name, value in result.facts.items():
        if value:
            click.echo(f"  {name}: {value}")
    sys.exit(0 if result.ok else 1)


@certificates_cli.command("rotate-key")
@with_appcontext
def rotate_key_command() -> None:
    """Create a new signing key. Credentials signed with older keys still verify (their keys stay published)."""
    key = keys.rotate()
    click.echo(f"New signing key {key.number}: {key.multibase}")
    click.echo(f"Back up {keys.key_folder()} (every key file in it).")
