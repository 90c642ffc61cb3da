"""Accounts: registration, sign-in and sign-out, profile, password, roles and the `users` CLI."""

from greencustoms.auth.views import bp

__all__ = ["bp"]
