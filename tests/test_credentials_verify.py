"""Credential verification: valid, tampered (each member), revoked, superseded, expired, unknown issuer; the
upload page, the offline command, the learner's download, and an independent verifier (openbadgeslib)."""

from __future__ import annotations

import copy
import io
import json
from datetime import timedelta

import pytest
from pypdf import PdfReader

from greencustoms.certificates import service
from greencustoms.content import get_catalog
from greencustoms.credentials import keys, statuslist
from greencustoms.credentials.verify import verify_bytes, verify_document
from greencustoms.extensions import db
from greencustoms.models import Certificate, User, utcnow
from tests.conftest import post_form
from tests.credentialkit import credential_of, issue


def _verify(app, document, **kwargs):
    with app.test_request_context():
        return verify_document(document, **kwargs)


def _leaves(node, path=()):
    """Every (path, value) of a leaf, array positions included."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, (*path, index))
    else:
        yield path, node


def _set(document, path, value):
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


def _changed(value):
    if isinstance(value, str):
        return value[:-1] + ("X" if not value.endswith("X") else "Y")
    if isinstance(value, bool):
        return not value
    return value + 1


def test_a_fresh_credential_is_valid(app):
    """Our own credential verifies as valid, with what it states."""
    credential = credential_of(app, issue(app, name="Amina Njoroge"))
    result = _verify(app, credential)
    assert (result.outcome, result.facts["holder_name"]) == ("valid", "Amina Njoroge"), result.reason


def test_changing_any_member_is_detected(app):
    """Changing any single value (outside the issuer) makes the credential tampered; the issuer makes it unknown."""
    credential = credential_of(app, issue(app))
    leaves = list(_leaves(credential))
    assert len(leaves) > 25
    for path, value in leaves:
        forged = copy.deepcopy(credential)
        _set(forged, path, _changed(value))
        result = _verify(app, forged)
        expected = {("issuer", "id"): "unknown_issuer", ("proof", "verificationMethod"): "unknown_issuer"}
        assert result.outcome == expected.get(path, "tampered"), (path, result.outcome, result.reason)


def test_removing_or_adding_a_member_is_detected(app):
    """A member removed, or an undefined member added, makes the credential tampered."""
    credential = credential_of(app, issue(app))
    paths = {path[:-1] if isinstance(path[-1], int) else path for path, _ in _leaves(credential)}
    for path in sorted(paths, key=str):
        if path[0] in ("issuer", "type") or path == ("proof",) or path[:2] == ("proof", "verificationMethod"):
            continue
        forged = copy.deepcopy(credential)
        target = forged
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]
        assert _verify(app, forged).outcome == "tampered", path
    for where in ((), ("credentialSubject",), ("credentialSubject", "achievement")):
        forged = copy.deepcopy(credential)
        target = forged
        for step in where:
            target = target[step]
        target["hours"] = 40
        result = _verify(app, forged)
        assert result.outcome == "tampered" and "hours" in result.reason, where


def test_another_issuer_or_key_is_unknown(app):
    """A credential naming another issuer, or signed by a key we never published, is "unknown issuer"."""
    credential = credential_of(app, issue(app))
    foreign = copy.deepcopy(credential)
    foreign["issuer"]["id"] = "https://diploma-mill.example/issuer"
    assert _verify(app, foreign).outcome == "unknown_issuer"
    other_key = copy.deepcopy(credential)
    method = other_key["proof"]["verificationMethod"]
    other_key["proof"]["verificationMethod"] = (
        method.split("#")[0] + "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    )
    result = _verify(app, other_key)
    assert result.outcome == "unknown_issuer" and "never published" in result.reason


def test_old_credentials_still_verify_after_key_rotation(app):
    """Rotation keeps old keys published: a credential signed before it stays valid; new ones use the new key."""
    certificate_id = issue(app)
    before = credential_of(app, certificate_id)
    with app.app_context():
        keys.rotate()
    after = credential_of(app, certificate_id)
    assert before["proof"]["verificationMethod"] != after["proof"]["verificationMethod"]
    assert _verify(app, before).outcome == "valid" and _verify(app, after).outcome == "valid"


def test_revoking_flips_the_status_bit(app, client):
    """Revoking a certificate sets its bit in the signed status list; the credential then reads revoked."""
    certificate_id = issue(app)
    other_id = issue(app, email="other@example.org")
    credential = credential_of(app, certificate_id)
    listed = client.get("/credentials/status/1").get_json(force=True)
    bits = statuslist.decode(listed["credentialSubject"]["encodedList"])
    assert len(bits) * 8 >= statuslist.MINIMUM_BITS and not statuslist.bit(bits, certificate_id)
    with app.app_context():
        admin = User(email="admin@example.org", full_name="Admin", role="admin")
        admin.set_password("correct horse battery")
        db.session.add(admin)
        db.session.commit()
        service.revoke(db.session.get(Certificate, certificate_id), "Exam taken by another person", admin)
    listed = client.get("/credentials/status/1").get_json(force=True)
    bits = statuslist.decode(listed["credentialSubject"]["encodedList"])
    assert statuslist.bit(bits, certificate_id) and not statuslist.bit(bits, other_id)
    result = _verify(app, credential)
    assert result.outcome == "revoked" and "another person" not in result.reason
    assert _verify(app, credential_of(app, other_id)).outcome == "valid"


def test_the_status_list_is_itself_signed_by_the_issuer(app, client):
    """The published status list verifies with our key, and a changed encodedList does not."""
    from greencustoms.credentials import proof

    issue(app)
    listed = client.get("/credentials/status/1").get_json(force=True)
    with app.app_context():
        key = keys.signing_key()
        assert listed["proof"]["verificationMethod"].endswith("#" + key.multibase)
        proof.verify(listed, key.public_key)
        forged = copy.deepcopy(listed)
        flipped = bytearray(statuslist.decode(listed["credentialSubject"]["encodedList"]))
        flipped[0] ^= 0x80
        forged["credentialSubject"]["encodedList"] = statuslist.encode(flipped)
        with pytest.raises(proof.ProofError):
            proof.verify(forged, key.public_key)


def test_a_superseded_certificate_reads_revoked_with_its_reason(app):
    """Re-issuing after a name correction flips the old credential's bit; the reason says it was replaced."""
    certificate_id = issue(app, name="Amina Njoroge")
    credential = credential_of(app, certificate_id)
    with app.app_context():
        replacement = service.reissue(db.session.get(Certificate, certificate_id), "Amina W. Njoroge", get_catalog())
        replacement_id = replacement.id
    result = _verify(app, credential)
    assert result.outcome == "revoked" and "replaced" in result.reason
    assert _verify(app, credential_of(app, replacement_id)).outcome == "valid"


def test_an_expired_credential_reads_expired(app):
    """After validUntil the credential is genuine but expired."""
    credential = credential_of(app, issue(app))
    later = utcnow() + timedelta(days=3 * 366 + 1)
    result = _verify(app, credential, now=later)
    assert result.outcome == "expired" and credential["validUntil"][:10] in result.reason


@pytest.mark.parametrize(
    "data", [b"", b"not json", b"[]", b'{"type": "VerifiableCredential"}', b"\xff\xfe", b"[" * 5000]
)
def test_garbage_is_not_a_credential(app, data):
    """Anything that is not an Open Badges credential is refused with a reason, never an error."""
    with app.test_request_context():
        result = verify_bytes(data)
    assert result.outcome == "tampered" and result.reason


def test_learner_downloads_own_credential_only(app, auth, client):
    """/me links the credential; the owner downloads it as JSON; someone else's code is a 404."""
    certificate_id = issue(app)
    issue(app, email="other@example.org")
    with app.app_context():
        mine, theirs = db.session.execute(db.select(Certificate).order_by(Certificate.id)).scalars().all()
        mine_code, theirs_code = service.format_code(mine.code), service.format_code(theirs.code)
    auth.login()
    assert f"/me/certificates/{mine_code}.json" in client.get("/me").get_data(as_text=True)
    response = client.get(f"/me/certificates/{mine_code}.json")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert _verify(app, json.loads(response.data)).outcome == "valid"
    assert json.loads(response.data)["credentialStatus"]["statusListIndex"] == str(certificate_id)
    assert client.get(f"/me/certificates/{theirs_code}.json").status_code == 404
    pdf = PdfReader(io.BytesIO(client.get(f"/me/certificates/{mine_code}.pdf").data))
    embedded = pdf.attachments[f"credential-{mine_code}.json"][0]
    assert _verify(app, json.loads(embedded)).outcome == "valid"
    assert app.test_client().get(f"/me/certificates/{mine_code}.json").status_code == 302


def test_verification_page_says_the_outcome(app):
    """Anyone uploads a credential to /certificates/verify and reads the outcome and the reason."""
    credential = credential_of(app, issue(app, name="Amina Njoroge"))
    public = app.test_client()
    assert public.get("/certificates/verify").status_code == 200

    def upload(document_bytes):
        return post_form(
            public,
            "/certificates/verify",
            {"credential": (io.BytesIO(document_bytes), "credential.json")},
            token_from="/certificates/verify",
            content_type="multipart/form-data",
        )

    page = upload(json.dumps(credential).encode()).get_data(as_text=True)
    assert 'data-outcome="valid"' in page and "Amina Njoroge" in page
    forged = copy.deepcopy(credential)
    forged["credentialSubject"]["name"] = "Mallory"
    page = upload(json.dumps(forged).encode()).get_data(as_text=True)
    assert 'data-outcome="tampered"' in page and "Mallory" not in page
    missing = post_form(public, "/certificates/verify", {}, token_from="/certificates/verify")
    assert missing.status_code == 400


def test_verify_command_works_offline(app, runner, tmp_path):
    """`flask certificates verify FILE` prints the outcome and exits 0 only for a valid credential."""
    credential = credential_of(app, issue(app))
    good = tmp_path / "good.json"
    good.write_text(json.dumps(credential))
    result = runner.invoke(args=["certificates", "verify", str(good)])
    assert result.exit_code == 0 and result.output.startswith("valid:")
    forged = copy.deepcopy(credential)
    forged["validUntil"] = "2099-01-01T00:00:00Z"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(forged))
    result = runner.invoke(args=["certificates", "verify", str(bad)])
    assert result.exit_code == 1 and result.output.startswith("tampered:")


def test_rotate_key_command(app, runner):
    """`flask certificates rotate-key` adds a signing key and keeps the old one."""
    with app.app_context():
        first = keys.signing_key().multibase
    result = runner.invoke(args=["certificates", "rotate-key"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert [k.multibase for k in keys.all_keys()][0] == first and keys.signing_key().multibase in result.output


def test_independent_verifier_accepts_our_credential_and_status(app, client):
    """openbadgeslib's OB3 Data Integrity verifier (pinned to our published key) accepts our credential, checks the
    signed status list, and refuses a tampered copy and a revoked one."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    from openbadgeslib.ob3.ldp import OB3LdpVerifier, verify_data_integrity_proof
    from openbadgeslib.ob3.verifier import OB3VerificationError

    certificate_id = issue(app, name="Ngozi Okonkwo-Adébáyọ̀")
    credential = credential_of(app, certificate_id)
    with app.app_context():
        pem = keys.signing_key().public_key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
        status_url = statuslist.status_list_url()

    def download(url: str) -> bytes:
        assert url == status_url
        return client.get("/credentials/status/1").data

    verifier = OB3LdpVerifier(pubkey_pem=pem)
    # openbadgeslib checks a status list's own signature only for JWT lists: its Data Integrity proof is checked with
    # its building block, and the bit by the verifier.
    verify_data_integrity_proof(json.loads(download(status_url)), pem)
    verified = verifier.verify(json.dumps(credential), check_status=True, download=download, verify_status_list=False)
    assert verified.achievement.name == credential["credentialSubject"]["achievement"]["name"]
    forged = copy.deepcopy(credential)
    forged["credentialSubject"]["name"] = "Mallory"
    with pytest.raises(OB3VerificationError):
        verifier.verify(json.dumps(forged))
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        certificate.status, certificate.revoked_at = "revoked", utcnow()
        db.session.commit()
    with pytest.raises(OB3VerificationError, match="revocation. is set"):
        verifier.verify(json.dumps(credential), check_status=True, download=download, verify_status_list=False)


def test_verification_upload_needs_csrf_and_is_rate_limited(app):
    """The upload form refuses a POST without its CSRF token, and POSTs are limited like the code lookup."""
    app.config["VERIFY_RATE_LIMIT"] = "2 per minute"
    public = app.test_client()
    assert public.post("/certificates/verify", data={}).status_code == 400
    statuses = [
        post_form(public, "/certificates/verify", {}, token_from="/certificates/verify").status_code for _ in range(3)
    ]
    assert statuses[-1] == 429


def test_pdf_still_downloads_when_the_credential_cannot_be_signed(app, auth, client, monkeypatch):
    """A signing failure (say, an unreadable key folder) never costs the learner their PDF; it is logged."""

    def unreadable():
        raise PermissionError("issuer-keys")

    issue(app)
    with app.app_context():
        code = service.format_code(db.session.execute(db.select(Certificate)).scalar_one().code)
    monkeypatch.setattr(keys, "signing_key", unreadable)
    auth.login()
    response = client.get(f"/me/certificates/{code}.pdf")
    assert response.status_code == 200 and PdfReader(io.BytesIO(response.data)).attachments == {}
