"""xAPI 1.0.3 statements built from the platform's records: lesson completed, quiz attempted / passed / failed
(with the score), certificate earned.

Statements are built from stored rows, never from a request, so that recording an event as it happens and
replaying history into a new LRS give the same statement with the same id (a UUID derived from what happened).
The learner is named by an account on this platform (PUBLIC_BASE_URL and the user's number), never by e-mail.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import current_app

from greencustoms.database import as_utc
from greencustoms.models import Certificate, LessonProgress, QuizAttempt
from greencustoms.web import public_url

# The namespace of this platform's statement ids (fixed: changing it would make every replayed id new).
NAMESPACE = uuid.UUID("6f1c7a0e-3b1d-5a52-9d57-2f0c1e8b9a41")
VERBS = {
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "attempted": "http://adlnet.gov/expapi/verbs/attempted",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "earned": "http://id.tincanapi.com/verb/earned",
    "responded": "http://adlnet.gov/expapi/verbs/responded",
}
ACTIVITY_TYPES = {
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "quiz": "http://adlnet.gov/expapi/activities/assessment",
    "course": "http://adlnet.gov/expapi/activities/course",
    "interaction": "http://adlnet.gov/expapi/activities/cmi.interaction",
}


def statement_id(key: str) -> str:
    """The statement id of an event, the same every time it is built."""
    return str(uuid.uuid5(NAMESPACE, f"{current_app.config['PUBLIC_BASE_URL']}|{key}"))


def _timestamp(moment: datetime) -> str:
    return as_utc(moment).astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _actor(user_id: int) -> dict:
    return {"objectType": "Agent", "account": {"homePage": public_url("/"), "name": str(user_id)}}


def _activity(kind: str, path: str, name: str) -> dict:
    return {
        "objectType": "Activity",
        "id": public_url(path),
        "definition": {"type": ACTIVITY_TYPES[kind], "name": {"en": name}},
    }


def _statement(key: str, user_id: int, verb: str, activity: dict, moment: datetime, result: dict | None = None):
    statement = {
        "id": statement_id(key),
        "actor": _actor(user_id),
        "verb": {"id": VERBS[verb], "display": {"en": verb}},
        "object": activity,
        "timestamp": _timestamp(moment),
        "context": {"platform": current_app.config["SITE_NAME"], "language": "en"},
    }
    if result is not None:
        statement["result"] = result
    return statement


def lesson_completed(progress: LessonProgress) -> list[dict]:
    """One "completed" statement for a completed lesson."""
    activity = _activity(
        "lesson", f"/activities/lessons/{progress.module_slug}/{progress.lesson_slug}", progress.lesson_id
    )
    key = f"lesson:{progress.user_id}:{progress.lesson_id}"
    return [_statement(key, progress.user_id, "completed", activity, progress.completed_at, {"completion": True})]


def quiz_graded(attempt: QuizAttempt) -> list[dict]:
    """For a graded attempt: "attempted" with the score, then "passed" or "failed" with the score."""
    if attempt.score is None or attempt.submitted_at is None:
        return []
    activity = _activity("quiz", f"/quizzes/{attempt.quiz_slug}", attempt.quiz_slug)
    score = {"scaled": round(attempt.score / 100, 4), "raw": attempt.score, "min": 0, "max": 100}
    outcome = "passed" if attempt.passed else "failed"
    return [
        _statement(
            f"quiz:{attempt.id}:attempted",
            attempt.user_id,
            "attempted",
            activity,
            attempt.submitted_at,
            {"score": score, "completion": True},
        ),
        _statement(
            f"quiz:{attempt.id}:{outcome}",
            attempt.user_id,
            outcome,
            activity,
            attempt.submitted_at,
            {"score": score, "success": bool(attempt.passed), "completion": True},
        ),
    ]


def scenario_decisions(attempt: QuizAttempt, moment: datetime | None = None) -> list[dict]:
    """One "responded" statement per decision taken in each scenario question of the attempt, in order: the step
    and the choice made. Built from the path stored on the attempt, so a replay gives the same ids."""
    built = []
    for entry in attempt.questions or ():
        if entry.get("type") != "scenario":
            continue
        question_id = entry["id"]
        for index, (step_id, choice_id) in enumerate((attempt.answers or {}).get(question_id) or (), start=1):
            path = f"/quizzes/{attempt.quiz_slug}/questions/{question_id}/steps/{step_id}"
            activity = _activity("interaction", path, f"{question_id}: {step_id}")
            key = f"scenario:{attempt.id}:{question_id}:{index}"
            when = moment or attempt.submitted_at or attempt.started_at
            built.append(_statement(key, attempt.user_id, "responded", activity, when, {"response": choice_id}))
    return built


def certificate_earned(certificate: Certificate) -> list[dict]:
    """One "earned" statement for the course of an issued certificate (re-issues after a name correction excepted:
    nothing new was earned)."""
    if certificate.user_id is None or certificate.reason == "reissue":
        return []
    activity = _activity("course", f"/courses/{certificate.course_slug}", certificate.course_title)
    result: dict[str, bool | dict[str, float]] = {"completion": True, "success": True}
    if certificate.score is not None:
        result["score"] = {"scaled": round(certificate.score / 100, 4), "raw": certificate.score, "min": 0, "max": 100}
    key = f"certificate:{certificate.code}"
    return [_statement(key, certificate.user_id, "earned", activity, certificate.issued_at, result)]
