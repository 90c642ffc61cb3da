"""Administration: dashboard, accounts, completion exports, audit log and API tokens, all under /admin."""

from greencustoms.admin import exports_views, invitations_views, tokens_views, users_views, views  # noqa: F401  (routes of bp)
from greencustoms.admin.blueprint import bp

__all__ = ["bp"]
