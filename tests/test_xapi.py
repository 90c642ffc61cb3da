"""xAPI: statements of lessons, quizzes and certificates reach a real Ralph LRS through the durable outbox, survive
an LRS outage and an app restart with none lost or duplicated, and a replay fills a new LRS."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest

from greencustoms.content import get_catalog
from greencustoms.extensions import db
from greencustoms.models import QuizAttempt, XapiStatement, utcnow
from greencustoms.signals import attempt_graded
from greencustoms.xapi import statements
from greencustoms.xapi.history import replay
from greencustoms.xapi.outbox import backoff, deliver
from tests.conftest import FIXTURE_CONTENT, post_form
from tests.lrskit import Ralph, ralph_installed

pytestmark = pytest.mark.skipif(
    not ralph_installed(), reason="Ralph LRS missing: run scripts/ensure-test-tools.sh (make test does)"
)


@pytest.fixture
def lrs(tmp_path):
    """A running Ralph LRS; stopped after the test."""
    server = Ralph(tmp_path / "lrs")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def learning_app(tmp_path, other_app):
    """The demo course completed by lessons only (so a certificate follows the last lesson), no job consumer."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    course = root / "courses" / "demo.yaml"
    course.write_text(course.read_text().replace("  quizzes: all", "  quizzes: []"))
    return lambda **config: other_app(CONTENT_ROOT=str(root), JOBS_CONSUMER="external", **config)


def _learn(app, email="officer@example.org") -> int:
    """A learner completes every lesson (certificate issued) and takes a quiz twice (failed, then passed)."""
    from greencustoms.auth.service import create_user

    with app.app_context():
        user_id = create_user(email=email, full_name="Amina Njoroge", password="correct horse battery").id
        urls = [f"/courses/demo/{m.slug}/{lesson.slug}" for m, lesson in get_catalog().lesson_sequence("demo")]
    client = app.test_client()
    post_form(client, "/login", {"email": email, "password": "correct horse battery"})
    for url in urls:
        assert post_form(client, url + "/complete", token_from=url).status_code in (200, 302, 303)
    with app.app_context():
        for number, score in enumerate((40.0, 90.0), start=1):
            attempt = QuizAttempt(
                user_id=user_id,
                quiz_slug="demo-basics",
                quiz_version="v1",
                number=number,
                pass_mark=70,
                status="submitted",
                submitted_at=utcnow(),
                score=score,
                passed=score >= 70,
                questions=[],
            )
            db.session.add(attempt)
            db.session.commit()
            attempt_graded.send(
                app, user_id=user_id, quiz_slug="demo-basics", attempt_id=attempt.id, score=score, passed=score >= 70
            )
    return user_id


def _outbox(app) -> list[XapiStatement]:
    with app.app_context():
        return list(db.session.execute(db.select(XapiStatement).order_by(XapiStatement.id)).scalars())


def test_nothing_is_recorded_without_an_lrs(learning_app):
    """With no XAPI_LRS_URL the outbox stays empty."""
    app = learning_app()
    _learn(app)
    assert _outbox(app) == []


def test_statements_reach_the_lrs_and_read_back(learning_app, lrs):
    """Lesson completed, quiz attempted/failed/passed with score, certificate earned: stored by Ralph as sent."""
    app = learning_app(**lrs.config())
    user_id = _learn(app)
    rows = _outbox(app)
    verbs = [row.verb for row in rows]
    lessons = verbs.count("completed")
    assert lessons >= 2 and verbs.count("earned") == 1
    assert verbs.count("attempted") == 2 and verbs.count("failed") == 1 and verbs.count("passed") == 1
    with app.app_context():
        result = deliver()
    assert (result.sent, result.failed, result.pending) == (len(rows), 0, 0)
    stored = {s["id"]: s for s in lrs.statements()}
    assert set(stored) == {row.statement_id for row in rows}
    passed = next(s for s in stored.values() if s["verb"]["id"].endswith("/passed"))
    assert passed["result"]["score"] == {"scaled": 0.9, "raw": 90.0, "min": 0, "max": 100}
    assert passed["result"]["success"] is True
    assert passed["actor"]["account"]["name"] == str(user_id) and "mbox" not in passed["actor"]
    earned = next(s for s in stored.values() if s["verb"]["id"] == statements.VERBS["earned"])
    assert earned["object"]["id"].endswith("/courses/demo")


def test_outage_and_restart_lose_nothing_and_duplicate_nothing(learning_app, lrs):
    """LRS down: statements wait with back-off. App restarted, LRS back: all delivered once; sending again or
    replaying adds nothing to the LRS."""
    app = learning_app(**lrs.config(), XAPI_RETRY_SECONDS=60)
    lrs.stop()
    _learn(app)
    count = len(_outbox(app))
    with app.app_context():
        down = deliver()
        assert (down.sent, down.failed, down.pending) == (0, 1, count)  # stops at the first failure
        again = deliver()
        assert (again.sent, again.failed) == (0, 0)  # all wait the back-off
    first = _outbox(app)[0]
    assert first.attempts == 1 and first.last_error and first.next_attempt_at > utcnow() + timedelta(seconds=50)

    lrs.start()
    restarted = learning_app(**lrs.config(), XAPI_RETRY_SECONDS=60)  # a new process: only the database is shared
    with restarted.app_context():
        back = deliver(now=utcnow() + timedelta(minutes=2))
    assert (back.sent, back.pending) == (count, 0)
    stored = lrs.statements()
    assert len(stored) == count == len({s["id"] for s in stored})

    with restarted.app_context():
        assert deliver(now=utcnow() + timedelta(hours=2)).sent == 0
        new, pending = replay()
        assert (new, pending) == (0, count)
        assert deliver().sent == count
    assert len(lrs.statements()) == count


def test_replay_fills_a_new_lrs(learning_app, lrs, tmp_path):
    """`flask xapi replay` rebuilds the same statements (same ids) from the records and sends them to a new LRS."""
    app = learning_app(**lrs.config())
    _learn(app)
    with app.app_context():
        deliver()
        db.session.execute(db.delete(XapiStatement))  # even with the outbox lost, history rebuilds it
        db.session.commit()
    old_ids = {s["id"] for s in lrs.statements()}
    new_lrs = Ralph(tmp_path / "new-lrs")
    new_lrs.start()
    try:
        moved = learning_app(**new_lrs.config())
        result = moved.test_cli_runner().invoke(args=["xapi", "replay"])
        assert result.exit_code == 0, result.output
        assert {s["id"] for s in new_lrs.statements()} == old_ids
    finally:
        new_lrs.stop()


def test_backoff_doubles_up_to_the_maximum(app):
    """Retries wait 30 s, 60 s, 120 s ... never more than an hour."""
    with app.app_context():
        assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
        assert backoff(40).total_seconds() == 3600


def test_a_refused_statement_waits_and_the_others_go(learning_app, lrs):
    """A statement the LRS refuses (400) stays in the outbox with its error; the ones after it are delivered."""
    app = learning_app(**lrs.config())
    _learn(app)
    with app.app_context():
        broken = XapiStatement(
            statement_id="00000000-0000-4000-8000-000000000001",
            verb="completed",
            statement={"id": "00000000-0000-4000-8000-000000000001", "verb": {"id": "not an IRI"}},
            next_attempt_at=utcnow() - timedelta(days=1),  # due first
        )
        db.session.add(broken)
        db.session.commit()
        result = deliver()
        total = db.session.execute(db.select(db.func.count(XapiStatement.id))).scalar_one()
        kept = db.session.execute(db.select(XapiStatement).filter_by(statement_id=broken.statement_id)).scalar_one()
        assert (result.sent, result.failed, result.pending) == (total - 1, 1, 1)
        assert kept.sent_at is None and "400" in kept.last_error and kept.attempts == 1
    assert broken.statement_id not in {s["id"] for s in lrs.statements()}
    status = app.test_cli_runner().invoke(args=["xapi", "status"])
    assert "waiting: 1" in status.output and "400" in status.output


def test_a_recording_failure_never_breaks_the_learner(learning_app, monkeypatch, caplog):
    """If the outbox cannot be written, the lesson is still completed and the certificate issued; it is logged."""
    from greencustoms.models import Certificate
    from greencustoms.xapi import receivers

    def broken(*_args, **_kwargs):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(receivers, "record", broken)
    app = learning_app(XAPI_LRS_URL="http://127.0.0.1:9/xAPI/")
    _learn(app)
    with app.app_context():
        assert db.session.execute(db.select(Certificate)).scalar_one().holder_name == "Amina Njoroge"
    assert _outbox(app) == [] and "not recorded" in caplog.text


def test_the_background_worker_sends_new_statements(learning_app, lrs):
    """Recording a statement queues a sending run: a real job consumer delivers them to the LRS unprompted."""
    import time

    app = learning_app(**lrs.config())
    runner = app.extensions["jobs"]
    runner.start_thread_consumer()
    try:
        _learn(app)
        expected = {row.statement_id for row in _outbox(app)}
        deadline = time.monotonic() + 60
        while {s["id"] for s in lrs.statements()} != expected and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        runner.stop_thread_consumer()
    assert {s["id"] for s in lrs.statements()} == expected
    assert all(row.sent_at is not None for row in _outbox(app))


def test_each_scenario_decision_is_a_statement_sent_once(learning_app, lrs):
    """A scenario step decided on the take page becomes a "responded" statement (the step, the choice) that the
    LRS stores; the next decision adds one more; a replay adds none."""
    from tests.quiz.helpers import fields_for, load, start

    app = learning_app(**lrs.config())
    with app.app_context():
        from greencustoms.auth.service import create_user

        create_user(email="officer@example.org", full_name="Amina Njoroge", password="correct horse battery")
        quiz = get_catalog().quizzes["demo-practice"]
    client = app.test_client()
    post_form(client, "/login", {"email": "officer@example.org", "password": "correct horse battery"})
    attempt_id = start(client, "demo-practice")
    entry = next(e for e in load(app, attempt_id).layout if e["type"] == "scenario")

    def decide() -> None:
        row = load(app, attempt_id)
        data = {"revision": str(row.revision), "go": "stay", "shown": [entry["id"]]}
        data.update(fields_for(quiz, entry, saved=row.answers.get(entry["id"])))
        response = post_form(client, f"/quizzes/demo-practice/attempts/{attempt_id}", data, token_from="/")
        assert response.status_code == 303, response.get_data(as_text=True)

    decide()
    first = [row for row in _outbox(app) if row.verb == "responded"]
    assert len(first) == 1
    decide()
    path = load(app, attempt_id).answers[entry["id"]]
    responded = [row for row in _outbox(app) if row.verb == "responded"]
    assert len(path) == 2 and len(responded) == 2 and responded[0].statement_id == first[0].statement_id
    with app.app_context():
        assert deliver().sent == 2
        new, _pending = replay(resend=False)
    assert new == 0
    stored = [s for s in lrs.statements() if s["verb"]["id"] == statements.VERBS["responded"]]
    assert sorted(s["result"]["response"] for s in stored) == sorted(choice for _step, choice in path)
    assert {s["object"]["id"].rsplit("/steps/", 1)[1] for s in stored} == {step for step, _choice in path}
