"""Database models, one module per aggregate; re-exported here."""

from greencustoms.database import Base, utcnow
from greencustoms.models.attempt import QuizAttempt
from greencustoms.models.audit import AuditEvent
from greencustoms.models.certificate import CERTIFICATE_STATES, Certificate, CourseCompletion
from greencustoms.models.export_job import ExportJob
from greencustoms.models.progress import Enrolment, LessonProgress
from greencustoms.models.tokens import ApiToken, PasswordResetToken
from greencustoms.models.user import ROLES, User, normalise_email
from greencustoms.models.workshop import (
    SignInSlip,
    Workshop,
    WorkshopAttendance,
    WorkshopInvitation,
    WorkshopParticipant,
    WorkshopQuiz,
    WorkshopTrainer,
)

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Base",
    "CERTIFICATE_STATES",
    "Certificate",
    "CourseCompletion",
    "Enrolment",
    "ExportJob",
    "LessonProgress",
    "PasswordResetToken",
    "QuizAttempt",
    "ROLES",
    "SignInSlip",
    "User",
    "Workshop",
    "WorkshopAttendance",
    "WorkshopInvitation",
    "WorkshopParticipant",
    "WorkshopQuiz",
    "WorkshopTrainer",
    "normalise_email",
    "utcnow",
]
