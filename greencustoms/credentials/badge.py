"""A certificate as an Open Badges 3.0 OpenBadgeCredential, signed with the issuer's current key."""

from __future__ import annotations

import json
import logging

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from greencustoms.certificates.codes import format_code
from greencustoms.certificates.service import certificate_url
from greencustoms.content import Catalog
from greencustoms.credentials import keys, proof
from greencustoms.credentials.jsonld import CREDENTIALS_V2, MULTIKEY_V1, OPEN_BADGES_V3, check_terms
from greencustoms.credentials.statuslist import entry_for, iso
from greencustoms.credentials.urls import issuer_id, verification_method
from greencustoms.models import Certificate, utcnow
from greencustoms.web import public_url

CONTEXT = [CREDENTIALS_V2, OPEN_BADGES_V3]
log = logging.getLogger(__name__)


def credential_file(certificate: Certificate, catalog: Catalog) -> tuple[str, bytes]:
    """The signed credential as the learner downloads it: file name and JSON bytes."""
    name = f"credential-{format_code(certificate.code)}.json"
    return name, json.dumps(signed_credential(certificate, catalog), ensure_ascii=False, indent=2).encode("utf-8")


def pdf_attachments(certificate: Certificate, catalog: Catalog) -> dict[str, bytes]:
    """The files the learner's PDF embeds: the signed credential. Empty (and logged) if it cannot be signed, so
    that the PDF itself is never lost to a credential problem."""
    try:
        return dict([credential_file(certificate, catalog)])
    except Exception:
        log.exception("certificate %s: no credential embedded in the PDF", certificate.id)
        return {}


def issuer_profile_stub() -> dict:
    """The issuer as embedded in each credential (the full profile, with keys, is at its id)."""
    return {
        "id": issuer_id(),
        "type": ["Profile"],
        "name": current_app.config["ISSUING_BODY"],
        "url": public_url("/"),
    }


def _criteria(certificate: Certificate, catalog: Catalog) -> tuple[str, str]:
    """The achievement's description and criteria narrative, in the certificate's language."""
    course = catalog.course(certificate.course_slug)
    modules = len(certificate.modules_covered or ())
    with force_locale(certificate.language):
        description = course.summary if course else certificate.course_title
        if course and course.estimated_hours:
            narrative = _(
                "Completed the %(modules)d modules of the course (about %(hours)s hours of study) and met its "
                "completion rule.",
                modules=modules,
                hours=f"{course.estimated_hours:g}",
            )
        else:
            narrative = _(
                "Completed the %(modules)d modules of the course and met its completion rule.", modules=modules
            )
        if certificate.score is not None:
            narrative += " " + _("Final score: %(score)s%%.", score=f"{certificate.score:g}")
    return description, narrative


def build_credential(certificate: Certificate, catalog: Catalog) -> dict:
    """The unsigned credential: achievement (the course), the holder's name as printed, issue and expiry dates, and
    the revocation status entry. Raises UndefinedTerm if a member is not defined by the bundled contexts."""
    description, narrative = _criteria(certificate, catalog)
    credential = {
        "@context": list(CONTEXT),
        "id": certificate_url(certificate.code),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.course_title,
        "issuer": issuer_profile_stub(),
        "validFrom": iso(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": certificate.holder_name,
            # Open Badges asks for an id or an identifier: the holder is identified by the name as printed, which
            # the employer compares with an identity document (not every officer has an e-mail address).
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.holder_name,
                }
            ],
            "achievement": {
                "id": public_url(f"/courses/{certificate.course_slug}"),
                "type": ["Achievement"],
                "achievementType": "Course",
                "name": certificate.course_title,
                "description": description,
                "criteria": {"narrative": narrative},
                "inLanguage": certificate.language,
            },
        },
        "credentialStatus": entry_for(certificate),
    }
    if certificate.expires_at is not None:
        credential["validUntil"] = iso(certificate.expires_at)
    check_terms(credential)
    return credential


def signed_credential(certificate: Certificate, catalog: Catalog) -> dict:
    """The credential with an eddsa-rdfc-2022 proof by the issuer's current key."""
    signer = keys.signing_key()
    return proof.sign(
        build_credential(certificate, catalog),
        signer.private_key,
        verification_method(signer.multibase),
        iso(utcnow()),
    )


# The two controller-document terms of W3C Controlled Identifiers (https://www.w3.org/ns/cid/v1), defined inline
# because that context is not bundled: the profile names its keys and says they may sign assertions.
CONTROLLER_TERMS = {
    "verificationMethod": {"@id": "https://w3id.org/security#verificationMethod", "@type": "@id"},
    "assertionMethod": {"@id": "https://w3id.org/security#assertionMethod", "@type": "@id", "@container": "@set"},
}


def issuer_profile() -> dict:
    """The issuer's public profile: who it is, and every key it has signed with, as Multikeys."""
    methods = [
        {
            "id": verification_method(key.multibase),
            "type": "Multikey",
            "controller": issuer_id(),
            "publicKeyMultibase": key.multibase,
        }
        for key in keys.all_keys()
    ]
    return {
        "@context": [CREDENTIALS_V2, OPEN_BADGES_V3, MULTIKEY_V1, CONTROLLER_TERMS],
        **issuer_profile_stub(),
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }
