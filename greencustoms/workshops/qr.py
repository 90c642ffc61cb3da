"""QR codes as inline SVG (no script, no external file), for join sheets and sign-in slips."""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(url: str, title: str, scale: int = 4) -> Markup:
    """An <svg> element encoding `url`, titled for screen readers; scales with CSS (class "qr")."""
    code = segno.make(url, error="m", micro=False)
    return Markup(code.svg_inline(scale=scale, title=title, svgclass="qr", lineclass=None, omitsize=False))  # noqa: S704
