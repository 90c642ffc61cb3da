"""`flask jobs worker`: the consumer process of production, beside gunicorn (docs/deploy.md)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.group("jobs", help="Background jobs: exports, closing timed quiz attempts, e-mail.")
def jobs_cli() -> None:
    pass


@jobs_cli.command("worker")
@click.option("--workers", type=click.IntRange(1, 64), help="Worker threads (default: JOBS_WORKERS).")
@click.option("--no-periodic", is_flag=True, help="Do not schedule periodic tasks (another worker does).")
@with_appcontext
def worker_command(workers: int | None, no_periodic: bool) -> None:
    """Run the queue's consumer until stopped (SIGINT or SIGTERM: running tasks finish first)."""
    runner = current_app.extensions["jobs"]
    click.echo(f"Consuming background jobs from {_safe(current_app.config['JOBS_URL'])}; Ctrl+C stops.", err=True)
    runner.consumer_for(workers, embedded=False, periodic=not no_periodic).run()


def _safe(url: str) -> str:
    """The queue's address without a password."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        host = parts.hostname or ""
        netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc))
    return url
