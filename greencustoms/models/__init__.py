"""Database models, one module per aggregate; re-exported here."""

from greencustoms.database import Base, utcnow
from greencustoms.models.attempt import QuizAttempt
from greencustoms.models.audit import AuditEvent
from greencustoms.models.certificate import CERTIFICATE_STATES, Certificate, CertificateDesign, CourseCompletion
from greencustoms.models.confirmation import EmailConfirmation
from greencustoms.models.coordinator import CoordinatorScope
from greencustoms.models.export_job import ExportJob
from greencustoms.models.profile import FIELD_KINDS, ProfileField, ProfileValue
from greencustoms.models.progress import Enrolment, LessonProgress, StudyLanguage
from greencustoms.models.session import UserSession
from greencustoms.models.tokens import ApiToken, PasswordResetToken
from greencustoms.models.user import ROLES, User, normalise_email
from greencustoms.models.workshop import (
    SignInSlip,
    Workshop,
    WorkshopAttendance,
    WorkshopInvitation,
    WorkshopParticipant,
    WorkshopQuiz,
    WorkshopRemoval,
    WorkshopTrainer,
)
from greencustoms.models.xapi import XapiStatement

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Base",
    "CERTIFICATE_STATES",
    "Certificate",
    "CertificateDesign",
    "CoordinatorScope",
    "CourseCompletion",
    "EmailConfirmation",
    "Enrolment",
    "ExportJob",
    "FIELD_KINDS",
    "LessonProgress",
    "PasswordResetToken",
    "ProfileField",
    "ProfileValue",
    "QuizAttempt",
    "StudyLanguage",
    "ROLES",
    "SignInSlip",
    "User",
    "Workshop",
    "WorkshopAttendance",
    "WorkshopInvitation",
    "WorkshopParticipant",
    "WorkshopQuiz",
    "WorkshopRemoval",
    "UserSession",
    "WorkshopTrainer",
    "XapiStatement",
    "normalise_email",
    "utcnow",
]
