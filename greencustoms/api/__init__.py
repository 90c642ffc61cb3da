"""The JSON API under /api/v1, authenticated with administrator-issued bearer tokens."""

from greencustoms.api.views import bp

__all__ = ["bp"]
