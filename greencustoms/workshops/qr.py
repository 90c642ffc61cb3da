"""QR codes as inline SVG (no script, no external file), for join sheets and sign-in slips.

The rule: the SVG has a `viewBox` and no fixed width or height, so CSS sizes it (screen, projector, paper) without
cropping; it keeps the standard quiet zone of 4 modules on a white background (a dark page or a projector's
black border cannot eat it), and is drawn in black modules of one unit each. A reader that finds the code cropped
or without its margin fails to decode it: tests/test_workshop_qr.py decodes the rendered code with a real reader.
"""

from __future__ import annotations

import segno
from markupsafe import Markup

QUIET_ZONE = 4  # modules of white around the code (ISO/IEC 18004)


def qr_svg(url: str, title: str) -> Markup:
    """An <svg> element encoding `url`, titled for screen readers, that scales with CSS (class "qr")."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(
        scale=1, border=QUIET_ZONE, dark="#000", light="#fff", title=title, svgclass="qr", lineclass=None, omitsize=True
    )
    return Markup(svg.replace("<svg ", '<svg role="img" preserveAspectRatio="xMidYMid meet" ', 1))  # noqa: S704
