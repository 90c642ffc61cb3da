"""Workshop pages in a real browser: the participants, progress and attendance tables fit a 1366 px laptop, the
progress grid shows progress beside the names on a 360 px phone, slips print 8 or more to an A4 page, and the
join sheet's QR code decodes (real reader) on a laptop, a projector and the printed page."""

from __future__ import annotations

import io
import subprocess

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from greencustoms.extensions import db
from greencustoms.models import User
from tests.browser.conftest import sign_in
from tests.workshopkit import add_participants, join_code, make_workshop

pytestmark = pytest.mark.browser

LONG_ORG = "Direction générale des douanes et droits indirects, bureau de contrôle des marchandises dangereuses"


@pytest.fixture
def room(app, auth):
    """A trainer and a workshop of 12 roster participants with long names, addresses and organisations."""
    trainer_id = auth.create(email="trainer@example.org", name="Tess Trainer", role="trainer")
    workshop_id = make_workshop(app, trainer_id)
    ids = add_participants(app, workshop_id, 12, prefix="Maria Fernanda de los Ángeles Rodríguez", created=True)
    with app.app_context():
        for n, user_id in enumerate(ids[:6]):
            user = db.session.get(User, user_id)
            user.email = f"maria.fernanda.rodriguez.{n}@aduanas-nacionales.example.org"
            user.organisation, user.country = LONG_ORG, "CD"
        db.session.commit()
    return workshop_id


def _trainer_page(browser, live_server, width: int, height: int = 800):
    context = browser.new_context(java_script_enabled=False, viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, "trainer@example.org")
    return context, page


OVERFLOW = """() => ({
  page: document.documentElement.scrollWidth,
  tables: [...document.querySelectorAll('.table-wrap')].map(w => [w.scrollWidth, w.clientWidth]),
})"""


def test_trainer_tables_fit_a_1366_px_laptop(browser, live_server, room):
    context, page = _trainer_page(browser, live_server, 1366)
    try:
        for path in ("participants", "progress", "attendance"):
            page.goto(f"{live_server}/workshops/{room}/{path}")
            measured = page.evaluate(OVERFLOW)
            assert measured["page"] <= 1366, (path, measured)
            assert measured["tables"] and all(inner <= outer for inner, outer in measured["tables"]), (path, measured)
    finally:
        context.close()


def test_the_progress_grid_shows_progress_on_a_360_px_phone(browser, live_server, room):
    context, page = _trainer_page(browser, live_server, 360, 740)
    try:
        page.goto(f"{live_server}/workshops/{room}/progress")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        row = page.locator("#progress-grid tbody tr").first
        name = row.locator("th").bounding_box()
        progress = row.locator("td.num").first.bounding_box()
        assert name["width"] <= 0.4 * 360
        assert progress["x"] >= name["x"] + name["width"] - 1 and progress["x"] + progress["width"] <= 360
        # scrolled to the far end, the sticky name column still leaves most of the screen to the marks
        page.locator("#progress-grid .table-wrap").evaluate("box => { box.scrollLeft = box.scrollWidth; }")
        assert row.locator("th").bounding_box()["width"] <= 0.4 * 360
    finally:
        context.close()


def test_slips_for_everyone_print_eight_or_more_to_an_a4_page(browser, live_server, room, tmp_path):
    context, page = _trainer_page(browser, live_server, 1366)
    try:
        page.goto(f"{live_server}/workshops/{room}/participants")
        page.get_by_role("button", name="Print slips for everyone eligible").click()
        expect(page.locator(".slip")).to_have_count(12)
        pdf = tmp_path / "slips.pdf"
        page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    finally:
        context.close()
    pages = int(_pdfinfo(pdf)["Pages"])
    assert pages == 2
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True).stdout
    assert first.count("Works once, until") >= 8
    assert _decode_pdf_page(pdf, 1, 150) >= 8  # every QR code on the page reads


def test_the_join_sheets_qr_code_decodes_on_screens_and_paper(browser, app, live_server, room, tmp_path):
    code = join_code(app, room)
    for width, height in ((1366, 768), (1920, 1080), (360, 740)):
        context, page = _trainer_page(browser, live_server, width, height)
        try:
            page.goto(f"{live_server}/workshops/{room}/sheet")
            svg = page.locator(".sheet-qr svg")
            box = svg.bounding_box()
            assert box["width"] >= 150 and abs(box["width"] - box["height"]) < 1
            image = Image.open(io.BytesIO(svg.screenshot())).convert("L")
            found = [r.text for r in zxingcpp.read_barcodes(image)]
            assert len(found) == 1 and found[0].endswith(f"/join/{code}")
            if width == 1366:
                pdf = tmp_path / "sheet.pdf"
                page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
        finally:
            context.close()
    assert _decode_pdf_page(pdf, 1, 100) == 1


def _pdfinfo(pdf) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {key: value.strip() for key, value in (line.split(":", 1) for line in out.splitlines() if ":" in line)}


def _decode_pdf_page(pdf, number: int, dpi: int) -> int:
    """How many QR codes a real reader finds on one page of the PDF, rendered at `dpi` by poppler."""
    png = subprocess.run(
        ["pdftoppm", "-f", str(number), "-l", str(number), "-r", str(dpi), "-gray", "-png", str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    image = Image.open(io.BytesIO(png)).convert("L")
    return len(zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode))


@pytest.mark.parametrize("language", ["en", "ar"])
def test_new_trainer_pages_fit_a_phone_in_both_directions(app, browser, live_server, room, language):
    """The quiz schedule, roster import (after a rejected file) and removal confirmation pages fit 360 px, also
    right to left in Arabic."""
    with app.app_context():
        db.session.execute(db.update(User).filter_by(email="trainer@example.org").values(language=language))
        db.session.commit()
        participant = db.session.execute(db.select(User.id).filter(User.full_name.like("Maria%"))).first()
    context, page = _trainer_page(browser, live_server, 360, 740)
    try:
        from greencustoms.models import WorkshopParticipant

        with app.app_context():
            pid = db.session.execute(
                db.select(WorkshopParticipant.id).filter_by(workshop_id=room, user_id=participant[0])
            ).scalar_one()
        page.goto(f"{live_server}/workshops/{room}/roster")
        page.locator("textarea").fill("Zed Nowhere,,Atlantis,X\nAmina Njoroge,,Keyna,KRA\n")
        with page.expect_navigation():  # measure the answer page once it has loaded, stylesheet included
            page.locator("form.form button[type=submit]").first.click()
        expect(page.get_by_text("Kenya (KE)").first).to_be_visible()
        for path in ("", "quizzes", f"participants/{pid}/remove"):
            if path:
                page.goto(f"{live_server}/workshops/{room}/{path}")
            assert page.evaluate("document.documentElement.dir || document.dir") == (
                "rtl" if language == "ar" else "ltr"
            )
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    finally:
        context.close()
