"""Certificate PDFs: A4 landscape, every script printed correctly, a QR code to the public verification page.

Names are shaped with HarfBuzz (Arabic joined, right to left) and fall back to shipped Noto Naskh Arabic and
Droid Sans Fallback (Chinese) fonts only when the text needs them, which keeps the common case fast. The CJK
font is shipped split by code-point range (scripts/split_cjk_font.py) so that only the pieces a name uses are
parsed: one CJK name costs a few hundredths of a second instead of most of a second.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from flask_babel import force_locale
from flask_babel import gettext as _

from greencustoms.i18n import RTL_LANGUAGES

from .pdfparts import INK, MUTED, draw_image, draw_qr, draw_signatory

if TYPE_CHECKING:
    from fpdf import FPDF

# fpdf2 and segno are imported where a PDF is made (0.6 s of start-up otherwise, for every process).

FONTS = Path(__file__).parent / "fonts"
GREEN = (11, 107, 58)
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0002fa1f]")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff]")


def _cjk_pieces() -> tuple[list[int], list[Path]]:
    files = sorted((FONTS / "cjk").glob("cjk-*.ttf"))
    return [int(f.stem.split("-")[1], 16) for f in files], files


_CJK_STARTS, _CJK_FILES = _cjk_pieces()


def _cjk_files_for(text: str) -> list[Path]:
    """The split CJK font files that hold the characters of `text`."""
    wanted = {bisect_right(_CJK_STARTS, ord(ch)) - 1 for ch in text if ord(ch) >= 0x2E80}
    return [_CJK_FILES[i] for i in sorted(wanted) if i >= 0]


@dataclass(frozen=True)
class PrintedCertificate:
    """Exactly what one certificate page shows; the verification page shows the same fields."""

    holder_name: str
    course_title: str
    modules: tuple[str, ...]
    issued: date
    expires: date | None
    code: str  # printed form, with dashes
    issuing_body: str
    verify_url: str
    language: str = "en"
    hours: float | None = None  # printed when set
    score: float | None = None  # printed when set
    signatory_name: str = ""
    signatory_title: str = ""
    signature_png: bytes | None = field(default=None, repr=False)
    logo_png: bytes | None = field(default=None, repr=False)


def render_pdf(certificates: Iterable[PrintedCertificate], attachments: dict[str, bytes] | None = None) -> bytes:
    """One PDF with a page per certificate (fonts are embedded once, subset to the glyphs used). `attachments`
    (file name -> JSON bytes) are embedded as PDF file attachments: the learner's PDF carries its signed credential."""
    pages = []
    for c in certificates:
        with force_locale(c.language or "en"):  # every label in the language the course was taken in
            pages.append((c, _labels(c)))
    text = " ".join(
        f"{c.holder_name} {c.course_title} {' '.join(c.modules)} {c.issuing_body} {' '.join(labels.values())} "
        f"{c.signatory_name} {c.signatory_title}"
        for c, labels in pages
    )
    pdf = _new_document(text)
    for certificate, labels in pages:
        _draw_page(pdf, certificate, labels)
    for name, data in (attachments or {}).items():
        pdf.embed_file(bytes=data, basename=name, mime_type="application/json", associated_file_relationship="Data")
    return bytes(pdf.output())


def _labels(c: PrintedCertificate) -> dict[str, str]:
    """The certificate's printed words in the current (forced) locale; dates in that locale too."""
    locale = c.language or "en"
    return {
        "title": _("Certificate of completion"),
        "certifies": _("This certifies that"),
        "completed": _("has completed the course"),
        "modules": _("Modules covered: %(modules)s", modules=" · ".join(c.modules)) if c.modules else "",
        "issued": _("Issued"),
        "issued_on": format_date(c.issued, format="long", locale=locale),
        "valid_until": _("Valid until"),
        "expires_on": format_date(c.expires, format="long", locale=locale) if c.expires else _("no expiry"),
        "code": _("Certificate code"),
        "check": _("Check that this certificate is genuine at %(url)s", url=c.verify_url),
        "scan": _("Scan to verify"),
        "hours": _("Study time"),
        "hours_value": _("%(hours)s hours", hours=format_decimal(c.hours, locale=locale)) if c.hours else "",
        "score": _("Final exam score"),
        "score_value": format_percent((c.score or 0) / 100, locale=locale) if c.score is not None else "",
    }


def _new_document(all_text: str) -> FPDF:
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_creator("Green Customs Learn")
    pdf.add_font("Sans", "", FONTS / "NotoSans-Regular.ttf")
    pdf.add_font("Sans", "B", FONTS / "NotoSans-Bold.ttf")
    pdf.add_font("Serif", "B", FONTS / "NotoSerif-Bold.ttf")
    fallbacks = []
    if _ARABIC.search(all_text):
        pdf.add_font("Arabic", "", FONTS / "NotoNaskhArabic-Regular.ttf")
        pdf.add_font("Arabic", "B", FONTS / "NotoNaskhArabic-Bold.ttf")
        fallbacks.append("Arabic")
    if _CJK.search(all_text):
        for number, path in enumerate(_cjk_files_for(all_text)):
            pdf.add_font(f"CJK{number}", "", path)
            pdf.add_font(f"CJK{number}", "B", path)
            fallbacks.append(f"CJK{number}")
    if fallbacks:
        pdf.set_fallback_fonts(fallbacks, exact_match=False)
    if _ARABIC.search(all_text) or _COMBINING.search(all_text):
        # Shaping joins Arabic letters and orders them right to left. The optional "liga" ligatures stay off
        # so that text extracted from the PDF (by a verifier's tools) reads exactly as the name was written.
        pdf.set_text_shaping(use_shaping_engine=True, features={"liga": False})
    return pdf


def _centred(pdf: FPDF, y: float, text: str, family: str, style: str, size: float, colour=INK, width=240.0) -> None:
    """Write one centred line, shrinking the font until it fits `width` millimetres."""
    pdf.set_font(family, style, size)
    while size > 10 and pdf.get_string_width(text) > width:
        size -= 1
        pdf.set_font(family, style, size)
    pdf.set_text_color(*colour)
    pdf.set_xy((297 - width) / 2, y)
    pdf.cell(width, size * 0.5, text, align="C")


class NameTooLong(ValueError):
    """The holder's name does not fit on the certificate even on two lines at the smallest print size."""


NAME_WIDTH = 230.0  # millimetres the holder's name may use on a line
NAME_SIZES = (30, 28, 26, 24, 22)  # points tried on one line, then (from NAME_TWO_LINES) on two
NAME_TWO_LINES = (24, 22, 20, 18, 16, 14, 13, 12)  # the last is the floor: smaller is not readable on a wall


def _halves(name: str) -> list[tuple[str, str]]:
    """Ways to cut a name onto two lines, best first: at the spaces nearest the middle; for a name without
    spaces (Chinese, Japanese), between characters nearest the middle."""
    words = name.split()
    if len(words) > 1:
        cuts = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    else:
        cuts = [(name[:i], name[i:]) for i in range(1, len(name))]
    return sorted(cuts, key=lambda cut: abs(len(cut[0]) - len(cut[1])))


def name_layout(pdf: FPDF, name: str) -> tuple[float, tuple[str, ...]]:
    """(point size, lines) to print the whole name within NAME_WIDTH: one line if it fits at a NAME_SIZES size,
    else two lines at the largest NAME_TWO_LINES size that fits. Never clips. Raises NameTooLong otherwise."""
    for size in NAME_SIZES:
        pdf.set_font("Sans", "B", size)
        if pdf.get_string_width(name) <= NAME_WIDTH:
            return size, (name,)
    for size in NAME_TWO_LINES:
        pdf.set_font("Sans", "B", size)
        for first, second in _halves(name):
            if max(pdf.get_string_width(first), pdf.get_string_width(second)) <= NAME_WIDTH:
                return size, (first, second)
    raise NameTooLong(name)


@contextmanager
def measuring(text: str) -> Iterator[FPDF]:
    """A document with the fonts `text` needs, for measuring only; its font files are closed afterwards."""
    document = _new_document(text)
    try:
        yield document
    finally:
        for font in document.fonts.values():
            ttfont = getattr(font, "ttfont", None)
            if ttfont is not None:
                ttfont.close()


def check_printable_name(name: str) -> None:
    """Raises NameTooLong when `name` cannot be printed whole on a certificate (see name_layout)."""
    with measuring(name) as document:
        name_layout(document, name)


def _draw_name(pdf: FPDF, name: str, y: float) -> None:
    """The holder's name centred around the line at `y`, on one or two lines (see name_layout)."""
    size, lines = name_layout(pdf, name)
    height = size * 0.45
    top = y - (height * (len(lines) - 1)) / 2
    pdf.set_text_color(*INK)
    for number, line in enumerate(lines):
        pdf.set_xy((297 - NAME_WIDTH) / 2, top + number * height)
        pdf.cell(NAME_WIDTH, size * 0.5, line, align="C")


def _draw_page(pdf: FPDF, c: PrintedCertificate, labels: dict[str, str]) -> None:
    pdf.add_page()
    pdf.set_draw_color(*GREEN)
    pdf.set_line_width(1.4)
    pdf.rect(9, 9, 279, 192)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, 271, 184)

    if c.logo_png:
        draw_image(pdf, c.logo_png, x=20, y=17, width=34, height=17)
    _centred(pdf, 22, c.issuing_body.upper(), "Sans", "B", 11, GREEN, width=180)
    _centred(pdf, 36, labels["title"], "Serif", "B", 30, GREEN)
    _centred(pdf, 56, labels["certifies"], "Sans", "", 13, MUTED)
    _draw_name(pdf, c.holder_name, 67)
    _centred(pdf, 86, labels["completed"], "Sans", "", 13, MUTED)
    _centred(pdf, 96, c.course_title, "Serif", "B", 21, INK, width=230)

    if labels["modules"]:
        pdf.set_font("Sans", "", 9.5)
        pdf.set_text_color(*MUTED)
        pdf.set_xy(38, 114)
        pdf.multi_cell(221, 5, labels["modules"], align="C")

    rtl = (c.language or "en").split("_")[0] in RTL_LANGUAGES
    lines = [
        (labels["issued"], labels["issued_on"]),
        (labels["valid_until"], labels["expires_on"]),
        *([(labels["hours"], labels["hours_value"])] if labels["hours_value"] else []),
        *([(labels["score"], labels["score_value"])] if labels["score_value"] else []),
        (labels["code"], c.code),
    ]
    y = 160.0 - 7 * len(lines)
    for label, value in lines:
        # Right to left: the label stands on the right of its value, both aligned to the right edge of the block.
        pdf.set_xy(26, y)
        if rtl:
            pdf.set_font("Sans", "B", 11)
            pdf.set_text_color(*INK)
            pdf.cell(88, 6, value, align="R")
        pdf.set_font("Sans", "", 10)
        pdf.set_text_color(*MUTED)
        pdf.cell(42, 6, label, align="R" if rtl else "L")
        if not rtl:
            pdf.set_font("Sans", "B", 11)
            pdf.set_text_color(*INK)
            pdf.cell(88, 6, value)
        y += 7
    pdf.set_xy(26, y + 2)
    pdf.set_font("Sans", "", 8)
    pdf.set_text_color(*MUTED)
    pdf.cell(170, 4, labels["check"], align="R" if rtl else "L")

    if c.signatory_name or c.signature_png:
        draw_signatory(pdf, c)
    draw_qr(pdf, c.verify_url, x=238, y=148, size=34)
    pdf.set_xy(232, 183)
    pdf.set_font("Sans", "", 8)
    pdf.cell(46, 4, labels["scan"], align="C")
