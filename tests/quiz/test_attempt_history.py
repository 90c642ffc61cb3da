"""/me lists the newest quiz attempts and links to /me/attempts, the whole history a page at a time."""

from __future__ import annotations

import re
from datetime import timedelta

from greencustoms.extensions import db
from greencustoms.learning.views import ME_ATTEMPTS
from greencustoms.models import QuizAttempt, utcnow
from greencustoms.quiz.results import HISTORY_PER_PAGE
from tests.conftest import recorded_statements
from tests.quiz.helpers import BASICS, WASTE, take_url

ROW = re.compile(r"<tr>\s*<td>")


def _graded(app, user_id: int, count: int, slug: str = BASICS) -> list[int]:
    """`count` graded attempts of `user_id`, one a minute, the last the newest; returns their ids, oldest first."""
    start = utcnow() - timedelta(days=1)
    with app.app_context():
        rows = [
            QuizAttempt(
                user_id=user_id,
                quiz_slug=slug,
                quiz_version="v1",
                number=i + 1,
                pass_mark=60,
                status="submitted",
                started_at=start + timedelta(minutes=i),
                submitted_at=start + timedelta(minutes=i, seconds=30),
                score=float(i % 101),
                passed=i % 101 >= 60,
                questions=[],
            )
            for i in range(count)
        ]
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


def _review_links(page: str, slug: str = BASICS) -> list[int]:
    return [int(found) for found in re.findall(rf"/quizzes/{slug}/attempts/(\d+)/result", page)]


def test_me_lists_the_newest_attempts_and_links_to_the_whole_history(app, client, learner):
    """With more attempts than /me shows, /me lists the newest ME_ATTEMPTS, newest first, and links to all."""
    ids = _graded(app, learner, ME_ATTEMPTS + 5)
    me = client.get("/me").get_data(as_text=True)
    assert _review_links(me) == ids[::-1][:ME_ATTEMPTS]
    assert 'href="/me/attempts">All my quiz attempts</a>' in me


def test_me_has_no_history_link_when_it_shows_every_attempt(app, client, learner):
    """Exactly ME_ATTEMPTS attempts: all on /me, and no link to a page that would add nothing."""
    ids = _graded(app, learner, ME_ATTEMPTS)
    me = client.get("/me").get_data(as_text=True)
    assert sorted(_review_links(me)) == ids
    assert "/me/attempts" not in me


def test_the_history_pages_through_every_attempt_once(app, client, learner):
    """/me/attempts shows HISTORY_PER_PAGE attempts a page, newest first; together the pages list each once."""
    total = HISTORY_PER_PAGE + 7
    ids = _graded(app, learner, total)
    first = client.get("/me/attempts")
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-store"
    page_one = first.get_data(as_text=True)
    assert f"{total} attempts, newest first." in page_one and "Page 1 of 2" in page_one
    assert 'rel="next" href="/me/attempts?page=2"' in page_one
    page_two = client.get("/me/attempts?page=2").get_data(as_text=True)
    listed = _review_links(page_one) + _review_links(page_two)
    assert listed == ids[::-1]
    assert len(_review_links(page_one)) == HISTORY_PER_PAGE


def test_the_history_shows_an_open_attempt_as_resumable(app, client, learner):
    """An attempt in progress can be resumed from the history, as from /me."""
    _graded(app, learner, 2, WASTE)
    from tests.quiz.helpers import start

    attempt_id = start(client)
    page = client.get("/me/attempts").get_data(as_text=True)
    assert f'href="{take_url(BASICS, attempt_id)}">In progress: resume</a>' in page


def test_the_history_closes_an_attempt_whose_time_is_up_on_any_page(app, client, learner):
    """An overdue attempt older than the first page's 50 is closed before the history is listed, like on /me:
    it is never offered for resuming."""
    _graded(app, learner, HISTORY_PER_PAGE + 5, WASTE)
    with app.app_context():
        overdue = QuizAttempt(
            user_id=learner,
            quiz_slug=BASICS,
            quiz_version="v1",
            number=1,
            pass_mark=60,
            status="in_progress",
            started_at=utcnow() - timedelta(days=2),
            deadline_at=utcnow() - timedelta(days=2) + timedelta(minutes=10),
            questions=[],
        )
        db.session.add(overdue)
        db.session.commit()
        overdue_id = overdue.id
    page = client.get("/me/attempts?page=2").get_data(as_text=True)
    assert f'href="{take_url(BASICS, overdue_id)}"' not in page  # no "resume" link; its review link is there
    with app.app_context():
        assert db.session.get(QuizAttempt, overdue_id).status != "in_progress"


def test_odd_page_numbers_never_fail(app, client, learner):
    """A page past the end (however far) says so; an unreadable or negative page number means the first page."""
    _graded(app, learner, 3)
    for past in ("9", "99999999999999999999"):
        response = client.get(f"/me/attempts?page={past}")
        assert response.status_code == 200 and "There is no such page." in response.get_data(as_text=True)
    for odd in ("abc", "-4", "0"):
        response = client.get(f"/me/attempts?page={odd}")
        assert response.status_code == 200, odd
        assert len(_review_links(response.get_data(as_text=True))) == 3, odd


def test_the_history_is_private(app, client, auth, learner):
    """Signed out: a sign-in redirect. Another learner sees only their own (empty) history."""
    _graded(app, learner, 4)
    auth.logout()
    response = client.get("/me/attempts")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    auth.create(email="other@example.org", name="Kofi Mensah")
    auth.login(email="other@example.org")
    page = client.get("/me/attempts").get_data(as_text=True)
    assert _review_links(page) == [] and "You have not taken a quiz yet." in page


def test_me_queries_do_not_grow_with_attempts_or_certificates(app, client, learner):
    """/me asks the same number of queries with 1 attempt as with 60 (no query per row or per certificate)."""

    def count() -> int:
        with recorded_statements(app) as statements:
            assert client.get("/me").status_code == 200
        return len(statements)

    _graded(app, learner, 1, WASTE)
    few = count()
    _graded(app, learner, 60)
    assert count() == few


def test_a_row_shown_before_follows_its_attempt_and_the_readers_time_zone(app, client, learner):
    """Rows are rendered once per key (`rowcache`): a changed attempt or another time zone shows the new row."""
    from greencustoms.models import User

    (attempt_id,) = _graded(app, learner, 1)
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        attempt.status, attempt.score, attempt.passed, attempt.submitted_at = "in_progress", None, None, None
        started = attempt.started_at
        db.session.commit()
    first = client.get("/me").get_data(as_text=True)
    assert client.get("/me").get_data(as_text=True) == first and app.jinja_env.row_cache  # shown from the cache
    assert take_url(BASICS, attempt_id) in first and "In progress: resume" in first
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        attempt.status, attempt.score, attempt.passed = "submitted", 72.5, True
        attempt.submitted_at = started + timedelta(hours=2)
        db.session.commit()
    graded = client.get("/me").get_data(as_text=True)
    assert "72.5%" in graded and _review_links(graded) == [attempt_id] and "In progress: resume" not in graded
    utc_time = re.search(r"<td>([^<]*\d:\d\d[^<]*)</td>", graded).group(1)
    with app.app_context():
        db.session.get(User, learner).timezone = "Asia/Kathmandu"  # UTC+5:45: no other zone shows the same time
        db.session.commit()
    local_time = re.search(r"<td>([^<]*\d:\d\d[^<]*)</td>", client.get("/me").get_data(as_text=True)).group(1)
    assert local_time != utc_time
