"""Parts of a certificate page drawn from data rather than text: images (logo, signature), the signatory block
and the QR code."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fpdf import FPDF

    from .pdf import PrintedCertificate

INK = (27, 31, 35)  # the colours of every certificate page (pdf.py uses them too)
MUTED = (74, 85, 97)


def draw_signatory(pdf: FPDF, c: PrintedCertificate) -> None:
    """The signature image above a line, the signatory's name and title below it, between the facts and the QR."""
    left, width = 162.0, 68.0
    if c.signature_png:
        draw_image(pdf, c.signature_png, x=left + 9, y=150, width=width - 18, height=18)
    pdf.set_draw_color(*MUTED)
    pdf.set_line_width(0.3)
    pdf.line(left, 170, left + width, 170)
    for y, text, style, size in ((171.5, c.signatory_name, "B", 10.0), (177.0, c.signatory_title, "", 9.0)):
        if text:
            pdf.set_xy(left, y)
            pdf.set_font("Sans", style, size)
            pdf.set_text_color(*INK if style else MUTED)
            while size > 6 and pdf.get_string_width(text) > width:
                size -= 0.5
                pdf.set_font_size(size)
            pdf.cell(width, 5, text, align="C")


def draw_image(pdf: FPDF, png: bytes, x: float, y: float, width: float, height: float) -> None:
    """Draw a stored PNG inside the box, keeping its proportions, centred in the box."""
    pdf.image(io.BytesIO(png), x=x, y=y, w=width, h=height, keep_aspect_ratio=True)


def draw_qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    """Draw the QR code as vector squares (crisp at any print size, no image library needed)."""
    import segno  # imported here, as fpdf2 is where a PDF is made: start-up does not pay for them

    qr = segno.make(url, error="m", micro=False)
    rows = list(qr.matrix)
    cell = size / len(rows)
    pdf.set_fill_color(*INK)
    for r, row in enumerate(rows):
        start = None
        for col, dark in enumerate([*row, 0]):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                pdf.rect(x + start * cell, y + r * cell, (col - start) * cell, cell, style="F")
                start = None
