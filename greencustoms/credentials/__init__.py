"""Open Badges 3.0 credentials: signed with eddsa-rdfc-2022, revocable by a Bitstring Status List, verifiable
offline (a page, a command). See docs/credentials.md."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the credential routes and the `flask certificates` commands."""
    from greencustoms.credentials.cli import certificates_cli
    from greencustoms.credentials.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(certificates_cli)
