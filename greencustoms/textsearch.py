"""Case-insensitive substring filters for SQL, with the user's text taken literally (no LIKE wildcards)."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.sql.elements import ColumnElement


def contains_ci(column, text: str) -> ColumnElement[bool]:
    """`column` contains `text`, ignoring case; % and _ typed by the user match only themselves."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")
