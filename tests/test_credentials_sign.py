"""Credential signing: bundled contexts only, refusal of undefined members, eddsa-rdfc-2022 against the W3C vector,
the issuer's keys (created 0600, rotated, all published) and the Open Badges credential of a certificate."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from greencustoms.credentials import keys, proof
from greencustoms.credentials.jsonld import (
    BUNDLED,
    CONTEXT_FOLDER,
    CREDENTIALS_V2,
    OPEN_BADGES_V3,
    UndefinedTerm,
    UnknownContext,
    check_terms,
    make_loader,
)
from tests.credentialkit import credential_of, issue

VECTORS = Path(__file__).parent / "fixtures" / "credentials"
EXAMPLES_V2 = {
    "https://www.w3.org/ns/credentials/examples/v2": {
        "@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}
    }
}
CONTEXT_HASHES = {
    "credentials-v2.json": "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
    "ob-v3p0-context-3.0.3.json": "3d34f4d4ef1bce691106e63798beb5e7b862ba841423f5ee1e53ab7ddf3bca84",
    "security-data-integrity-v2.json": "67f21e6e33a6c14e5ccfd2fc7865f7474fb71a04af7e94136cb399dfac8ae8f4",
    "security-multikey-v1.json": "ba2c182de2d92f7e47184bcca8fcf0beaee6d3986c527bf664c195bbc7c58597",
}


def _vector():
    signed = json.loads((VECTORS / "w3c-eddsa-rdfc-2022-signed.json").read_text())
    pair = json.loads((VECTORS / "w3c-key-pair.json").read_text())
    return signed, pair


def test_bundled_contexts_are_the_published_documents():
    """Every bundled context file has the SHA-256 of the published context it stands for."""
    assert set(BUNDLED.values()) == set(CONTEXT_HASHES)
    for name, digest in CONTEXT_HASHES.items():
        assert hashlib.sha256((CONTEXT_FOLDER / name).read_bytes()).hexdigest() == digest, name


def test_loader_refuses_a_context_that_is_not_bundled():
    """A context that would have to be fetched is refused, never fetched."""
    loader = make_loader()
    assert loader(CREDENTIALS_V2)["document"]["@context"]
    with pytest.raises(UnknownContext):
        loader("https://www.w3.org/ns/credentials/examples/v2")
    with pytest.raises(UnknownContext):
        check_terms({"@context": [CREDENTIALS_V2, "https://attacker.example/ctx.json"], "type": "VerifiableCredential"})


def test_w3c_vector_verifies_with_our_verifier():
    """The W3C eddsa-rdfc-2022 test vector verifies, and any change to it does not."""
    signed, pair = _vector()
    loader = make_loader(EXAMPLES_V2)
    public_key = proof.public_key_from_multibase(pair["publicKeyMultibase"])
    proof.verify(signed, public_key, loader)
    changed = {**signed, "credentialSubject": {**signed["credentialSubject"], "alumniOf": "Another School"}}
    with pytest.raises(proof.ProofError):
        proof.verify(changed, public_key, loader)


def test_w3c_vector_is_reproduced_by_our_signer():
    """Signing the vector's document with its key gives its proofValue byte for byte (Ed25519 is deterministic)."""
    signed, pair = _vector()
    seed = proof.b58decode(pair["privateKeyMultibase"][1:])
    assert seed[:2] == b"\x80\x26"  # multicodec ed25519-priv
    key = Ed25519PrivateKey.from_private_bytes(seed[2:])
    assert proof.public_multibase(key.public_key()) == pair["publicKeyMultibase"]
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    ours = proof.sign(
        unsigned, key, signed["proof"]["verificationMethod"], signed["proof"]["created"], make_loader(EXAMPLES_V2)
    )
    assert ours == signed


def test_base58_round_trips_leading_zeros():
    """Base58 keeps leading zero bytes and refuses characters outside its alphabet."""
    for data in (b"", b"\0", b"\0\0\x01", os.urandom(64)):
        assert proof.b58decode(proof.b58encode(data)) == data
    with pytest.raises(ValueError):
        proof.b58decode("0OIl")


def test_first_key_is_created_private_and_rotation_keeps_old_keys(app):
    """The first key is created on first use with mode 0600; rotation adds a key that signs, the old one stays."""
    with app.app_context():
        first = keys.signing_key()
        path = keys.key_folder() / "key-0001.pem"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(keys.key_folder().stat().st_mode) == 0o700
        assert keys.signing_key().multibase == first.multibase  # read back, not created again
        second = keys.rotate()
        assert keys.signing_key().multibase == second.multibase != first.multibase
        assert [k.multibase for k in keys.all_keys()] == [first.multibase, second.multibase]
        assert not [p for p in keys.key_folder().iterdir() if p.name.startswith(".")]


def test_credential_is_an_open_badge_with_what_the_certificate_prints(app):
    """The credential carries the holder's name as printed, the course, criteria with hours, dates and status."""
    certificate_id = issue(app, name="Ngozi Okonkwo-Adébáyọ̀")
    credential = credential_of(app, certificate_id)
    assert credential["@context"] == [CREDENTIALS_V2, OPEN_BADGES_V3]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    subject = credential["credentialSubject"]
    assert subject["name"] == "Ngozi Okonkwo-Adébáyọ̀"
    achievement = subject["achievement"]
    assert achievement["achievementType"] == "Course" and achievement["name"] and achievement["description"]
    assert "hours" in achievement["criteria"]["narrative"]
    assert credential["validFrom"] < credential["validUntil"]
    assert credential["validUntil"][:4] == str(int(credential["validFrom"][:4]) + 3)
    assert credential["credentialStatus"]["statusListIndex"] == str(certificate_id)
    assert credential["issuer"]["id"].endswith("/credentials/issuer")
    assert credential["proof"]["verificationMethod"].startswith(credential["issuer"]["id"] + "#z6Mk")


@pytest.mark.parametrize("where", ["credential", "subject", "achievement", "criteria", "issuer"])
def test_a_member_the_contexts_do_not_define_is_refused(app, where):
    """An undefined member ("hours" is not an Open Badges term) is refused at signing, never silently unsigned."""
    certificate_id = issue(app)
    credential = credential_of(app, certificate_id)
    del credential["proof"]
    target = {
        "credential": credential,
        "subject": credential["credentialSubject"],
        "achievement": credential["credentialSubject"]["achievement"],
        "criteria": credential["credentialSubject"]["achievement"]["criteria"],
        "issuer": credential["issuer"],
    }[where]
    check_terms(credential)
    target["hours"] = 12
    with pytest.raises(UndefinedTerm, match="hours"):
        check_terms(credential)


def test_issuer_profile_publishes_every_key_as_multikey(app, client):
    """/credentials/issuer lists every key as a Multikey whose id is the one proofs name, and uses defined terms."""
    certificate_id = issue(app)
    credential_of(app, certificate_id)
    with app.app_context():
        keys.rotate()
    profile = client.get("/credentials/issuer")
    assert profile.status_code == 200 and profile.mimetype == "application/ld+json"
    document = profile.get_json(force=True)
    check_terms(document)
    methods = document["verificationMethod"]
    assert len(methods) == 2 and {m["type"] for m in methods} == {"Multikey"}
    assert all(m["id"] == f"{document['id']}#{m['publicKeyMultibase']}" for m in methods)
    assert "PRIVATE" not in profile.get_data(as_text=True)


def test_parallel_first_use_creates_one_key(app):
    """Several workers reaching for the key at once all get the same first key (one file, no partial read)."""
    from concurrent.futures import ThreadPoolExecutor

    def first_key(_):
        with app.app_context():
            return keys.signing_key().multibase

    with ThreadPoolExecutor(8) as pool:
        found = set(pool.map(first_key, range(16)))
    with app.app_context():
        assert len(found) == 1 and [p.name for p in keys.key_folder().iterdir()] == ["key-0001.pem"]
