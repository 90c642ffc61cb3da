"""The join sheet's QR code: an SVG with a viewBox (it scales, never cropped), a white quiet zone of 4 modules,
the same module matrix as the encoder's, and decodable by a real reader (zxing-cpp) at every size."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
import segno
import zxingcpp
from PIL import Image

from greencustoms.workshops.qr import QUIET_ZONE, qr_svg
from tests.workshopkit import join_code, make_workshop, signed_in

SVG = "{http://www.w3.org/2000/svg}"


def modules(svg: str) -> tuple[int, set[tuple[int, int]]]:
    """(side of the viewBox, the set of dark (x, y) cells) read back from segno's one-path SVG."""
    root = ET.fromstring(svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))  # noqa: S314 (our own SVG)
    x0, y0, width, height = (float(v) for v in root.attrib["viewBox"].split())
    assert (x0, y0) == (0, 0) and width == height
    dark = next(p for p in root.iter(SVG + "path") if p.get("stroke") == "#000")
    cells: set[tuple[int, int]] = set()
    x = y = 0.0
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", dark.attrib["d"]):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            cells.update((int(x) + i, int(y)) for i in range(int(float(a))))
            x += float(a)
    return int(width), cells


def image_of(side: int, cells: set[tuple[int, int]], scale: int) -> Image.Image:
    image = Image.new("L", (side * scale, side * scale), 255)
    for x, y in cells:
        image.paste(0, (x * scale, y * scale, (x + 1) * scale, (y + 1) * scale))
    return image


def test_the_svg_has_a_viewbox_no_fixed_size_and_a_white_quiet_zone():
    svg = str(qr_svg("https://learn.example.org/join/7K3MQ9XD", "QR code of the join link"))
    opening = svg[: svg.index(">")]
    assert "viewBox=" in opening and "width=" not in opening and "height=" not in opening
    side, cells = modules(svg)
    assert f'<path fill="#fff" d="M0 0h{side}v{side}h-{side}z"/>' in svg  # white under the whole code
    assert min(x for x, _ in cells) == QUIET_ZONE and max(x for x, _ in cells) == side - QUIET_ZONE - 1
    assert min(y for _, y in cells) == QUIET_ZONE and max(y for _, y in cells) == side - QUIET_ZONE - 1


def test_the_modules_are_the_encoders_and_a_real_reader_decodes_them_at_every_scale():
    url = "https://learn.example.org/join/7K3MQ9XD"
    side, cells = modules(str(qr_svg(url, "t")))
    matrix = segno.make(url, error="m", micro=False).matrix
    expected = {(x + QUIET_ZONE, y + QUIET_ZONE) for y, row in enumerate(matrix) for x, v in enumerate(row) if v}
    assert cells == expected
    for scale in (2, 4, 12):  # a phone screen, a slip, a projector
        found = zxingcpp.read_barcodes(image_of(side, cells, scale))
        assert [result.text for result in found] == [url]


@pytest.fixture
def trainer(app):
    return signed_in(app, role="trainer", email="trainer@example.org", name="Tess Trainer")


def test_the_join_sheet_decodes_to_the_public_join_url(app, trainer):
    app.config["PUBLIC_BASE_URL"] = "https://learn.example.org"
    workshop_id = make_workshop(app, trainer[0])
    page = trainer[1].get(f"/workshops/{workshop_id}/sheet").get_data(as_text=True)
    svg = re.search(r"<svg[^>]*class=\"qr\".*?</svg>", page, re.S).group(0)
    side, cells = modules(svg)
    found = zxingcpp.read_barcodes(image_of(side, cells, 6))
    assert [r.text for r in found] == [f"https://learn.example.org/join/{join_code(app, workshop_id)}"]


def test_another_trainers_sheet_is_not_shown(app, trainer):
    other_id, _client = signed_in(app, role="trainer", email="other@example.org", name="Otto Other")
    workshop_id = make_workshop(app, other_id)
    assert trainer[1].get(f"/workshops/{workshop_id}/sheet").status_code == 404
