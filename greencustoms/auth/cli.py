"""`flask users ...`: create accounts from the command line (the way to make the first admin)."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale

from greencustoms.auth import service
from greencustoms.models import ROLES

# The option that carries each field, so that a message points at what to fix.
_OPTIONS = {"email": "--email", "full_name": "--name", "country": "--country", "organisation": "--organisation"}


def _refuse(error: service.RuleError) -> None:
    """Print every broken rule, one line each, naming its option, and exit with status 2 (bad input)."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # no request, so no reader's language
        for each in getattr(error, "errors", [error]):
            option = _OPTIONS.get(each.field or "", "")
            click.echo(f"Error: {option + ': ' if option else ''}{each}", err=True)
    click.get_current_context().exit(2)


def _interactive() -> bool:
    """True when a person at a terminal can answer the password prompt."""
    return sys.stdin.isatty()


@click.group("users", help="Manage user accounts.")
def users_cli() -> None:
    pass


@users_cli.command("create")
@click.option("--email", required=True, help="E-mail address used to sign in.")
@click.option("--name", "full_name", required=True, help="Full name as printed on certificates.")
@click.option("--role", type=click.Choice(ROLES), default="learner", show_default=True)
@click.option("--country", default="", help="ISO 3166 two-letter country code, e.g. KE.")
@click.option("--organisation", default="")
@click.option(
    "--generate-password",
    is_flag=True,
    help="Generate a password and print it once instead of asking (the default when not run from a terminal).",
)
@with_appcontext
def create_user_command(email, full_name, role, country, organisation, generate_password) -> None:
    """Create an account. The password is asked twice, or generated and printed once."""
    generate_password = generate_password or not _interactive()
    if generate_password:
        password = service.generate_password()
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = service.create_user(
            email=email,
            full_name=full_name,
            password=password,
            role=role,
            country=country,
            organisation=organisation,
        )
    except service.RuleError as exc:
        _refuse(exc)
    click.echo(f"Created {user.role} account {user.id} for {user.email}.")
    if generate_password:
        click.echo(f"Password (shown once, hand it over safely): {password}")
