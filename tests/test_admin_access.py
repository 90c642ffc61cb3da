"""Administration pages: the routes exist, CSRF holds, the navigation shows them to administrators only. (That
every /admin route refuses learners, trainers and anonymous visitors is proven by walking the URL map in
tests/test_route_access.py.)"""

from __future__ import annotations

from tests.adminkit import signed_in


def _admin_routes(app) -> list[tuple[str, str]]:
    """(method, url) for every rule under /admin, with 1 for every id in the path."""
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/admin"):
            with app.test_request_context():
                from flask import url_for

                url = url_for(rule.endpoint, **{name: 1 for name in rule.arguments})
            routes.extend((method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"}))
    return routes


def test_admin_area_has_the_expected_routes(app):
    """The route list used below is not empty and covers the pages of issue 6, GET and POST."""
    routes = _admin_routes(app)
    urls = {url for _method, url in routes}
    assert {
        "/admin/",
        "/admin/users",
        "/admin/audit",
        "/admin/exports",
        "/admin/exports/completions",
        "/admin/api-tokens",
        "/admin/users/1",
        "/admin/users/1/disable",
    } <= urls
    assert sum(1 for method, _url in routes if method == "POST") >= 8


def test_admin_post_without_csrf_token_is_refused(app):
    """An administrator's POST without the CSRF token gets 400 and the account stays as it was."""
    _admin_id, client = signed_in(app)
    learner_id, _learner = signed_in(app, role="learner")
    response = client.post(f"/admin/users/{learner_id}/disable")
    assert response.status_code == 400
    assert "expired or was not sent from this site" in response.get_data(as_text=True)
    from greencustoms.extensions import db
    from greencustoms.models import User

    with app.app_context():
        assert db.session.get(User, learner_id).active is True


def test_admin_link_shown_to_admins_only(app):
    """The "Admin" navigation link appears for administrators and not for learners."""
    _admin_id, admin = signed_in(app)
    _learner_id, learner = signed_in(app, role="learner")
    assert 'href="/admin/"' in admin.get("/me").get_data(as_text=True)
    assert 'href="/admin/"' not in learner.get("/me").get_data(as_text=True)
