"""Real-browser fixtures: the app served on loopback by a real HTTP server, and Debian's chromium via Playwright."""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager

import pytest
from werkzeug.serving import make_server

from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@contextmanager
def serve(app):
    """Serve `app` on 127.0.0.1 on a free port while the block runs; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        gc.collect()  # collect files the dev server left open now, inside this browser test (see the filters below)


def sign_in(page, base: str, email: str, password: str = PASSWORD) -> None:
    """Sign in through the login form."""
    page.goto(base + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()


@pytest.fixture
def live_server(app):
    """Serve the test app on 127.0.0.1 on a free port for the duration of the test."""
    with serve(app) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium driven by Playwright (its own browser download is not used)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser profile with JavaScript OFF: every journey must work without it."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


# When the browser moves on before a static file has finished downloading (a favicon, a stylesheet), werkzeug's
# development server leaves that file for the garbage collector. It is a quirk of the test server only (gunicorn
# in production closes it), so these two warnings, and only for files under static/ or an img/ folder, are not
# errors in browser tests.
_SERVED_FILE_WARNINGS = (
    r"ignore:unclosed file <_io\.BufferedReader name='[^']*/(static|img)/:ResourceWarning",
    r"ignore:Exception ignored in. <_io\.(FileIO|BufferedReader) name='[^']*/(static|img)/"
    r":pytest.PytestUnraisableExceptionWarning",
)


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("browser"):
            for rule in _SERVED_FILE_WARNINGS:
                item.add_marker(pytest.mark.filterwarnings(rule))
