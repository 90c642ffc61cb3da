"""Hostile requests on every route: no query string and no form, whoever sends it, gets a server error.

Walks the URL map (tests/routekit.py: a sample URL for every route and a world of people who may or may not use
it) and sends each GET route hostile query strings, and each POST route hostile values in the form fields the
platform's forms use, as the people the route is for and the people it is not for. Every answer must be a page or
a 4xx: a 5xx would be a bug that an attacker or a mistyped link can reach.
"""

from __future__ import annotations

from collections import Counter

from tests.conftest import csrf_token
from tests.routekit import build_world, routes

QUERIES = [
    "page=-1",
    "page=99999999999999999999",
    "page=abc",
    "page=1&page=2",
    "q=%27%20OR%201%3D1--",
    "q=" + "a" * 5000,
    "q[]=1",
    "lang=zz",
    "next=//evil.example",
    "format=xml",
    "status=%F0%9F%92%A9",
    "sort=__class__",
    "course=../../etc",
    "country=ZZZ",
    "from=2026-13-45",
    "to=not-a-date",
    "since=NaN",
    "limit=-5",
    "offset=1e9",
    "v=%FF%FE",
]
FIELDS = [
    "email", "full_name", "name", "title", "password", "username", "lang", "next", "code", "text", "answer",
    "country", "starts_on", "ends_on", "course_slug", "reason", "label", "key", "kind", "options", "value",
    "participant_ids", "present", "direction", "role", "format", "quiz_slug", "go", "token", "day",
]  # fmt: skip
VALUES = [
    "",
    "x" * 20_000,
    "-1",
    "99999999999999999999",
    "2026-02-30",
    "../../etc/passwd",
    "=cmd|' /C calc'!A0",
    "<script>alert(1)</script>",
    "\u202e",
    "[]",
    "1e309",
    "NaN",
]
# POST routes that end the sender's own sessions: after them the rest of the walk would only meet sign-in pages
ENDS_SESSIONS = {"auth.logout", "auth.sign_out_everywhere"}


def test_no_get_route_answers_a_hostile_query_string_with_a_server_error(app):
    """Twenty hostile query strings on every GET route, as a visitor, a learner, a trainer, a coordinator and an
    administrator: never a 5xx."""
    world = build_world(app)
    errors = []
    for endpoint, method, url, _access in routes(app, world):
        if method != "GET":
            continue
        for actor in ("anonymous", "owner", "trainer", "coordinator", "admin"):
            for query in QUERIES:
                response = world.clients[actor].get(url + ("&" if "?" in url else "?") + query)
                if response.status_code >= 500:
                    errors.append((endpoint, actor, query[:30], response.status_code))
                response.close()  # file downloads hold their file open until closed
    assert errors == []


def test_no_post_route_answers_a_hostile_form_with_a_server_error(app):
    """Every POST route (with a valid CSRF token, so that the form itself is read) gets forms whose every usual
    field holds an empty, huge, negative, out-of-range, malformed, formula, markup or bidi-override value, as a
    learner, a trainer and an administrator: never a 5xx."""
    world = build_world(app)
    errors, statuses = [], Counter()
    tokens = {actor: csrf_token(world.clients[actor], "/") for actor in ("owner", "trainer", "admin")}
    for endpoint, method, url, _access in routes(app, world):
        if method != "POST" or endpoint in ENDS_SESSIONS:
            continue
        for actor, token in tokens.items():
            for value in VALUES:
                response = world.clients[actor].post(url, data={**dict.fromkeys(FIELDS, value), "csrf_token": token})
                statuses[response.status_code] += 1
                if response.status_code >= 500:
                    errors.append((endpoint, actor, value[:30], response.status_code))
                response.close()
    assert errors == []
    # the walk reached the forms' own rules and the access rules, not only sign-in redirects
    assert statuses[400] > 100 and statuses[403] > 100 and statuses[404] > 50
