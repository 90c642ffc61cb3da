"""Background jobs: a real Huey consumer (threads of the test process) on a real SQLite queue file and on Redis
(db 3); exports started only by a POST, limited per person and in total, downloadable only by their owner, deleted
after their time; timed quiz attempts closed and graded without their owner; periodic work is one declaration."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis

from greencustoms import jobs
from greencustoms.content import get_catalog
from greencustoms.exports.jobs import expire_exports
from greencustoms.extensions import db
from greencustoms.models import Certificate, ExportJob, LessonProgress, QuizAttempt
from greencustoms.quiz import service
from greencustoms.quiz.tasks import close_overdue_attempts
from tests.adminkit import T0, add_learner, add_record, audit_events, signed_in
from tests.conftest import FIXTURE_CONTENT, csrf_token, make_app, post_form, private_files
from tests.exportkit import export_file, job_state, start, wait_for_job
from tests.quiz.helpers import BASICS, WASTE, right_answers

REDIS_URL = "redis://127.0.0.1:6379/3"  # this branch's own Redis database


@jobs.task
def _echo(value: str) -> str:
    """A declared task for the tests: returns what it was given."""
    return f"echo {value}"


def _wait(predicate, what: str) -> None:
    """Wait until `predicate()` is true (a hang fails the test; this is no speed check)."""
    pause = threading.Event()
    for _ in range(6000):
        if predicate():
            return
        pause.wait(0.05)
    raise AssertionError(f"never happened: {what}")


def _jobs(app) -> list[ExportJob]:
    with app.app_context():
        rows = db.session.execute(db.select(ExportJob)).scalars().all()
        db.session.expunge_all()
        return rows


def test_a_get_or_a_cross_site_post_cannot_start_an_export(app):
    """GET on the export URL is refused (405) and a POST without the session's CSRF token is refused (400): no job,
    no audit event. The same for the workshop results file."""
    _admin_id, client = signed_in(app)
    assert client.get("/admin/exports/completions?format=csv").status_code == 405
    assert client.post("/admin/exports/completions", data={"format": "csv"}).status_code == 400
    assert client.get("/workshops/1/results.csv").status_code == 404
    assert _jobs(app) == [] and audit_events(app, "export.completions") == []


def test_exports_are_limited_per_person_and_in_total(app):
    """Without a worker the jobs wait: a person's third export is refused with 429 and a message, and so is anyone's
    export once the platform-wide limit is reached."""
    app.config.update(EXPORT_JOBS_PER_USER=2, EXPORT_JOBS_TOTAL=3)
    _a, first = signed_in(app, email="a@example.org")
    _b, second = signed_in(app, email="b@example.org")
    start(first, {"format": "csv"}, "/admin/exports/completions", "/admin/exports")
    start(first, {"format": "json"}, "/admin/exports/completions", "/admin/exports")
    refused = post_form(first, "/admin/exports/completions", {"format": "csv"}, token_from="/admin/exports")
    assert refused.status_code == 429 and "already have exports" in refused.get_data(as_text=True)
    start(second, {"format": "csv"}, "/admin/exports/completions", "/admin/exports")
    busy = post_form(second, "/admin/exports/completions", {"format": "csv"}, token_from="/admin/exports")
    assert busy.status_code == 429 and "Many exports" in busy.get_data(as_text=True)
    assert [job.status for job in _jobs(app)] == ["queued"] * 3


def test_only_the_person_who_asked_sees_the_job_and_gets_the_file(app, worker):
    """Another administrator (or anyone else) gets 404 on the job page and the download; the owner gets the file."""
    _owner_id, owner = signed_in(app, email="owner@example.org")
    _other_id, other = signed_in(app, email="other@example.org")
    with app.app_context():
        add_record(add_learner("Zoé Núñez"), completed=T0)
    response = export_file(app, owner, {"format": "csv"})
    assert "Zoé Núñez" in response.data.decode("utf-8-sig")
    [job] = _jobs(app)
    assert other.get(f"/exports/{job.token}").status_code == 404
    assert other.get(f"/exports/{job.token}/download").status_code == 404
    assert app.test_client().get(f"/exports/{job.token}/download").status_code in (302, 401)
    assert response.headers["Cache-Control"] == "no-store"


def test_finished_files_expire_and_are_deleted(app, worker):
    """After EXPORT_FILE_HOURS the clean-up deletes the file; the page says so and the download is gone."""
    _admin_id, client = signed_in(app)
    export_file(app, client, {"format": "json"})
    [job] = _jobs(app)
    path = Path(app.config["EXPORT_FOLDER"]) / job.stored_as
    assert path.is_file() and job.expires_at > job.finished_at
    with app.app_context():
        assert expire_exports(job.expires_at - timedelta(minutes=1)) == 0
        assert expire_exports(job.expires_at + timedelta(minutes=1)) == 1
    assert not path.exists() and job_state(app, job.token).status == "expired"
    assert client.get(f"/exports/{job.token}/download").status_code == 404
    assert "deleted" in client.get(f"/exports/{job.token}").get_data(as_text=True)


def test_a_failed_export_says_so_and_leaves_no_file(app, worker):
    """A job whose workshop is gone (or no longer visible to the person) fails cleanly: a message, no half file."""
    from greencustoms.exports.jobs import start_export

    admin_id, client = signed_in(app)
    with app.app_context():
        token = start_export(admin_id, "workshop_results", "csv", {"workshop": 999999}, "en").token
    assert wait_for_job(app, token).status == "failed"
    assert "could not be written" in client.get(f"/exports/{token}").get_data(as_text=True)
    assert list(Path(app.config["EXPORT_FOLDER"]).iterdir()) == []


def test_job_page_shows_progress_and_refreshes_itself_without_javascript(app):
    """While waiting or running the page carries a meta refresh, a progress bar and a plain Refresh link."""
    _admin_id, client = signed_in(app)
    token = start(client, {"format": "csv"}, "/admin/exports/completions", "/admin/exports")
    page = client.get(f"/exports/{token}").get_data(as_text=True)
    assert '<meta http-equiv="refresh"' in page and "<progress" in page and f'href="/exports/{token}"' in page
    assert "<script" not in page
    listing = client.get("/admin/exports").get_data(as_text=True)
    assert f"/exports/{token}" in listing


def test_a_declared_task_runs_on_the_sqlite_queue_file(app, worker):
    """enqueue() returns at once; the consumer thread runs the task from the SQLite file and keeps its result."""
    assert Path(app.config["JOBS_URL"].removeprefix("sqlite:///")).is_file()
    with app.app_context():
        result = jobs.enqueue(_echo, "hello")
    assert result.get(blocking=True, timeout=60) == "echo hello"


def test_an_undeclared_function_cannot_be_enqueued(app):
    """Only declared tasks run in the background: anything else is refused at once."""
    with app.app_context(), pytest.raises(jobs.UnknownTask):
        jobs.enqueue(print, "x")


def test_periodic_work_is_one_declaration_and_is_scheduled(app):
    """Every @periodic declaration is a periodic task of the app's queue, due at the minutes its crontab names."""
    queue = jobs.runner(app).queue
    every_minute = {task.name for task in queue.read_periodic(datetime(2026, 3, 2, 9, 1, tzinfo=UTC))}
    assert "greencustoms.quiz.tasks.close_overdue_attempts" in every_minute
    assert "greencustoms.exports.jobs.expire_export_files" not in every_minute
    at_ten = {task.name for task in queue.read_periodic(datetime(2026, 3, 2, 9, 10, tzinfo=UTC))}
    assert "greencustoms.exports.jobs.expire_export_files" in at_ten


def test_the_web_process_starts_its_consumer_only_when_configured(app, _schema, tmp_path):
    """JOBS_CONSUMER="thread" (development) starts a consumer with the first request; "external" (production and
    tests) never does."""
    assert app.config["JOBS_CONSUMER"] == "external"
    app.test_client().get("/healthz")
    assert jobs.runner(app).consumer is None
    dev = make_app(_schema, JOBS_CONSUMER="thread", **private_files(tmp_path / "dev"))
    try:
        dev.test_client().get("/healthz")
        assert jobs.runner(dev).consumer is not None
    finally:
        jobs.runner(dev).stop_thread_consumer()
        with dev.app_context():
            db.engine.dispose()


@pytest.fixture
def redis_app(_schema, tmp_path):
    """An app whose queue is Redis database 3 (emptied before and after), with a consumer thread."""
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    app = make_app(_schema, **{**private_files(tmp_path), "JOBS_URL": REDIS_URL})
    runner = jobs.runner(app)
    runner.start_thread_consumer()
    yield app
    runner.stop_thread_consumer()
    client.flushdb()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_jobs_run_on_redis(app, redis_app):
    """The production queue: a task and a whole export go through Redis db 3 and a consumer."""
    with redis_app.app_context():
        assert jobs.enqueue(_echo, "redis").get(blocking=True, timeout=60) == "echo redis"
        add_record(add_learner("Müller"), completed=T0)
    _admin_id, client = signed_in(redis_app)
    assert "Müller" in export_file(redis_app, client, {"format": "csv"}).data.decode("utf-8-sig")


def _pass_basics_and_read_every_lesson(app, user_id: int) -> None:
    with app.test_request_context():
        catalog = get_catalog()
        for module, lesson in catalog.lesson_sequence("demo"):
            db.session.add(
                LessonProgress(user_id=user_id, module_slug=module.slug, lesson_slug=lesson.slug, content_version="v")
            )
        db.session.commit()
        quiz = catalog.quizzes[BASICS]
        attempt = service.start_attempt(user_id, quiz, T0)
        revision = service.save_answers(attempt, quiz, 0, right_answers(quiz, attempt), T0)
        assert service.submit_attempt(attempt, quiz, revision, T0)


def test_a_timed_attempt_past_its_deadline_is_graded_without_its_owner(app, worker):
    """The learner answers the timed final part correctly and never comes back: the periodic task closes the
    attempt past deadline + grace with the saved answers, and the certificate it earns is issued."""
    with app.app_context():
        user_id = add_learner("Absent Learner", email="absent@example.org")
    _pass_basics_and_read_every_lesson(app, user_id)
    clock = {"now": T0 + timedelta(minutes=5)}
    app.config["QUIZ_CLOCK"] = lambda: clock["now"]
    with app.test_request_context():
        quiz = get_catalog().quizzes[WASTE]
        attempt = service.start_attempt(user_id, quiz, clock["now"])
        service.save_answers(attempt, quiz, 0, right_answers(quiz, attempt), clock["now"] + timedelta(minutes=1))
        attempt_id = attempt.id
    clock["now"] += timedelta(minutes=20, seconds=29)  # inside the grace period: still open
    with app.app_context():
        jobs.enqueue(close_overdue_attempts).get(blocking=True, timeout=60)
        assert db.session.get(QuizAttempt, attempt_id).status == "in_progress"
        db.session.remove()
    clock["now"] += timedelta(seconds=2)
    with app.app_context():
        assert jobs.enqueue(close_overdue_attempts).get(blocking=True, timeout=60) == 1
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert (attempt.status, attempt.passed) == ("expired", True)
        certificate = db.session.execute(db.select(Certificate).filter_by(user_id=user_id)).scalar_one()
        assert certificate.status == "valid" and certificate.holder_name == "Absent Learner"


def test_flask_jobs_worker_runs_exports_as_a_separate_process(app, _schema):
    """Production: `flask jobs worker` in its own process consumes the queue the web app fills, and stops on
    SIGINT after its running tasks."""
    env = {
        **os.environ,
        "GREENCUSTOMS_CONTENT_ROOT": str(FIXTURE_CONTENT),
        "DATABASE_URL": _schema,
        "GREENCUSTOMS_JOBS_URL": app.config["JOBS_URL"],
        "GREENCUSTOMS_EXPORT_FOLDER": app.config["EXPORT_FOLDER"],
        "GREENCUSTOMS_SECRET_KEY": "test-secret-key",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "jobs", "worker", "--workers", "1"],
        cwd=Path(__file__).parent.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        _admin_id, client = signed_in(app)
        with app.app_context():
            add_record(add_learner("Nuñez"), completed=T0)
        assert "Nuñez" in export_file(app, client, {"format": "csv"}).data.decode("utf-8-sig")
    finally:
        worker.send_signal(signal.SIGINT)
        output = worker.communicate(timeout=60)[0].decode()
    assert worker.returncode == 0, output
    assert "Consuming background jobs" in output


def test_csrf_token_is_required_on_the_workshop_results_post(app):
    """The results file is started by a POST with the session's CSRF token only."""
    from tests.workshopkit import make_workshop

    trainer_id, client = signed_in(app, role="trainer", email="t@example.org")
    workshop_id = make_workshop(app, trainer_id)
    assert client.post(f"/workshops/{workshop_id}/results", data={"format": "csv"}).status_code == 400
    token = csrf_token(client, f"/workshops/{workshop_id}")
    ok = client.post(f"/workshops/{workshop_id}/results", data={"format": "csv", "csrf_token": token})
    assert ok.status_code == 303 and [job.kind for job in _jobs(app)] == ["workshop_results"]
