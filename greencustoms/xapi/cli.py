"""`flask xapi status | send | replay`: see and drive the learning-record outbox (docs/xapi.md)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from greencustoms.extensions import db
from greencustoms.models import XapiStatement
from greencustoms.xapi.history import replay
from greencustoms.xapi.outbox import deliver, enabled


@click.group("xapi", help="Learning records (xAPI) for the configured LRS: status, send now, replay history.")
def xapi_cli() -> None:
    pass


def _require_lrs() -> None:
    if not enabled():
        raise click.ClickException("No LRS is configured: set GREENCUSTOMS_XAPI_LRS_URL (see docs/xapi.md).")


@xapi_cli.command("status")
@with_appcontext
def status_command() -> None:
    """How many statements were sent and how many wait, with the last error."""
    count = db.func.count(XapiStatement.id)
    sent = db.session.execute(db.select(count).where(XapiStatement.sent_at.is_not(None))).scalar_one()
    waiting = db.session.execute(db.select(count).where(XapiStatement.sent_at.is_(None))).scalar_one()
    click.echo(f"LRS: {current_app.config.get('XAPI_LRS_URL') or '(none)'}")
    click.echo(f"sent: {sent}  waiting: {waiting}")
    last = (
        db.session.execute(
            db.select(XapiStatement).where(XapiStatement.last_error.is_not(None)).order_by(XapiStatement.id.desc())
        )
        .scalars()
        .first()
    )
    if last is not None:
        click.echo(
            f"last error ({last.statement_id}, retry at {last.next_attempt_at:%Y-%m-%d %H:%M}): {last.last_error}"
        )


@xapi_cli.command("send")
@with_appcontext
def send_command() -> None:
    """Send every due statement now; exits 1 if some could not be sent."""
    _require_lrs()
    total = deliver(limit=100_000)
    click.echo(f"sent: {total.sent}  failed: {total.failed}  waiting: {total.pending}")
    if total.failed:
        raise SystemExit(1)


@xapi_cli.command("replay")
@with_appcontext
def replay_command() -> None:
    """Rebuild every statement from the records and send them all again (for a new LRS). Sending the same
    statement twice is harmless: the LRS keeps one per id."""
    _require_lrs()
    new, pending = replay()
    click.echo(f"rebuilt: {new} new statements; {pending} to send.")
    total = deliver(limit=100_000)
    click.echo(f"sent: {total.sent}  failed: {total.failed}  waiting: {total.pending}")
