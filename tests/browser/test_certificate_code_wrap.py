"""On a phone, a certificate code on /me and on the verification page wraps only between its groups of four."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.credentialkit import issue

pytestmark = pytest.mark.browser
GROUP_LINES = """() => [...document.querySelectorAll('.cert-code span')].map(s => s.getClientRects().length)"""
CODE_RIGHT = "() => document.querySelector('.cert-code').getBoundingClientRect().right <= innerWidth"


@pytest.mark.parametrize("width", [280, 320, 360])
def test_a_code_never_breaks_inside_a_group(app, live_server, browser, width):
    """At 280 to 360 px each of the seven groups stays on one line, the code fits the screen, and the page copy
    of the code reads with dashes."""
    issue(app)
    context = browser.new_context(java_script_enabled=False, viewport={"width": width, "height": 700})
    page = context.new_page()
    try:
        sign_in(page, live_server, "officer@example.org", "correct horse battery")
        page.goto(live_server + "/me")
        assert page.evaluate(GROUP_LINES) == [1] * 7
        assert page.evaluate(CODE_RIGHT) is True
        assert page.locator(".cert-code").inner_text().count("-") == 6
        page.locator("a", has_text="Public verification page").first.click()
        page.wait_for_url("**/certificates/*")
        expect(page.locator(".cert-code span")).to_have_count(7)  # the page is parsed before it is measured
        assert page.evaluate(GROUP_LINES) == [1] * 7
    finally:
        context.close()
