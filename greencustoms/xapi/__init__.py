"""Learning records as xAPI 1.0.3 statements, kept in a durable outbox and sent to an LRS (docs/xapi.md)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Connect the signal receivers (once per process), add `flask xapi`, and set the defaults."""
    from greencustoms.xapi import receivers  # noqa: F401  (connects the signals)
    from greencustoms.xapi.cli import xapi_cli

    app.cli.add_command(xapi_cli)
