"""The `admin` blueprint: every route under /admin is declared `@requires(Access.ADMIN)` (greencustoms.access)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, request

from greencustoms.web import public_url

__all__ = ["bp", "date_arg", "public_url"]

bp = Blueprint("admin", __name__, url_prefix="/admin")


def date_arg(name: str) -> date | None:
    """A YYYY-MM-DD query-string value, or None when empty. Raises ValueError when malformed."""
    raw = (request.args.get(name) or "").strip()
    return date.fromisoformat(raw) if raw else None
