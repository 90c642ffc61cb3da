"""The administration dashboard: figures per course and per month, quiz pass rates, charts without scripts."""

from __future__ import annotations

import re
from datetime import timedelta

from greencustoms.extensions import db
from greencustoms.models import QuizAttempt, utcnow
from tests.adminkit import add_learner, add_record, signed_in
from tests.conftest import recorded_statements


def _attempt(user_id: int, quiz: str, number: int, passed: bool | None, status: str = "submitted") -> None:
    db.session.add(
        QuizAttempt(
            user_id=user_id,
            quiz_slug=quiz,
            quiz_version="v1",
            number=number,
            pass_mark=60,
            status=status,
            score=80 if passed else 40,
            passed=passed,
            submitted_at=utcnow() if status != "in_progress" else None,
            questions=[],
            answers={},
        )
    )


def _seed(courses: list[str], quizzes: list[str]) -> None:
    now = utcnow()
    for index, course in enumerate(courses):
        for n in range(index + 1):
            learner = add_learner(f"Learner {course} {n}")
            add_record(
                learner,
                course,
                enrolled=now - timedelta(days=40 * n),
                completed=now if n % 2 == 0 else None,
                certificate="valid" if n == 0 else None,
            )
            for number, quiz in enumerate(quizzes, start=1):
                _attempt(learner, quiz, number, passed=n % 2 == 0)
    db.session.commit()


def _count_queries(app, client, url: str) -> tuple[int, str]:
    with recorded_statements(app) as statements:
        html = client.get(url).get_data(as_text=True)
    return len(statements), html


def test_dashboard_shows_figures_per_course_month_and_quiz(app):
    """Learners, enrolments, completions, certificates and quiz pass rates appear, with numbers in tables."""
    _admin_id, client = signed_in(app)
    with app.app_context():
        _seed(["demo"], ["demo-basics"])  # one learner: enrolled, completed, certified, passed
        learner = add_learner("Second")
        add_record(learner, "demo", enrolled=utcnow())
        _attempt(learner, "demo-basics", 1, passed=False)
        _attempt(learner, "demo-basics", 2, passed=None, status="in_progress")  # not graded: not counted
        db.session.commit()
    response = client.get("/admin/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r"<strong>2</strong> learners", html)
    assert re.search(r"<strong>1</strong> certificates issued", html)
    row = re.search(
        r'<th scope="row">[^<]*Demo course[^<]*</th><td class="num">(\d+)</td><td class="num">(\d+)</td>'
        r'<td class="num">(\d+)</td>',
        html,
    )
    assert row and row.groups() == ("2", "1", "1")
    month = utcnow().strftime("%B %Y")
    assert re.search(rf'<th scope="row">{month}</th><td class="num">2</td><td class="num">1</td>', html)
    assert re.search(
        r'<td class="num">2</td><td class="num">1</td>\s*<td><meter min="0" max="1" low="0.5" '
        r'optimum="1" value="0.500">50 %</meter>',
        html,
    )


def test_dashboard_charts_need_no_script_and_no_inline_style(app):
    """Charts are inline SVG drawn with attributes: no <script>, no style attribute (the CSP forbids both)."""
    _admin_id, client = signed_in(app)
    with app.app_context():
        _seed(["demo"], ["demo-basics"])
    html = client.get("/admin/").get_data(as_text=True)
    assert html.count("<svg") == 2 and "<rect" in html and 'role="img"' in html
    assert "<script" not in html and " style=" not in html
    assert "<caption>" in html and 'scope="col"' in html


def test_dashboard_uses_a_constant_number_of_queries(app):
    """The dashboard runs the same number of queries for one course as for six courses and three quizzes."""
    _admin_id, client = signed_in(app)
    with app.app_context():
        _seed(["demo"], ["demo-basics"])
    few, _html = _count_queries(app, client, "/admin/")
    with app.app_context():
        _seed(["c1", "c2", "c3", "c4", "c5"], ["q1", "q2", "q3"])
    many, html = _count_queries(app, client, "/admin/")
    assert few == many, (few, many)
    assert "c5" in html and "q3" in html
