"""Helpers for the credential tests: a learner with an issued certificate, and a signed credential of it."""

from __future__ import annotations

from greencustoms.certificates import service
from greencustoms.content import get_catalog
from greencustoms.credentials.badge import signed_credential
from greencustoms.extensions import db
from greencustoms.models import Certificate


def issue(app, name: str = "Amina Njoroge", email: str = "officer@example.org", **kwargs) -> int:
    """Create a learner and issue them the demo course's certificate; returns the certificate id."""
    from greencustoms.auth.service import create_user

    with app.app_context():
        user = create_user(email=email, full_name=name, password="correct horse battery", role="learner")
        catalog = get_catalog()
        certificate = service.issue_certificate(
            user, catalog.course("demo"), catalog, score=kwargs.pop("score", 85.0), reason="completion", **kwargs
        )
        return certificate.id


def credential_of(app, certificate_id: int) -> dict:
    """The signed credential of a certificate, as the learner downloads it."""
    with app.app_context():
        return signed_credential(db.session.get(Certificate, certificate_id), get_catalog())
