"""The route fixture kit: a small world of people and objects, and a sample URL for every route of the app.

A new route needs only its class (`@requires(Access.X)` on the view). When its URL has an argument no route had
before, add a sample-maker to SAMPLES (keyed by the argument name) or, when the name means different things on
different routes, to OVERRIDES (keyed by endpoint and argument name).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from flask import url_for

from greencustoms.access import Access
from greencustoms.api.tokens import create_api_token
from greencustoms.certificates.codes import format_code, generate_code
from greencustoms.content import get_catalog
from greencustoms.exports.jobs import export_folder
from greencustoms.extensions import db
from greencustoms.models import (
    Certificate,
    CoordinatorScope,
    ExportJob,
    ProfileField,
    User,
    Workshop,
    WorkshopInvitation,
    WorkshopParticipant,
    WorkshopTrainer,
    utcnow,
)
from greencustoms.quiz import clock
from greencustoms.quiz.service import start_attempt
from tests.adminkit import signed_in
from tests.conftest import csrf_token
from tests.workshopkit import make_workshop

UNCLASSIFIED_OK = {"static"}  # Flask's own static files


@dataclass
class World:
    """Who is who (a signed-in client per actor, None for the anonymous visitor) and the objects they own."""

    clients: dict[str, object]
    ids: dict[str, object] = field(default_factory=dict)
    api_secret: str = ""


ACTORS = ("anonymous", "owner", "other_learner", "trainer", "co_trainer", "other_trainer", "coordinator", "admin")
COUNTRY, OTHER_COUNTRY = "KE", "TZ"  # the coordinator's country (the owner's, the workshop's) and another


def build_world(app) -> World:
    """Learner "owner" (a participant of the workshop, with an attempt, a certificate and an export), another
    learner, the workshop's trainer and co-trainer, another trainer with a workshop of their own, the national
    coordinator of the owner's country (a learner account with a scope: KE, where the trainer's workshop is
    declared; the other learner and the other workshop are in TZ), an admin."""
    clients = {"anonymous": app.test_client()}
    ids = {}
    for actor, role, country in (
        ("owner", "learner", COUNTRY),
        ("other_learner", "learner", OTHER_COUNTRY),
        ("trainer", "trainer", COUNTRY),
        ("co_trainer", "trainer", COUNTRY),
        ("other_trainer", "trainer", OTHER_COUNTRY),
        ("coordinator", "learner", COUNTRY),
        ("admin", "admin", ""),
    ):
        ids[actor], clients[actor] = signed_in(
            app, role=role, email=f"{actor}@example.org", name=actor.title(), country=country
        )
    ids["workshop"] = make_workshop(app, ids["trainer"], title="The trainer's workshop", country=COUNTRY)
    ids["other_workshop"] = make_workshop(app, ids["other_trainer"], title="Another workshop", country=OTHER_COUNTRY)
    with app.app_context():
        scope = CoordinatorScope(user_id=ids["coordinator"], country=COUNTRY, organisation="")
        db.session.add(scope)
        db.session.commit()
        ids["scope"] = scope.id
        db.session.add(WorkshopTrainer(workshop_id=ids["workshop"], user_id=ids["co_trainer"]))
        participant = WorkshopParticipant(workshop_id=ids["workshop"], user_id=ids["owner"], via="code")
        db.session.add(participant)
        db.session.commit()
        ids["participant"] = participant.id
        ids["join_code"] = db.session.get(Workshop, ids["workshop"]).join_code
        catalog = get_catalog()
        ids["attempt"] = start_attempt(ids["owner"], catalog.quiz("demo-basics"), clock.now()).id
        certificate = Certificate(
            code=generate_code(),
            user_id=ids["owner"],
            course_slug="demo",
            holder_name="Owner",
            course_title="Demo",
            content_version="v1",
            issuing_body="Test",
        )
        db.session.add(certificate)
        stored = f"{secrets.token_hex(8)}.csv"
        (export_folder() / stored).write_text("a,b\n")
        job = ExportJob(
            token=secrets.token_urlsafe(32),
            user_id=ids["owner"],
            kind="completions",
            format="csv",
            params={},
            status="done",
            stored_as=stored,
            file_name="export.csv",
            expires_at=utcnow() + timedelta(hours=1),
        )
        db.session.add(job)
        db.session.commit()
        ids["certificate"], ids["certificate_code"], ids["export"] = certificate.id, certificate.code, job.token
        invitation = WorkshopInvitation(workshop_id=ids["other_workshop"], user_id=ids["owner"])
        db.session.add(invitation)
        db.session.commit()
        ids["invitation"] = invitation.id
        _token, secret = create_api_token(db.session.get(User, ids["admin"]), "walk")
        profile_field = ProfileField(key="staff_number", label="Staff number", kind="text", options=[], position=1)
        db.session.add(profile_field)
        db.session.commit()
        ids["profile_field"] = profile_field.id
    return World(clients=clients, ids=ids, api_secret=secret)


def _objects_of(app, learner_id: int, workshop_id: int, invite_to: int) -> dict[str, object]:
    """A participation, an attempt, a certificate, an export job and an invitation of one learner."""
    with app.app_context():
        participant = WorkshopParticipant(workshop_id=workshop_id, user_id=learner_id, via="code")
        db.session.add(participant)
        certificate = Certificate(
            code=generate_code(),
            user_id=learner_id,
            course_slug="demo",
            holder_name="Someone",
            course_title="Demo",
            content_version="v1",
            issuing_body="Test",
        )
        db.session.add(certificate)
        stored = f"{secrets.token_hex(8)}.csv"
        (export_folder() / stored).write_text("a,b\n")
        job = ExportJob(
            token=secrets.token_urlsafe(32),
            user_id=learner_id,
            kind="completions",
            format="csv",
            params={},
            status="done",
            stored_as=stored,
            file_name="export.csv",
            expires_at=utcnow() + timedelta(hours=1),
        )
        db.session.add(job)
        invitation = WorkshopInvitation(workshop_id=invite_to, user_id=learner_id)
        db.session.add(invitation)
        db.session.commit()
        attempt = start_attempt(learner_id, get_catalog().quiz("demo-basics"), clock.now())
        return {
            "participant": participant.id,
            "attempt": attempt.id,
            "certificate": certificate.id,
            "certificate_code": certificate.code,
            "export": job.token,
            "invitation": invitation.id,
        }


def out_of_scope(app, world: World) -> World:
    """The same world seen through the objects of the OTHER country (TZ): every sample URL names the other
    learner, their certificate, attempt, export, invitation and participation, the other workshop, another
    coordinator's scope row. For the coordinator of KE, every such URL must be refused."""
    ids = dict(world.ids)
    learner, workshop = ids["other_learner"], ids["other_workshop"]
    ids.update(_objects_of(app, learner, workshop, invite_to=workshop))
    with app.app_context():
        other_scope = CoordinatorScope(user_id=ids["other_trainer"], country=OTHER_COUNTRY, organisation="")
        db.session.add(other_scope)
        db.session.commit()
        ids["scope"] = other_scope.id
        ids["join_code"] = db.session.get(Workshop, workshop).join_code
    ids.update(owner=learner, workshop=workshop)
    return World(clients=world.clients, ids=ids, api_secret=world.api_secret)


OBJECT_ARGUMENTS = {
    "workshop_id",
    "participant_id",
    "user_id",
    "learner_id",
    "certificate_id",
    "attempt_id",
    "code",
    "token",
    "invitation_id",
    "scope_id",
    "token_id",
}


def object_routes(app, world: World):
    """`routes` limited to URLs that name an object (a learner, workshop, certificate, export...)."""
    with_objects = {rule.endpoint for rule in app.url_map.iter_rules() if rule.arguments & OBJECT_ARGUMENTS}
    return [route for route in routes(app, world) if route[0] in with_objects]


def _lesson(world: World, part: str) -> str:
    module, lesson = get_catalog().lesson_sequence("demo")[0]
    return {"module": module.slug, "lesson": lesson.slug}[part]


SAMPLES = {
    "workshop_id": lambda w: w.ids["workshop"],
    "participant_id": lambda w: w.ids["participant"],
    "user_id": lambda w: w.ids["other_learner"],
    "token_id": lambda w: 1,
    "certificate_id": lambda w: w.ids["certificate"],
    "attempt_id": lambda w: w.ids["attempt"],
    "quiz_slug": lambda w: "demo-basics",
    "course_slug": lambda w: "demo",
    "module_slug": lambda w: _lesson(w, "module"),
    "lesson_slug": lambda w: _lesson(w, "lesson"),
    "module": lambda w: "demo-basics",
    "code": lambda w: format_code(w.ids["certificate_code"]),
    "token": lambda w: w.ids["export"],
    "fmt": lambda w: "pdf",
    "invitation_id": lambda w: w.ids["invitation"],
    "learner_id": lambda w: w.ids["owner"],
    "scope_id": lambda w: w.ids["scope"],
    "field_id": lambda w: w.ids["profile_field"],
}
OVERRIDES = {
    ("workshops.join", "code"): lambda w: w.ids["join_code"],
    ("workshops.slip", "token"): lambda w: "X" * 13,
    ("password_reset.form", "token"): lambda w: "x" * 43,
    ("content.module_media", "filename"): lambda w: "flow.svg",
    ("content.quiz_media", "filename"): lambda w: "label.svg",
    ("certificates.download", "code"): lambda w: w.ids["certificate_code"],
    ("admin.audit_export", "fmt"): lambda w: "csv",
}


def unclassified(app) -> list[str]:
    """Endpoints whose view declares no access class."""
    return sorted(
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint not in UNCLASSIFIED_OK and getattr(view, "access", None) is None
    )


def routes(app, world: World):
    """(endpoint, method, url, class) for every classified rule and method, with sample URL arguments."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in UNCLASSIFIED_OK:
            continue
        view = app.view_functions[rule.endpoint]
        with app.test_request_context():
            args = {}
            for name in rule.arguments:
                maker = OVERRIDES.get((rule.endpoint, name)) or SAMPLES.get(name)
                assert maker, f"{rule.endpoint}: add a sample for the URL argument {name!r} in tests/routekit.py"
                args[name] = maker(world)
            url = url_for(rule.endpoint, **args)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            access = view.access_post if method == "POST" else view.access
            found.append((rule.endpoint, method, url, access))
    return found


REFUSED = "refused"  # sign-in redirect, 401, 403 or 404 as the table below says
ALLOWED = "allowed"


def expected(access: Access, actor: str, url: str) -> int | str:
    """What `actor` must get from a route of class `access`: a status code, or ALLOWED."""
    if access is Access.PUBLIC:
        return ALLOWED
    if actor == "anonymous":
        return 401 if access is Access.API else 302
    if access is Access.API:
        return 401  # a session cookie is no API token
    if access is Access.SIGNED_IN:
        return ALLOWED
    if access is Access.OWNER:
        return ALLOWED if actor == "owner" else 404
    if access is Access.ADMIN:
        return ALLOWED if actor == "admin" else 403
    if access is Access.COORDINATOR:
        return ALLOWED if actor == "coordinator" else 403
    # TRAINER: trainers of this workshop and its country's coordinator pass; learners get 403; another trainer
    # gets 404 for this workshop
    if actor in ("owner", "other_learner"):
        return 403
    if actor == "other_trainer" and "/workshops/" in url and url.rstrip("/") not in ("/workshops", "/workshops/new"):
        return 404
    return ALLOWED


def request_as(world: World, actor: str, method: str, url: str, tokens: dict[str, str]):
    """One request by `actor`; POSTs carry that client's CSRF token so that only the access rule can refuse."""
    client = world.clients[actor]
    if method == "GET":
        return client.get(url)
    if actor not in tokens:
        tokens[actor] = csrf_token(client, "/login" if actor == "anonymous" else "/")
    return client.open(url, method=method, data={"csrf_token": tokens[actor]})


def rule_urls(app, needed: str, **values) -> list[tuple[str, str]]:
    """(method, url) for every rule whose URL has the argument `needed`, filled from `values` (a rule with an
    argument missing from `values` is an error: give it a value)."""
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if needed in rule.arguments:
                missing = rule.arguments - values.keys()
                assert not missing, f"{rule.endpoint}: give a value for {sorted(missing)}"
                url = url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})
                found.extend((method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"}))
    return found
