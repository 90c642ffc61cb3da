"""Learning pages: catalogue, course, lesson, marking complete, continue where you stopped, /me."""

from __future__ import annotations

import re

import markdown
import pytest
import yaml
from sqlalchemy import func, select

from greencustoms.content import get_catalog
from greencustoms.extensions import db
from greencustoms.models import Enrolment, LessonProgress
from tests.conftest import post_form


@pytest.fixture
def sequence(app):
    with app.app_context():
        return [(m.slug, lesson.slug, lesson.title) for m, lesson in get_catalog().lesson_sequence("demo")]


def lesson_url(step):
    return f"/courses/demo/{step[0]}/{step[1]}"


def complete(client, step):
    return post_form(client, lesson_url(step) + "/complete", token_from=lesson_url(step))


def test_catalogue_lists_courses(client, app):
    """The catalogue shows each course with its module count, hours and languages."""
    page = client.get("/").get_data(as_text=True)
    with app.app_context():
        course = get_catalog().course("demo")
    assert course.title in page
    assert f"{len(course.module_slugs)} modules" in page
    assert "hours" in page and "Languages: English" in page


def test_course_page_lists_modules_and_lessons(client, sequence):
    """The course page links every lesson of every module."""
    page = client.get("/courses/demo").get_data(as_text=True)
    for step in sequence:
        assert f'href="{lesson_url(step)}"' in page


def test_lesson_page_has_breadcrumbs_reading_time_and_pager(client, sequence):
    """A lesson shows breadcrumbs, its reading time, and previous/next links across modules."""
    first_of_second_module = next(i for i, s in enumerate(sequence) if s[0] != sequence[0][0])
    page = client.get(lesson_url(sequence[first_of_second_module])).get_data(as_text=True)
    assert 'aria-label="Breadcrumb"' in page and 'href="/courses/demo"' in page
    assert "Reading time: about" in page
    assert f'rel="prev" href="{lesson_url(sequence[first_of_second_module - 1])}"' in page
    assert f'rel="next" href="{lesson_url(sequence[first_of_second_module + 1])}"' in page


@pytest.mark.parametrize(
    "url",
    ["/courses/nope", "/courses/demo/nope/nope", "/courses/demo/{module}/nope", "/courses/nope/{module}/{lesson}"],
)
def test_unknown_content_is_404(client, sequence, url):
    """Unknown courses, modules and lessons give a 404 page."""
    module, lesson, _title = sequence[0]
    assert client.get(url.format(module=module, lesson=lesson)).status_code == 404


def test_anonymous_reader_is_invited_to_sign_in(client, sequence):
    """Lessons are readable without an account; the page offers sign-in to record progress."""
    page = client.get(lesson_url(sequence[0])).get_data(as_text=True)
    assert "to record this lesson as complete" in page
    assert "Mark as complete" not in page


def test_mark_complete_records_progress_with_version(app, client, auth, sequence):
    """Marking a lesson complete stores it by slugs with the lesson's content version, and moves to the next lesson."""
    user_id = auth.create()
    auth.login()
    response = complete(client, sequence[0])
    assert response.status_code == 302 and response.headers["Location"] == lesson_url(sequence[1])
    with app.app_context():
        row = db.session.execute(select(LessonProgress).filter_by(user_id=user_id)).scalar_one()
        lesson = get_catalog().modules[sequence[0][0]].lesson(sequence[0][1])
        expected = (sequence[0][0], sequence[0][1], lesson.version)
        assert (row.module_slug, row.lesson_slug, row.content_version) == expected
        assert db.session.execute(select(Enrolment).filter_by(user_id=user_id)).scalar_one().course_slug == "demo"


def test_mark_complete_twice_keeps_one_record(app, client, auth, sequence):
    """Completing the same lesson again is harmless: one row stays."""
    auth.create()
    auth.login()
    complete(client, sequence[0])
    complete(client, sequence[0])
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(LessonProgress)).scalar() == 1


def test_mark_complete_requires_login(client, sequence):
    """An anonymous POST to mark complete is sent to sign in and records nothing."""
    response = post_form(client, lesson_url(sequence[0]) + "/complete", token_from="/login")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_mark_complete_is_post_only(client, auth, sequence):
    """A GET never changes progress."""
    auth.create()
    auth.login()
    assert client.get(lesson_url(sequence[0]) + "/complete").status_code == 405


def test_last_lesson_returns_to_course(client, auth, sequence):
    """Completing the last lesson of the course leads back to the course page."""
    auth.create()
    auth.login()
    response = complete(client, sequence[-1])
    assert response.headers["Location"] == "/courses/demo"


def test_continue_where_you_stopped(client, auth, sequence):
    """/me and the course page offer the lesson after the furthest completed one."""
    auth.create()
    auth.login()
    complete(client, sequence[0])
    complete(client, sequence[2])
    me = client.get("/me").get_data(as_text=True)
    assert f'href="{lesson_url(sequence[3])}"' in me and f"Continue: {sequence[3][2]}" in me
    assert f"3 of {len(sequence)}" not in me and f"2 of {len(sequence)} lessons done" in me
    course_page = client.get("/courses/demo").get_data(as_text=True)
    assert f"Continue: {sequence[3][2]}" in course_page


def test_continue_wraps_to_first_unfinished(client, auth, sequence):
    """When the last lesson is done but earlier ones are not, continue points to the first unfinished lesson."""
    auth.create()
    auth.login()
    complete(client, sequence[-1])
    assert f"Continue: {sequence[0][2]}" in client.get("/me").get_data(as_text=True)


def test_me_shows_course_completed(client, auth, sequence):
    """When every lesson is done, /me says so."""
    auth.create()
    auth.login()
    for step in sequence:
        complete(client, step)
    page = client.get("/me").get_data(as_text=True)
    assert f"{len(sequence)} of {len(sequence)} lessons done" in page
    assert "completed every lesson" in page


def test_the_course_card_on_me_follows_every_completion(client, auth, sequence):
    """/me renders a course card once per key (rowcache): visited after each completion, it shows the new count
    and the next lesson every time, never the card it showed before, even when the next lesson stays the same."""
    auth.create()
    auth.login()
    total = len(sequence)
    assert "lessons done" not in client.get("/me").get_data(as_text=True)  # no course started yet
    order = [sequence[-1], *sequence[1:-1], sequence[0]]  # the next lesson stays the first one until the end
    for done, step in enumerate(order[:-1], start=1):
        complete(client, step)
        me = client.get("/me").get_data(as_text=True)
        assert f"{done} of {total} lessons done" in me and f"Continue: {sequence[0][2]}" in me
    complete(client, order[-1])
    me = client.get("/me").get_data(as_text=True)
    assert f"{total} of {total} lessons done" in me and "completed every lesson" in me and "Continue:" not in me


def test_me_requires_login(client):
    """/me is private."""
    assert client.get("/me").status_code == 302


def test_progress_survives_content_edit(app, client, auth, sequence, tmp_path, other_app):
    """Progress is keyed by slugs: a lesson edit (new version) keeps the completion and its old version."""
    import shutil

    from tests.conftest import FIXTURE_CONTENT

    auth.create()
    auth.login()
    complete(client, sequence[0])
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    lesson_file = next((root / "modules" / sequence[0][0]).glob(f"*-{sequence[0][1]}.md"))
    lesson_file.write_text(lesson_file.read_text() + "\n\nA new paragraph added later.\n")
    edited = other_app(CONTENT_ROOT=str(root))
    with edited.app_context():
        new_version = get_catalog().modules[sequence[0][0]].lesson(sequence[0][1]).version
        row = db.session.execute(select(LessonProgress)).scalar_one()
        assert row.content_version != new_version
    edited_client = edited.test_client()
    post_form(edited_client, "/login", {"email": "officer@example.org", "password": "correct horse battery"})
    assert f"1 of {len(sequence)} lessons done" in edited_client.get("/me").get_data(as_text=True)


def test_serving_a_lesson_neither_parses_yaml_nor_renders_markdown(client, sequence, monkeypatch):
    """Lessons are served from the prepared catalog: no YAML parsing or Markdown rendering per request."""

    def forbidden(*args, **kwargs):
        raise AssertionError("parsing or rendering during a request")

    for name in ("safe_load", "load", "compose", "compose_all", "load_all", "safe_load_all"):
        monkeypatch.setattr(yaml, name, forbidden)
    monkeypatch.setattr(markdown.Markdown, "convert", forbidden)
    monkeypatch.setattr(markdown, "markdown", forbidden)
    for step in sequence:
        assert client.get(lesson_url(step)).status_code == 200
    assert client.get("/courses/demo").status_code == 200
    assert client.get("/").status_code == 200


def test_me_points_to_the_final_exam_once_every_lesson_is_done(other_app):
    """When a learner has read every lesson of a course with a final exam, /me offers the way to it."""
    from pathlib import Path

    from greencustoms.learning import progress
    from tests.conftest import AuthActions

    app = other_app(CONTENT_ROOT=str(Path(__file__).resolve().parent.parent))
    client = app.test_client()
    actions = AuthActions(app, client)
    user_id = actions.create(email="reader@example.org")
    actions.login(email="reader@example.org")
    with app.app_context():
        catalog = get_catalog()
        course = catalog.course("green-customs-foundations")
        final = f'href="/quizzes/{course.final_quiz_slug}"'
        sequence = catalog.lesson_sequence(course.slug)
        for _module, lesson in sequence[:-1]:
            progress.mark_lesson_complete(user_id, course, lesson)
    assert final not in client.get("/me").get_data(as_text=True)
    with app.app_context():
        progress.mark_lesson_complete(user_id, course, sequence[-1][1])
    assert final in client.get("/me").get_data(as_text=True)


def test_course_page_says_how_to_earn_the_certificate(client, app):
    """The course page states the completion rule in numbers, and how long the certificate stays valid."""
    with app.app_context():
        course = get_catalog().course("demo")
    page = client.get("/courses/demo").get_data(as_text=True)
    rule = re.search(r'<section class="card completion-rule".*?</section>', page, re.DOTALL)
    assert rule is not None
    text = re.sub(r"\s+", " ", rule.group(0))
    assert f"Read the {len(course.completion.lessons)} lessons." in text
    assert f"Pass the {len(course.completion.quizzes)} module quizzes." in text
    assert "Pass the final quiz." not in text  # the demo course has no final
    assert "valid for 3 years" in text


def test_progress_reads_see_a_completion_not_yet_committed(app, auth):
    """The look-ups pages make on every visit run on the connection (greencustoms.database.read_columns); like
    the ORM's own queries they flush first, so a rule that records a lesson and then counts sees it."""
    from greencustoms.learning import progress
    from greencustoms.models import utcnow

    user_id = auth.create(email="counter@example.org")
    with app.app_context():
        lesson = get_catalog().modules["demo-basics"].lesson("welcome")
        assert not progress.is_lesson_complete(user_id, lesson)
        db.session.add(
            LessonProgress(
                user_id=user_id,
                module_slug=lesson.module_slug,
                lesson_slug=lesson.slug,
                content_version=lesson.version,
                completed_at=utcnow(),
            )
        )
        assert progress.is_lesson_complete(user_id, lesson)
        assert lesson.id in progress.completed_lesson_ids(user_id)
        db.session.rollback()
        assert lesson.id not in progress.completed_lesson_ids(user_id)
