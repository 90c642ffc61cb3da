"""Learning: the catalogue, course and lesson pages, marking lessons complete, and the learner's /me page."""

from greencustoms.learning.views import bp

__all__ = ["bp"]
