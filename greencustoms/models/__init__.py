"""Database models, one module per aggregate; re-exported here."""

from greencustoms.database import Base, utcnow
from greencustoms.models.progress import Enrolment, LessonProgress
from greencustoms.models.user import ROLES, User, normalise_email

__all__ = ["Base", "Enrolment", "LessonProgress", "ROLES", "User", "normalise_email", "utcnow"]
