"""Verify a credential file offline: valid, tampered, revoked, expired or unknown issuer, each with its reason.

Only what the issuer (this platform) signed is trusted: the issuer must be ours, the proof must name one of our
published keys and verify over the whole document, every member must be defined by the bundled contexts (an
undefined member would not be covered by the signature), then the status list bit and the expiry are read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l

from greencustoms.credentials import keys, proof, statuslist
from greencustoms.credentials.jsonld import CredentialFormatError, check_terms
from greencustoms.credentials.urls import issuer_id, status_list_url, verification_method
from greencustoms.database import as_utc
from greencustoms.extensions import db
from greencustoms.models import Certificate, utcnow

OUTCOMES = ("valid", "tampered", "revoked", "expired", "unknown_issuer")
MAX_BYTES = 256 * 1024


@dataclass
class Verification:
    """What a verifier says: one of OUTCOMES, why, and (once the signature holds) what the credential states."""

    outcome: str
    reason: str
    facts: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.outcome == "valid"


def verify_bytes(data: bytes, now: datetime | None = None) -> Verification:
    """Verify an uploaded or saved credential file."""
    if len(data) > MAX_BYTES:
        return Verification("tampered", str(_l("This file is too large to be a credential.")))
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return Verification("tampered", str(_l("This file is not a credential (it is not JSON).")))
    return verify_document(document, now)


def verify_document(document, now: datetime | None = None) -> Verification:
    """Verify a parsed credential. Never raises for a bad document: every failure is an outcome with a reason."""
    if not isinstance(document, dict) or "OpenBadgeCredential" not in _as_list(document.get("type")):
        return Verification("tampered", str(_l("This file is not an Open Badges credential.")))
    issuer = document.get("issuer")
    issuer = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer != issuer_id():
        return Verification(
            "unknown_issuer",
            str(_l("This credential was not issued by this platform (issuer %(issuer)s).", issuer=str(issuer)[:200])),
        )
    try:
        signature = proof.proof_of(document)
    except proof.ProofError as exc:
        return Verification("tampered", str(exc))
    published = {verification_method(key.multibase): key for key in keys.all_keys()}
    key = published.get(signature["verificationMethod"])
    if key is None:
        return Verification(
            "unknown_issuer", str(_l("The credential is signed with a key this platform never published."))
        )
    try:
        check_terms(document)
        proof.verify(document, key.public_key)
    except CredentialFormatError as exc:
        return Verification("tampered", str(_l("The credential was changed after signing: %(why)s", why=str(exc))))
    return _lifecycle(document, _facts(document), now or utcnow())


def _lifecycle(document: dict, facts: dict, now: datetime) -> Verification:
    """After the signature holds: the revocation bit, then the expiry."""
    entry = document.get("credentialStatus")
    if not isinstance(entry, dict) or entry.get("statusListCredential") != status_list_url():
        return Verification("tampered", str(_l("The credential has no status entry of this platform.")), facts)
    try:
        index = int(entry.get("statusListIndex", ""))  # missing: ValueError, as for any other non-number
        listed = statuslist.status_list_credential()
        revoked = statuslist.bit(statuslist.decode(listed["credentialSubject"]["encodedList"]), index)
    except (TypeError, ValueError, IndexError):
        return Verification("tampered", str(_l("The credential's status entry is not in the status list.")), facts)
    if revoked:
        return Verification("revoked", _revocation_reason(index), facts)
    valid_until = document.get("validUntil", "")
    try:
        expired = bool(valid_until) and _parse(valid_until) <= now
    except (TypeError, ValueError):
        return Verification("tampered", str(_l("The credential's expiry date is not a date.")), facts)
    if expired:
        return Verification("expired", str(_l("The credential expired on %(date)s.", date=valid_until[:10])), facts)
    return Verification(
        "valid", str(_l("The signature is the issuer's and the credential is neither revoked nor expired.")), facts
    )


def _revocation_reason(index: int) -> str:
    certificate = db.session.get(Certificate, index)
    if certificate is not None and certificate.status == "superseded":
        return str(_l("The certificate was replaced by a newer one (for example after a name correction)."))
    if certificate is not None and certificate.revoked_at is not None:  # the recorded reason stays private
        return str(
            _l("The issuer revoked this credential on %(date)s.", date=statuslist.iso(certificate.revoked_at)[:10])
        )
    return str(_l("The issuer revoked this credential."))


def _facts(document: dict) -> dict:
    """What the verified credential states, for the verification page."""
    subject = document.get("credentialSubject") or {}
    achievement = subject.get("achievement") or {}
    return {
        "holder_name": subject.get("name"),
        "course_title": achievement.get("name"),
        "issued": (document.get("validFrom") or "")[:10],
        "expires": (document.get("validUntil") or "")[:10] or None,
        "id": document.get("id"),
    }


def _parse(value: str) -> datetime:
    return as_utc(datetime.fromisoformat(value.replace("Z", "+00:00")))


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]
