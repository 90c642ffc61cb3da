"""Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite (W3C vc-di-eddsa), and Ed25519 Multikey encoding.

hashData = SHA-256(canonical proof options) || SHA-256(canonical document); the Ed25519 signature over it travels
as a base58btc multibase `proofValue`. Both canonical forms are RDFC-1.0 N-Quads (greencustoms.credentials.jsonld).
"""

from __future__ import annotations

import copy
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from flask_babel import lazy_gettext as _l

from greencustoms.credentials.jsonld import CredentialFormatError, canonize

CRYPTOSUITE = "eddsa-rdfc-2022"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_ED25519_PUB = b"\xed\x01"  # multicodec prefix of an Ed25519 public key


class ProofError(CredentialFormatError):
    """The proof is missing, malformed, or does not verify; the message says which."""


def b58encode(data: bytes) -> str:
    """Bitcoin base58 (what multibase prefix "z" means)."""
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = _B58[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def b58decode(text: str) -> bytes:
    """Inverse of b58encode; raises ValueError on a character outside the alphabet."""
    number = 0
    for char in text:
        index = _B58.find(char)
        if index < 0:
            raise ValueError("not base58")
        number = number * 58 + index
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def public_multibase(key: Ed25519PublicKey) -> str:
    """The Multikey `publicKeyMultibase` of an Ed25519 public key ("z6Mk...")."""
    return "z" + b58encode(_ED25519_PUB + key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    """Raises ProofError unless `value` is a base58btc Multikey of an Ed25519 public key."""
    try:
        raw = b58decode(value[1:]) if value.startswith("z") else b""
    except ValueError:
        raw = b""
    if len(raw) != 34 or not raw.startswith(_ED25519_PUB):
        raise ProofError(_l("The key is not an Ed25519 Multikey."))
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def hash_data(document: dict, options: dict, loader=None) -> bytes:
    """The bytes eddsa-rdfc-2022 signs: the proof options (with the document's @context) and the document without
    its proof, each canonicalized and hashed."""
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    config = {key: value for key, value in options.items() if key != "proofValue"}
    config["@context"] = document.get("@context")
    return (
        hashlib.sha256(canonize(config, loader).encode()).digest()
        + hashlib.sha256(canonize(unsecured, loader).encode()).digest()
    )


def sign(document: dict, key: Ed25519PrivateKey, verification_method: str, created: str, loader=None) -> dict:
    """A copy of `document` with an eddsa-rdfc-2022 proof made with `key`, named by `verification_method`."""
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = key.sign(hash_data(document, options, loader))
    secured = copy.deepcopy(document)
    secured["proof"] = {**options, "proofValue": "z" + b58encode(signature)}
    return secured


def proof_of(document: dict) -> dict:
    """The document's single eddsa-rdfc-2022 assertion proof. Raises ProofError when there is none or it is odd."""
    proof = document.get("proof")
    if not isinstance(proof, dict):
        raise ProofError(_l("The credential carries no signature (one proof is expected)."))
    expected = {"type": "DataIntegrityProof", "cryptosuite": CRYPTOSUITE, "proofPurpose": "assertionMethod"}
    for member, value in expected.items():
        if proof.get(member) != value:
            raise ProofError(_l("The proof's %(member)s is not %(value)s.", member=member, value=value))
    for member in ("verificationMethod", "proofValue", "created"):
        if not isinstance(proof.get(member), str):
            raise ProofError(_l("The proof has no %(member)s.", member=member))
    return proof


def verify(document: dict, public_key: Ed25519PublicKey, loader=None) -> None:
    """Raises ProofError unless the proof of `document` is a valid signature by `public_key` over the document."""
    proof = proof_of(document)
    try:
        signature = b58decode(proof["proofValue"][1:]) if proof["proofValue"].startswith("z") else b""
    except ValueError:
        signature = b""
    if len(signature) != 64:
        raise ProofError(_l("The proof value is not an Ed25519 signature."))
    try:
        public_key.verify(signature, hash_data(document, proof, loader))
    except InvalidSignature:
        raise ProofError(
            _l("The signature does not match the content: the credential was changed after signing.")
        ) from None
