"""Every route is classified, and every class is enforced for every kind of person: the URL map is walked, so a
new route cannot slip through (tests/routekit.py builds the sample URLs)."""

from __future__ import annotations

from flask import abort

from greencustoms.access import Access, requires
from greencustoms.certificates.codes import format_code
from greencustoms.extensions import db
from greencustoms.models import AuditEvent
from tests.routekit import (
    ACTORS,
    ALLOWED,
    build_world,
    expected,
    object_routes,
    out_of_scope,
    request_as,
    routes,
    unclassified,
)


def _outcome(response) -> int | str:
    response.close()  # file responses (images, exports) hold their file open until closed
    location = response.headers.get("Location", "")
    if response.status_code in (301, 302, 303) and "/login" in location:
        return 302
    if response.status_code in (401, 403, 404):
        return response.status_code
    return ALLOWED if response.status_code < 400 else response.status_code


def test_every_route_declares_an_access_class(app):
    """No endpoint of the app lacks a class (the list names any that does)."""
    assert unclassified(app) == []


def test_each_url_space_has_the_class_it_promises(app):
    """Pinned where a wrong class would leak: /admin is ADMIN, trainer pages under /workshops are TRAINER, the API
    is API, /coordinator is COORDINATOR, and /me, /account and /exports are never public."""
    world = build_world(app)
    wrong = []
    for endpoint, method, url, access in routes(app, world):
        promised = None
        if url.startswith("/admin"):
            promised = {Access.ADMIN}
        elif url.startswith("/workshops"):
            promised = {Access.TRAINER}
        elif url.startswith("/api/"):
            promised = {Access.API}
        elif url.startswith("/coordinator"):
            promised = {Access.COORDINATOR}
        elif url == "/me" or url.startswith(("/me/", "/account", "/exports/")) or "/attempts/" in url:
            promised = {Access.SIGNED_IN, Access.OWNER}
        if promised and access not in promised:
            wrong.append((endpoint, method, access))
    assert wrong == []


def test_a_new_route_without_a_class_is_named_and_refused(app):
    """The classification check fails on a route added without @requires, and the route is not served."""
    app.add_url_rule("/sneaky", "sneaky", lambda: "secret")
    app.add_url_rule("/declared", "declared", requires(Access.ADMIN)(lambda: "fine"))
    assert unclassified(app) == ["sneaky"]
    assert app.test_client().get("/sneaky").status_code == 403


def test_every_class_is_enforced_for_every_kind_of_person(app):
    """Walk the URL map: each route, each method, each person (anonymous, the owner, another learner, the
    workshop's trainer and co-trainer, another trainer, an administrator) gets what the route's class says."""
    world = build_world(app)
    table = routes(app, world)
    assert {access for *_rest, access in table} == set(Access), "every class has at least one route"
    tokens: dict[str, str] = {}
    wrong = []
    for endpoint, method, url, access in table:
        for actor in ACTORS:
            want = expected(access, actor, url)
            if want == ALLOWED and method != "GET":
                continue  # allowed actions would change the world; their rules have tests of their own
            got = _outcome(request_as(world, actor, method, url, tokens))
            if access is Access.PUBLIC:
                got = got if got in (302, 401, 403) else ALLOWED  # a public page may say "not found" to anyone
            if got != want:
                wrong.append((endpoint, method, actor, want, got))
    assert wrong == []


def test_a_coordinator_reaches_no_object_of_another_country_on_any_route(app):
    """Walk the URL map again with every object argument naming an object of the OTHER country (its learner,
    their certificate, attempt, export, invitation and participation, its workshop, another coordinator's scope
    row): the coordinator of KE gets 401/403/404 on every non-public route and method, never the object, and no
    POST changes anything."""
    world = build_world(app)
    other = out_of_scope(app, world)
    tokens: dict[str, str] = {}
    reached, walked = [], 0
    for endpoint, method, url, _access in object_routes(app, other):
        if app.view_functions[endpoint].access is Access.PUBLIC:
            continue  # public pages (a certificate's verification page; the join page, whose code lets anyone in)
        walked += 1
        got = _outcome(request_as(other, "coordinator", method, url, tokens))
        if got not in (401, 403, 404):
            reached.append((endpoint, method, url, got))
    assert reached == []
    assert walked > 30, "the walk covers the routes that name an object"
    with app.app_context():  # nothing of the other country changed
        from greencustoms.models import Workshop

        assert db.session.get(Workshop, other.ids["workshop"]).title == "Another workshop"


def test_the_api_answers_a_coordinators_token_within_the_scope_only(app):
    """Every API route answers a coordinator's token (200) and names no object of another country: the lists
    hold only the coordinator's learners, the other country's certificate is 404."""
    from greencustoms.api.tokens import create_api_token
    from greencustoms.models import User

    world = build_world(app)
    other = out_of_scope(app, world)
    with app.app_context():
        _token, secret = create_api_token(db.session.get(User, world.ids["coordinator"]), "national")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    for endpoint, method, url, access in routes(app, other):
        if access is not Access.API:
            continue
        with client.open(url, method=method, headers=headers) as response:
            body = response.get_data(as_text=True)
            if endpoint == "api.certificate":
                assert response.status_code == 404, endpoint
            else:
                assert response.status_code == 200, endpoint
            assert f'"learner_id": {world.ids["other_learner"]}' not in body, endpoint
            assert format_code(other.ids["certificate_code"]) not in body, endpoint


def test_api_routes_need_an_administrators_token(app):
    """Every API route answers an administrator's bearer token, and refuses the same request without it."""
    world = build_world(app)
    client = app.test_client()
    for endpoint, method, url, access in routes(app, world):
        if access is Access.API:
            headers = {"Authorization": f"Bearer {world.api_secret}"}
            with client.open(url, method=method, headers=headers) as response:
                assert response.status_code == 200, endpoint
            assert client.open(url, method=method).status_code == 401, endpoint


def test_probes_of_other_peoples_objects_are_audited(app):
    """Another learner asking for the owner's attempt, certificate and export gets 404 like an unknown id, and
    each probe is an access.probe event; an unknown id is no probe."""
    world = build_world(app)
    ids, other = world.ids, world.clients["other_learner"]
    urls = [
        f"/quizzes/demo-basics/attempts/{ids['attempt']}",
        f"/me/certificates/{ids['certificate_code']}.pdf",
        f"/exports/{ids['export']}",
        f"/exports/{ids['export']}/download",
    ]
    for url in urls:
        with other.get(url) as response:
            assert response.status_code == 404, url
    assert world.clients["other_trainer"].get(f"/workshops/{ids['workshop']}/progress").status_code == 404
    for unknown in ("/quizzes/demo-basics/attempts/999999", "/me/certificates/NOPE.pdf", "/exports/nope"):
        assert other.get(unknown).status_code == 404
    with app.app_context():
        events = db.session.execute(db.select(AuditEvent).filter_by(event="access.probe")).scalars().all()
        seen = sorted((event.actor_id, event.target.split(":")[0]) for event in events)
    assert seen == sorted(
        [(ids["other_learner"], kind) for kind in ("attempt", "certificate", "export", "export")]
        + [(ids["other_trainer"], "workshop")]
    )


def test_a_flood_of_probes_does_not_flood_the_audit_log(app):
    """Past PROBE_AUDIT_PER_HOUR probes in an hour, further probes are answered 404 and not audited."""
    app.config["PROBE_AUDIT_PER_HOUR"] = 3
    world = build_world(app)
    url = f"/quizzes/demo-basics/attempts/{world.ids['attempt']}"
    for _ in range(10):
        assert world.clients["other_learner"].get(url).status_code == 404
    with app.app_context():
        events = db.session.execute(db.select(AuditEvent).filter_by(event="access.probe")).scalars().all()
    assert [event.details["count_this_hour"] for event in events] == [1, 2, 3]
    assert "note" in events[-1].details


def test_a_route_class_refuses_before_the_view_runs(app):
    """A refused request never reaches the view (a view that would abort with 418 is not called)."""

    def view():
        abort(418)

    app.add_url_rule("/guarded", "guarded", requires(Access.ADMIN)(view))
    world = build_world(app)
    assert world.clients["other_learner"].get("/guarded").status_code == 403
    assert world.clients["anonymous"].get("/guarded").status_code == 302
    assert world.clients["admin"].get("/guarded").status_code == 418
