"""The JSON API under /api/v1, authenticated with administrator-issued bearer tokens.

The routes (greencustoms.api.views) are registered by the factory.
"""
