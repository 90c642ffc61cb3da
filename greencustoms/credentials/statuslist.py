"""Revocation through a Bitstring Status List (W3C): one bit per certificate, set when it is revoked or superseded.

The list is derived from the certificates table (the bit of certificate N is bit N, counted from the most
significant bit of the first byte), so revoking or re-issuing a certificate flips its bit with no second write.
The list credential is signed like every credential; its dates are those of the last change, so the same state
always gives the same document (Ed25519 signatures are deterministic) and every app instance serves the same bytes.
"""

from __future__ import annotations

import base64
import gzip
from datetime import UTC, datetime

from sqlalchemy import func

from greencustoms.credentials import keys, proof
from greencustoms.credentials.jsonld import CREDENTIALS_V2
from greencustoms.credentials.urls import issuer_id, status_list_url, verification_method
from greencustoms.database import as_utc
from greencustoms.extensions import db
from greencustoms.models import Certificate

# At least 16 KiB (131,072 entries), as the specification asks, so that the list says little about how many exist.
MINIMUM_BITS = 131_072
PURPOSE = "revocation"
_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
_cache: dict[tuple, dict] = {}


def iso(moment: datetime) -> str:
    """XML Schema dateTime in UTC, to the second, as credentials carry it."""
    return as_utc(moment).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def entry_for(certificate: Certificate) -> dict:
    """The credentialStatus member of a certificate's credential."""
    return {
        "id": f"{status_list_url()}#{certificate.id}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": PURPOSE,
        "statusListIndex": str(certificate.id),
        "statusListCredential": status_list_url(),
    }


def encode(bits: bytearray) -> str:
    """Multibase base64url (no padding) of the GZIP-compressed bitstring, as `encodedList` carries it."""
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def decode(encoded: str) -> bytes:
    """Inverse of encode. Raises ValueError when it is not a multibase base64url GZIP bitstring."""
    if not encoded.startswith("u"):
        raise ValueError("encodedList is not multibase base64url")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def bit(bits: bytes, index: int) -> bool:
    """The bit at `index`; raises IndexError past the end of the list."""
    if index < 0 or index // 8 >= len(bits):
        raise IndexError("status index outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def _state() -> tuple[list[int], int, datetime]:
    """Revoked or superseded certificate ids, the highest id, and the time of the last change."""
    rows = db.session.execute(
        db.select(Certificate.id, Certificate.revoked_at, Certificate.superseded_at).where(
            Certificate.status.in_(("revoked", "superseded"))
        )
    ).all()
    highest = db.session.execute(db.select(func.max(Certificate.id))).scalar() or 0
    changes = [moment for row in rows for moment in (row.revoked_at, row.superseded_at) if moment is not None]
    changed = max((as_utc(m) for m in changes), default=_EPOCH)
    return [row.id for row in rows], highest, changed


def status_list_credential() -> dict:
    """The signed BitstringStatusListCredential as published now."""
    revoked, highest, changed = _state()
    size = max(MINIMUM_BITS, -(-(highest + 1) // MINIMUM_BITS) * MINIMUM_BITS)
    bits = bytearray(size // 8)
    for index in revoked:
        bits[index // 8] |= 0x80 >> (index % 8)
    encoded = encode(bits)
    signer = keys.signing_key()
    cache_key = (status_list_url(), encoded, signer.multibase, changed)
    signed = _cache.get(cache_key)
    if signed is None:
        unsigned = {
            "@context": [CREDENTIALS_V2],
            "id": status_list_url(),
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": issuer_id(),
            "validFrom": iso(changed),
            "credentialSubject": {
                "id": f"{status_list_url()}#list",
                "type": "BitstringStatusList",
                "statusPurpose": PURPOSE,
                "encodedList": encoded,
            },
        }
        signed = proof.sign(unsigned, signer.private_key, verification_method(signer.multibase), iso(changed))
        _cache.clear()
        _cache[cache_key] = signed
    return signed
