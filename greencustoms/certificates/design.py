"""The certificate design an administrator sets: issuing body, logo, signatory, signature, hours and score.

A design is never changed in place: saving appends a new one, and each certificate points at the design it was
issued with, so a new signatory never appears on certificates signed by the previous one. Uploaded images are
checked (PNG or JPEG, at most MAX_IMAGE_BYTES and MAX_IMAGE_SIDE pixels a side) and re-encoded as PNG without
metadata before they are stored: nothing an administrator uploads reaches a PDF as it was sent.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from greencustoms import audit
from greencustoms.extensions import db
from greencustoms.models import Certificate, CertificateDesign, User

MAX_IMAGE_BYTES = 1024 * 1024
MAX_IMAGE_SIDE = 4000  # pixels, checked before the image is decoded
STORED_SIDE = 1200  # larger images are scaled down to this: plenty for print at the sizes used


class DesignError(ValueError):
    """An upload that cannot be used; the message is for the administrator."""


@dataclass(frozen=True)
class DesignChange:
    """What the administrator submitted; None for an image means "keep the current one"."""

    issuing_body: str
    signatory_name: str
    signatory_title: str
    show_hours: bool
    show_score: bool
    logo: bytes | None = None
    signature: bytes | None = None
    remove_logo: bool = False
    remove_signature: bool = False


def current_design() -> CertificateDesign | None:
    """The design new certificates are issued with (None until an administrator saves one)."""
    return db.session.execute(
        db.select(CertificateDesign).order_by(CertificateDesign.id.desc()).limit(1)
    ).scalar_one_or_none()


def design_of(certificate: Certificate) -> CertificateDesign | None:
    """The design a certificate was issued with (None for certificates issued before designs existed)."""
    return db.session.get(CertificateDesign, certificate.design_id) if certificate.design_id else None


def issuing_body() -> str:
    """The issuing body printed on new certificates: the design's, else the configured one."""
    design = current_design()
    return design.issuing_body if design else current_app.config["ISSUING_BODY"]


def save_design(actor: User, change: DesignChange) -> CertificateDesign:
    """Append a new design from `change` (images kept from the current design unless replaced or removed) and
    audit it. Raises DesignError for an image that cannot be used; nothing is saved then."""
    previous = current_design()
    logo = clean_image(change.logo) if change.logo else None
    signature = clean_image(change.signature) if change.signature else None
    design = CertificateDesign(
        created_by_id=actor.id,
        issuing_body=change.issuing_body,
        signatory_name=change.signatory_name,
        signatory_title=change.signatory_title,
        show_hours=change.show_hours,
        show_score=change.show_score,
        logo_png=None if change.remove_logo else logo or (previous.logo_png if previous else None),
        signature_png=None if change.remove_signature else signature or (previous.signature_png if previous else None),
    )
    db.session.add(design)
    db.session.flush()
    audit.record(
        "certificate.design_changed",
        actor.id,
        f"certificate-design:{design.id}",
        {"issuing_body": design.issuing_body, "signatory": design.signatory_name},
        commit=False,
    )
    db.session.commit()
    return design


def clean_image(data: bytes) -> bytes:
    """The uploaded image as a fresh PNG (scaled down to STORED_SIDE). Raises DesignError for anything that is
    not a PNG or JPEG image of a sensible size."""
    if len(data) > MAX_IMAGE_BYTES:
        raise DesignError(_l("The image is larger than 1 MB: save it smaller (a PNG of a few hundred pixels)."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ("PNG", "JPEG"):
                raise DesignError(_l("Upload the image as a PNG or JPEG file."))
            if max(image.size) > MAX_IMAGE_SIDE:
                raise DesignError(_l("The image is too large: at most 4000 pixels on each side."))
            image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DesignError(_l("This file is not a PNG or JPEG image that can be read.")) from None
    converted = image.convert("RGBA")
    converted.thumbnail((STORED_SIDE, STORED_SIDE))
    out = io.BytesIO()
    converted.save(out, format="PNG", optimize=True)
    return out.getvalue()
