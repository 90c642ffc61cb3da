"""Helpers for quiz tests: start an attempt through the pages, read it back, and build answer forms."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from greencustoms.content import Quiz
from greencustoms.extensions import db
from greencustoms.models import QuizAttempt
from tests.conftest import csrf_token, post_form

BASICS = "demo-basics"  # explanations, immediately; 7 questions, no shuffle, unlimited attempts
WASTE = "demo-waste"  # wrong, when passed; 5 of 7 balanced by difficulty, 3 attempts, 20 min + 30 s


def take_url(slug: str, attempt_id: int, suffix: str = "") -> str:
    return f"/quizzes/{slug}/attempts/{attempt_id}{suffix}"


def start(client, slug: str = BASICS) -> int:
    """Start (or resume) an attempt through the intro page's form; returns its id."""
    response = post_form(client, f"/quizzes/{slug}", token_from="/")
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def load(app, attempt_id: int) -> SimpleNamespace:
    """A detached copy of the attempt row."""
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        return SimpleNamespace(
            id=attempt.id,
            layout=attempt.questions,
            answers=attempt.answers,
            revision=attempt.revision,
            status=attempt.status,
            score=attempt.score,
            passed=attempt.passed,
            results=attempt.results,
            user_id=attempt.user_id,
            deadline_at=attempt.deadline_at,
            submitted_at=attempt.submitted_at,
        )


def fields_for(quiz: Quiz, entry: dict[str, Any], right: bool = True, saved: Any = None) -> dict[str, list[str]]:
    """The form fields that answer one question of an attempt rightly (or wrongly, for right=False). For a
    scenario, the decision at the step the learner is at after `saved` (the path stored so far)."""
    question = quiz.question(entry["id"])
    name = f"a-{entry['id']}"
    kind = entry["type"]
    if kind in ("document_check", "hotspot", "code_entry", "scenario"):
        return _practical_fields(question, entry, name, right, saved)
    if kind in ("single", "multiple"):
        wanted = {option.id for option in question.options if option.correct == right}
        if kind == "single" and not right:
            wanted = {sorted(wanted)[0]}
        return {name: [token for token, option_id in entry["options"] if option_id in wanted]}
    if kind == "true_false":
        value = "true" if question.answer == right else "false"
        return {name: [token for token, shown in entry["options"] if shown == value]}
    if kind == "numeric":
        return {name: [str(question.answer if right else question.answer + question.tolerance + 1000)]}
    if kind == "short_text":
        return {name: [question.accept[0] if right else "no idea"]}
    if kind == "matching":
        rights = dict(question.pairs)
        by_text = {text: token for token, text in entry["choices"]}
        pairs = question.pairs
        wrong_text = {left: pairs[(i + 1) % len(pairs)][1] for i, (left, _r) in enumerate(pairs)}
        return {
            f"{name}-{token}": [by_text[rights[left] if right else wrong_text[left]]] for token, left in entry["rows"]
        }
    if kind == "ordering":
        count = len(question.items)
        place = {item: index + 1 for index, item in enumerate(question.items)}
        chosen = {item: place[item] if right else place[item] % count + 1 for item in question.items}
        return {f"{name}-{token}": [str(chosen[item])] for token, item in entry["items"]}
    raise AssertionError(kind)


def _practical_fields(question, entry: dict[str, Any], name: str, right: bool, saved: Any) -> dict[str, list[str]]:
    kind = entry["type"]
    if kind == "document_check":
        flaws = {
            f["key"]: f["reason"] for document in question.data["documents"] for f in document["fields"] if f["flaw"]
        }
        reasons = {reason_id: token for token, reason_id in entry.get("reasons") or ()}
        if not right:  # one false alarm: a sound field marked
            sound = next(token for token, key in entry["fields"] if key not in flaws)
            return {name: [sound]}
        fields = {name: [token for token, key in entry["fields"] if key in flaws]}
        if reasons:
            fields.update({f"{name}-{token}": [reasons[flaws[key]]] for token, key in entry["fields"] if key in flaws})
        return fields
    if kind == "hotspot":
        correct = {marker["id"] for marker in question.data["markers"] if marker["correct"]}
        return {name: [token for token, marker_id in entry["markers"] if (marker_id in correct) == right]}
    if kind == "code_entry":
        return {name: [question.accept[0] if right else "9999.99"]}
    from greencustoms.quiz.types.scenario import current_step

    step = current_step(entry, saved)
    if step is None or not entry["steps"].get(step):
        return {}
    points = {(step_id, c["id"]): c["points"] for step_id, s in question.data["steps"].items() for c in s["choices"]}
    choices = entry["steps"][step]
    on_best_path = dict(question.data["best_path"]).get(step) if right else None
    if on_best_path is not None:
        return {name: [next(c[0] for c in choices if c[1] == on_best_path)]}
    best = max if right else min
    return {name: [best(choices, key=lambda c: points[(step, c[1])])[0]]}


def answer_form(quiz: Quiz, entries: list[dict], revision: int, right: bool = True, go: str = "next", **extra) -> dict:
    """A page form answering `entries`, as the take page would post it (without the CSRF token)."""
    data: dict[str, Any] = {"revision": str(revision), "go": go, "shown": [entry["id"] for entry in entries]}
    for entry in entries:
        data.update(fields_for(quiz, entry, right))
    data.update(extra)
    return data


def post_page(client, slug: str, attempt_id: int, data: dict, token: str | None = None):
    """POST a page of answers with the session's CSRF token."""
    data = dict(data)
    data.setdefault("csrf_token", token or csrf_token(client, "/"))
    return client.post(take_url(slug, attempt_id), data=data)


def submit(client, slug: str, attempt_id: int, revision: int):
    return post_form(client, take_url(slug, attempt_id, "/submit"), {"revision": str(revision)}, token_from="/")


def answer_all(app, client, quiz: Quiz, attempt_id: int, right: bool = True) -> SimpleNamespace:
    """Answer every question of the attempt in one save (right or wrong) and submit; returns the graded row."""
    row = load(app, attempt_id)
    response = post_page(client, quiz.slug, attempt_id, answer_form(quiz, row.layout, row.revision, right))
    assert response.status_code == 303, response.get_data(as_text=True)
    row = load(app, attempt_id)
    assert submit(client, quiz.slug, attempt_id, row.revision).status_code == 303
    return load(app, attempt_id)


def right_answers(quiz: Quiz, attempt) -> dict[str, Any]:
    """Responses in content terms that answer every drawn question correctly."""
    return {entry["id"]: right_response(quiz.question(entry["id"])) for entry in attempt.questions}


def right_response(q) -> Any:
    """The correct response to one question, as stored in an attempt's answers."""
    if q.type == "single":
        return next(o.id for o in q.options if o.correct)
    if q.type == "multiple":
        return sorted(o.id for o in q.options if o.correct)
    if q.type in ("true_false", "numeric"):
        return q.answer
    if q.type == "short_text":
        return q.accept[0]
    if q.type == "matching":
        return dict(q.pairs)
    return {item: i + 1 for i, item in enumerate(q.items)}
