"""Many certificates at once, for workshops and administrators: one ZIP of PDFs or one multi-page PDF."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable

from greencustoms.certificates.pdf import render_pdf
from greencustoms.certificates.service import printed
from greencustoms.models import Certificate


def safe_file_name(text: str, limit: int = 60) -> str:
    """An ASCII file-name part from any name: accents dropped, other characters replaced by dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")
    return cleaned[:limit] or "certificate"


def display_file_name(text: str, limit: int = 80) -> str:
    """A file-name part that keeps the name in its own script: separators, controls, spaces and the characters
    file systems refuse become dashes."""
    cleaned = "".join("-" if unicodedata.category(c)[0] in "CZ" or c in '/\\:*?"<>|' else c for c in text)
    return re.sub(r"-{2,}", "-", cleaned).strip("-")[:limit] or "certificate"


def render_combined_pdf(certificates: Iterable[Certificate]) -> bytes:
    """One PDF with a page per certificate, ready to print; fonts are embedded once."""
    return render_pdf(printed(certificate) for certificate in certificates)


def render_zip(certificates: Iterable[Certificate]) -> bytes:
    """A ZIP holding one PDF per certificate, named <code>-<holder>.pdf."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            name = f"{certificate.code}-{safe_file_name(certificate.holder_name)}.pdf"
            archive.writestr(name, render_pdf([printed(certificate)]))
    return buffer.getvalue()
