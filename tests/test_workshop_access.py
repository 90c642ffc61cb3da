"""Access boundaries: a trainer sees and changes only their own (or co-trained) workshops, a learner no trainer
page, an anonymous visitor is sent to sign in; ids in URLs are never trusted; CSRF on every POST."""

from __future__ import annotations

import pytest

from greencustoms.extensions import db
from greencustoms.models import Workshop, WorkshopParticipant, WorkshopQuiz, WorkshopTrainer
from tests.conftest import csrf_token
from tests.routekit import rule_urls
from tests.workshopkit import add_participants, make_workshop, signed_in


def _routes(app, setting, workshop: int | None = None) -> list[tuple[str, str]]:
    """Every route of one workshop (walked from the URL map, not listed by hand), with real ids."""
    return rule_urls(
        app,
        "workshop_id",
        workshop_id=workshop or setting["workshop"],
        participant_id=setting["participant"],
        user_id=setting["c_id"],
        quiz_slug="demo-basics",
        fmt="pdf",
    )


@pytest.fixture
def setting(app):
    """Trainer A's workshop with a co-trainer C and two participants; trainer B's own workshop."""
    a_id, a = signed_in(app, role="trainer", email="a@example.org", name="Trainer A")
    b_id, b = signed_in(app, role="trainer", email="b@example.org", name="Trainer B")
    c_id, c = signed_in(app, role="trainer", email="c@example.org", name="Trainer C")
    workshop = make_workshop(app, a_id, title="A's workshop")
    other = make_workshop(app, b_id, title="B's workshop")
    add_participants(app, workshop, 2, created=True)
    with app.app_context():
        db.session.add(WorkshopTrainer(workshop_id=workshop, user_id=c_id))
        db.session.commit()
        participant = db.session.execute(db.select(WorkshopParticipant.id).filter_by(workshop_id=workshop)).scalar()
    return {"a": a, "b": b, "c": c, "c_id": c_id, "workshop": workshop, "other": other, "participant": participant}


def _state(app, workshop_id: int):
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        return (
            workshop.title,
            workshop.pre_quiz_slug,
            db.session.execute(
                db.select(db.func.count(WorkshopParticipant.id)).filter_by(workshop_id=workshop_id)
            ).scalar(),
            sorted(
                db.session.execute(
                    db.select(WorkshopQuiz.quiz_slug, WorkshopQuiz.is_open).filter_by(workshop_id=workshop_id)
                ).all()
            ),
            db.session.execute(
                db.select(db.func.count(WorkshopTrainer.id)).filter_by(workshop_id=workshop_id)
            ).scalar(),
        )


def _post(client, url: str, token: str, participant: int):
    data = {
        "csrf_token": token,
        "title": "Hijacked",
        "starts_on": "2026-01-01",
        "ends_on": "2026-01-02",
        "language": "en",
        "email": "b@example.org",
        "participant": str(participant),
        "state": "open",
        "present": str(participant),
        "day": "2026-01-01",
    }
    return client.post(url, data=data)


def test_another_trainer_gets_404_on_every_route_and_changes_nothing(app, setting):
    """Trainer B gets 404 on every page and every action of trainer A's workshop; A's workshop is unchanged."""
    before = _state(app, setting["workshop"])
    token = csrf_token(setting["b"], "/workshops/")
    for method, url in _routes(app, setting):
        response = setting["b"].get(url) if method == "GET" else _post(setting["b"], url, token, setting["participant"])
        assert response.status_code == 404, (method, url)
    assert _state(app, setting["workshop"]) == before
    assert "A&#39;s workshop" not in setting["b"].get("/workshops/").get_data(as_text=True)


def test_ids_of_another_workshop_are_refused_under_ones_own(app, setting):
    """B cannot reach A's participant or co-trainer through B's own workshop URL: 404, nothing changes."""
    before = _state(app, setting["workshop"])
    base = f"/workshops/{setting['other']}"
    token = csrf_token(setting["b"], "/workshops/")
    assert _post(setting["b"], f"{base}/participants/{setting['participant']}/remove", token, 0).status_code == 404
    assert _post(setting["b"], f"{base}/trainers/{setting['c_id']}/remove", token, 0).status_code == 404
    assert _post(setting["b"], f"{base}/slips", token, setting["participant"]).status_code == 404
    assert _state(app, setting["workshop"]) == before


def test_a_learner_gets_403_on_every_trainer_page(app, setting):
    """A learner is refused every trainer route, GET and POST, with 403."""
    _uid, learner = signed_in(app, role="learner", email="l@example.org", name="Lena Learner")
    for url in ["/workshops/", "/workshops/new"]:
        assert learner.get(url).status_code == 403, url
    token = csrf_token(learner, "/")
    for method, url in _routes(app, setting):
        response = learner.get(url) if method == "GET" else _post(learner, url, token, setting["participant"])
        assert response.status_code == 403, (method, url)
    assert "/workshops/" not in learner.get("/").get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_sign_in(app, client, setting):
    """Trainer pages send anonymous visitors to the sign-in page."""
    response = client.get(f"/workshops/{setting['workshop']}/progress")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_admin_sees_every_workshop_and_co_trainer_sees_the_shared_one(app, setting):
    """An administrator sees all workshops; a co-trainer sees A's workshop but not B's."""
    _aid, admin = signed_in(app, role="admin", email="admin@example.org", name="Ada Admin")
    listing = admin.get("/workshops/").get_data(as_text=True)
    assert "A&#39;s workshop" in listing and "B&#39;s workshop" in listing
    pages = [url for method, url in _routes(app, setting) if method == "GET" and not url.endswith((".pdf", ".zip"))]
    assert len(pages) >= 12
    for url in pages:
        assert admin.get(url).status_code == 200, url
        assert setting["c"].get(url).status_code == 200, url
    assert setting["c"].get(f"/workshops/{setting['other']}").status_code == 404


def test_only_owner_or_admin_changes_the_co_trainers(app, setting):
    """A co-trainer may not add or remove co-trainers (403); the owner may."""
    base = f"/workshops/{setting['workshop']}"
    token = csrf_token(setting["c"], base + "/trainers")
    adding = setting["c"].post(base + "/trainers", data={"csrf_token": token, "email": "b@example.org"})
    removing = setting["c"].post(f"{base}/trainers/{setting['c_id']}/remove", data={"csrf_token": token})
    assert (adding.status_code, removing.status_code) == (403, 403)
    token = csrf_token(setting["a"], base + "/trainers")
    added = setting["a"].post(base + "/trainers", data={"csrf_token": token, "email": "b@example.org"})
    assert added.status_code == 303
    assert setting["b"].get(base).status_code == 200
    unknown = setting["a"].post(base + "/trainers", data={"csrf_token": token, "email": "nobody@example.org"})
    assert unknown.status_code == 400 and "No trainer account has this e-mail" in unknown.get_data(as_text=True)


def test_every_post_needs_the_csrf_token(app, setting):
    """Without the CSRF token every workshop POST is refused with 400 and nothing changes."""
    before = _state(app, setting["workshop"])
    for method, url in _routes(app, setting):
        if method == "POST":
            assert setting["a"].post(url, data={"title": "x", "state": "open"}).status_code == 400, url
    assert _state(app, setting["workshop"]) == before


def test_participant_sees_only_their_own_data(app, setting):
    """A participant (learner) has no view of the workshop's other participants: the join page shows no names."""
    from tests.workshopkit import join_code

    _uid, learner = signed_in(app, role="learner", email="p@example.org", name="Pat Participant")
    page = learner.get(f"/join/{join_code(app, setting['workshop'])}").get_data(as_text=True)
    assert "Participant 000" not in page and "Participant 001" not in page


def test_tampered_ids_in_forms_are_refused_cleanly(app, setting):
    """A participant id that is not a small number is a 400, never a 500."""
    base = f"/workshops/{setting['workshop']}"
    token = csrf_token(setting["a"], base + "/participants")
    for field, url in (("participant", "/slips"), ("present", "/attendance")):
        for value in ("abc", "9" * 5000, "-1"):
            assert setting["a"].post(base + url, data={"csrf_token": token, field: value}).status_code == 400
