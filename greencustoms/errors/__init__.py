"""Generic error pages: a clear message and the right 4xx/5xx, never a traceback."""

from greencustoms.errors.handlers import UserFacingError, bp, fail

__all__ = ["UserFacingError", "bp", "fail"]
