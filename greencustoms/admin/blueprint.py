"""The `admin` blueprint: every route under /admin is declared `@requires(Access.ADMIN)` (greencustoms.access)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, request

from greencustoms.inputguard import MAX_ID
from greencustoms.web import public_url

__all__ = ["bp", "date_arg", "page_number", "public_url"]

bp = Blueprint("admin", __name__, url_prefix="/admin")


def page_number() -> int:
    """The ?page= number, from 1 to MAX_ID (a larger one would overflow the query's OFFSET); anything unreadable
    means page 1."""
    return min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_ID)


def date_arg(name: str) -> date | None:
    """A YYYY-MM-DD query-string value, or None when empty. Raises ValueError when malformed."""
    raw = (request.args.get(name) or "").strip()
    return date.fromisoformat(raw) if raw else None
