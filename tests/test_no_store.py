"""Pages with personal data are never cached: walk the URL map and read Cache-Control on every response."""

from __future__ import annotations

from greencustoms.access import Access
from tests.routekit import ALLOWED, build_world, expected, routes


def _cacheable(app, endpoint: str) -> bool:
    """Routes declared no_store=False (content images, the same for everyone) may be cached."""
    return getattr(app.view_functions[endpoint], "no_store", None) is False


def test_every_signed_in_page_says_no_store(app):
    """Every GET route, requested by a person it is meant for (signed in), answers Cache-Control: no-store."""
    world = build_world(app)
    missing = []
    for endpoint, method, url, access in routes(app, world):
        if method != "GET" or access is Access.API or _cacheable(app, endpoint):
            continue
        candidates = ("owner", "trainer", "coordinator", "admin")
        actor = next(name for name in candidates if expected(access, name, url) == ALLOWED)
        with world.clients[actor].get(url) as response:
            if "no-store" not in response.headers.get("Cache-Control", ""):
                missing.append((endpoint, actor, response.status_code))
    assert missing == []


def test_private_routes_say_no_store_to_anonymous_visitors_too(app):
    """The sign-in page, registration, password pages and every non-public route are no-store even for a visitor
    with no session; a public catalogue page for a visitor may be cached."""
    world = build_world(app)
    client = world.clients["anonymous"]
    for url in ("/login", "/register", "/reset/" + "x" * 43, "/slip", "/me", "/account", "/admin/", "/workshops/"):
        assert "no-store" in client.get(url).headers.get("Cache-Control", ""), url
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    assert "no-store" not in client.get("/courses/demo").headers.get("Cache-Control", "")


def test_a_page_of_e_mails_is_never_stored(app):
    """The account list (e-mail addresses) says exactly no-store, so it is not left in the disk cache."""
    world = build_world(app)
    admin = world.clients["admin"]
    page = admin.get("/admin/users")
    assert "owner@example.org" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
