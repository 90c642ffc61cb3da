"""The quiz under load: signed-in learners start attempts through the pages, then all of them save a page of
answers at once (50 at a time), then all submit at once; afterwards the database must hold every saved answer
and every attempt must have been graded exactly once."""

from __future__ import annotations

import random
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from bench.client import Browser, csrf_token, fill_quiz_form, sign_in
from bench.load import Result, run_tasks


@dataclass
class Attempt:
    quiz_slug: str
    attempt_id: int
    action: str  # where the take page's form posts
    fields: list[tuple[str, str]]  # what the save sends (answers of page 1, CSRF token, revision 0)


@dataclass
class Learner:
    browser: Browser
    token: str
    attempts: list[Attempt] = field(default_factory=list)


def sign_in_all(host: str, port: int, emails: Sequence[str], password: str) -> list[Browser]:
    """Sign everyone in through the login form, eight at a time (each login runs the slow password hash)."""
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda email: sign_in(host, port, email, password), emails))


def start_attempts(browsers: Sequence[Browser], quiz_slugs: Sequence[str]) -> list[Learner]:
    """Each learner starts one attempt per quiz (intro page, Start, take page) and fills in page 1."""

    def prepare(index_browser: tuple[int, Browser]) -> Learner:
        index, browser = index_browser
        rng = random.Random(index)
        learner = Learner(browser, "")
        for slug in quiz_slugs:
            learner.token = csrf_token(browser.get(f"/quizzes/{slug}").text)
            started = browser.post(f"/quizzes/{slug}", [("csrf_token", learner.token)])
            if started.status == 409:  # the quiz's rules refuse a new attempt (the seed used this one's allowance)
                continue
            if started.status != 303:
                raise RuntimeError(f"starting {slug} answered {started.status}")
            path = started.headers["location"].split("://", 1)[-1]
            path = path[path.index("/") :] if not path.startswith("/") else path
            action, fields = fill_quiz_form(browser.get(path).text, rng)
            learner.attempts.append(Attempt(slug, int(path.rstrip("/").rsplit("/", 1)[1]), action, fields))
        return learner

    with ThreadPoolExecutor(10) as pool:
        return list(pool.map(prepare, enumerate(browsers)))


def _lanes(learners: Sequence[Learner], concurrency: int) -> list[list[Learner]]:
    """Learner i goes to thread i % concurrency: a thread plays its learners one after the other."""
    return [list(learners[lane::concurrency]) for lane in range(concurrency)]


def save_all(learners: Sequence[Learner], concurrency: int) -> Result:
    """Every attempt's page-1 answers saved (POST, 303 expected), `concurrency` learners at a time."""
    lanes = [
        [
            (lambda b=learner.browser, a=attempt: b.post(a.action, a.fields))
            for learner in lane
            for attempt in learner.attempts
        ]
        for lane in _lanes(learners, concurrency)
    ]
    return run_tasks(lanes, lambda reply: reply.status == 303)


def submit_all(learners: Sequence[Learner], concurrency: int) -> Result:
    """Every attempt submitted from revision 1 (after its one save), `concurrency` learners at a time."""

    def submit(learner: Learner, attempt: Attempt):
        return learner.browser.post(f"{attempt.action}/submit", [("csrf_token", learner.token), ("revision", "1")])

    lanes = [
        [(lambda lr=learner, a=attempt: submit(lr, a)) for learner in lane for attempt in learner.attempts]
        for lane in _lanes(learners, concurrency)
    ]
    return run_tasks(lanes, lambda reply: reply.status == 303 and reply.headers["location"].endswith("/result"))


def verify(app, learners: Sequence[Learner]) -> dict[str, int]:
    """Read every attempt back: its answers must equal what the save sent (parsed by the quiz engine), and it
    must be submitted, graded, with revision 2 (one save + one close: graded exactly once)."""
    from werkzeug.datastructures import MultiDict

    from greencustoms.content import get_catalog
    from greencustoms.extensions import db
    from greencustoms.models import QuizAttempt
    from greencustoms.quiz.grading import read_responses

    checked = lost = not_graded_once = 0
    with app.app_context():
        quizzes = get_catalog().quizzes
        for learner in learners:
            for attempt in learner.attempts:
                row = db.session.get(QuizAttempt, attempt.attempt_id)
                quiz = quizzes[attempt.quiz_slug]
                sent = read_responses(quiz, row.questions, MultiDict(attempt.fields)).answers
                checked += 1
                lost += int(not sent or (row.answers or {}) != sent)
                graded = row.status == "submitted" and row.score is not None and row.results is not None
                not_graded_once += int(not graded or row.revision != 2)
        db.session.remove()
    return {"attempts_checked": checked, "lost_answers": lost, "not_graded_exactly_once": not_graded_once}
