"""Accounts: registration, sign-in and sign-out, profile, password, roles and the `users` CLI.

The pages (greencustoms.auth.views, reset_views) are registered by the factory.
"""
