"""Extract a PDF's text with poppler's pdftotext (as a verifier would), without bidi control characters."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path


def pdf_text(data: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(data)
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True).stdout
    return text.decode("utf-8").replace("\u202b", "").replace("\u202c", "").replace("\u202a", "")
