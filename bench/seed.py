"""A fresh bench database: `flask db upgrade`, then learners with progress, graded quiz attempts, completions
and certificates, and a running workshop, bulk-inserted through the app's models. Attempts are drawn, answered
and graded by the quiz engine itself (draw_questions, build_layout, read_responses, grade_attempt).
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta

from werkzeug.datastructures import MultiDict
from werkzeug.security import generate_password_hash

from bench.server import ROOT

PASSWORD = "bench password 2026"  # noqa: S105 - every bench account's password, on a throw-away database
NAMES = [
    "Amina Njoroge",
    "Juan Pérez",
    "Nguyễn Thị Minh",
    "محمد الأمين",
    "Zoë Ørsted",
    "Анна Смирнова",
    "王伟",
    "Kofi Mensah",
    "Priya Sharma",
    "Lucía Fernández",
    "Ioane Tuilagi",
    "Fatou Diop",
]
COUNTRIES = ["KE", "MX", "VN", "EG", "DK", "KZ", "CN", "GH", "IN", "AR", "WS", "SN"]


@dataclass
class Seeded:
    """What the bench needs to know about the data: who can sign in, what exists, how long it took."""

    learners: list[str]  # e-mail of learner i (user id i + 1)
    trainer: str
    certificate_codes: list[str]
    workshop_id: int | None
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def migrate(env: dict[str, str]) -> None:
    """`flask --app app db upgrade` on the bench database, exactly as an installation does it."""
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"flask db upgrade failed:\n{done.stderr[-2000:]}")


def seed(app, learners: int, attempts: int, certificate_share: float, participants: int) -> Seeded:
    """Fill the (migrated, empty) database of `app`. Deterministic for a given size."""
    from greencustoms.content import get_catalog
    from greencustoms.extensions import db

    started = time.perf_counter()
    rng = random.Random(2026)
    with app.app_context():
        catalog = get_catalog()
        courses = list(catalog.courses.values())
        counts = {"learners": learners}
        emails = _users(db, learners)
        counts.update(_progress(db, catalog, courses, learners, rng))
        counts["quiz_attempts"] = _attempts(db, catalog, courses, learners, attempts, rng)
        codes = _certificates(db, catalog, courses, learners, certificate_share)
        counts["certificates"] = len(codes)
        followers = [i + 1 for i in range(learners) if courses[0] in _courses_of(i, courses)][:participants]
        workshop_id = _workshop(db, catalog, courses[0], learners + 1, followers)
        counts["workshop_participants"] = len(followers) if workshop_id else 0
        db.session.commit()
        db.session.remove()
    return Seeded(emails, "trainer@bench.example.org", codes, workshop_id, counts, time.perf_counter() - started)


def _ago(rng: random.Random, days: int):
    from greencustoms.models import utcnow

    return utcnow() - timedelta(days=rng.uniform(0, days))


def _users(db, learners: int) -> list[str]:
    from greencustoms.models import User, utcnow

    password_hash = generate_password_hash(PASSWORD, method="scrypt")  # one slow hash, shared by every account
    emails = [f"learner{i:05d}@bench.example.org" for i in range(learners)]
    rows = [
        {
            "id": i + 1,
            "email": email,
            "full_name": f"{NAMES[i % len(NAMES)]} {i}",
            "password_hash": password_hash,
            "role": "learner",
            "country": COUNTRIES[i % len(COUNTRIES)],
            "organisation": f"Customs {i % 40}",
            "language": "en",
            "active": True,
            "session_epoch": 0,
            "created_at": utcnow(),
        }
        for i, email in enumerate(emails)
    ]
    rows.append(
        {
            **rows[0],
            "id": learners + 1,
            "email": "trainer@bench.example.org",
            "full_name": "Bench Trainer",
            "role": "trainer",
        }
    )
    db.session.execute(db.insert(User), rows)
    return emails


def _courses_of(i: int, courses: list) -> list:
    """Learner i follows one course, every third learner both."""
    return courses if i % 3 == 0 else [courses[i % len(courses)]]


def _progress(db, catalog, courses: list, learners: int, rng: random.Random) -> dict[str, int]:
    from greencustoms.models import Enrolment, LessonProgress

    enrolments, progress = [], {}
    for i in range(learners):
        for course in _courses_of(i, courses):
            enrolments.append(
                {
                    "user_id": i + 1,
                    "course_slug": course.slug,
                    "course_version": course.version,
                    "enrolled_at": _ago(rng, 200),
                    "last_activity_at": _ago(rng, 30),
                }
            )
            sequence = catalog.lesson_sequence(course.slug)
            for _module, lesson in sequence[: rng.randint(0, len(sequence))]:
                progress[(i + 1, lesson.module_slug, lesson.slug)] = {
                    "user_id": i + 1,
                    "module_slug": lesson.module_slug,
                    "lesson_slug": lesson.slug,
                    "content_version": lesson.version,
                    "completed_at": _ago(rng, 100),
                }
    db.session.execute(db.insert(Enrolment), enrolments)
    db.session.execute(db.insert(LessonProgress), list(progress.values()))
    return {"enrolments": len(enrolments), "lesson_progress": len(progress)}


def _answer_form(layout: list[dict], rng: random.Random) -> MultiDict:
    """Answers as the take page would post them: a random option, row choice, position or value each."""
    form = MultiDict([("shown", entry["id"]) for entry in layout])
    for entry in layout:
        name = f"a-{entry['id']}"
        if "options" in entry:
            form.add(name, rng.choice(entry["options"])[0])
        elif "rows" in entry:
            for token, _left in entry["rows"]:
                form.add(f"{name}-{token}", rng.choice(entry["choices"])[0])
        elif "items" in entry:
            for token, _item in entry["items"]:
                form.add(f"{name}-{token}", str(rng.randint(1, len(entry["items"]))))
        else:
            form.add(name, "42" if entry["type"] == "numeric" else "waste")
    return form


def _attempts(db, catalog, courses: list, learners: int, total: int, rng: random.Random) -> int:
    from greencustoms.models import QuizAttempt
    from greencustoms.quiz.draw import build_layout, draw_questions
    from greencustoms.quiz.grading import grade_attempt, read_responses

    numbers: dict[tuple[int, str], int] = {}
    rows = []
    for n in range(total):
        user_id = n % learners + 1
        quiz = rng.choice([q for course in _courses_of(user_id - 1, courses) for q in catalog.quizzes_of(course.slug)])
        layout = build_layout(quiz, draw_questions(quiz, rng), rng)
        answers = read_responses(quiz, layout, _answer_form(layout, rng)).answers
        grade = grade_attempt(quiz, layout, answers, quiz.pass_mark)
        number = numbers[(user_id, quiz.slug)] = numbers.get((user_id, quiz.slug), 0) + 1
        started = _ago(rng, 180)
        rows.append(
            {
                "user_id": user_id,
                "quiz_slug": quiz.slug,
                "quiz_version": quiz.version,
                "number": number,
                "pass_mark": quiz.pass_mark,
                "status": "submitted",
                "started_at": started,
                "deadline_at": None,
                "submitted_at": started + timedelta(minutes=rng.randint(3, 40)),
                "score": grade.score,
                "passed": grade.passed,
                "revision": 3,
                "questions": layout,
                "answers": answers,
                "results": grade.results,
            }
        )
        if len(rows) == 2000:
            db.session.execute(db.insert(QuizAttempt), rows)
            rows = []
    if rows:
        db.session.execute(db.insert(QuizAttempt), rows)
    return total


def _certificates(db, catalog, courses: list, learners: int, share: float) -> list[str]:
    from greencustoms.certificates.codes import generate_code
    from greencustoms.models import Certificate, CourseCompletion

    step = max(1, round(1 / share)) if share else 0
    completions, certificates = [], []
    for i in range(0, learners, step) if step else []:
        course = courses[i % len(courses)]
        when = _ago(random.Random(i), 300)
        completions.append(
            {
                "user_id": i + 1,
                "course_slug": course.slug,
                "course_version": course.version,
                "completed_at": when,
                "final_score": 85.0,
            }
        )
        certificates.append(
            {
                "code": generate_code(),
                "user_id": i + 1,
                "course_slug": course.slug,
                "sequence": 1,
                "holder_name": f"{NAMES[i % len(NAMES)]} {i}",
                "course_title": course.title,
                "modules_covered": [catalog.modules[slug].title for slug in course.module_slugs],
                "score": 85.0,
                "issued_at": when,
                "expires_at": None,
                "language": "en",
                "content_version": course.version,
                "issuing_body": "Green Customs Learn",
                "status": "valid",
                "reason": "completion",
            }
        )
    if completions:
        db.session.execute(db.insert(CourseCompletion), completions)
        db.session.execute(db.insert(Certificate), certificates)
    return [row["code"] for row in certificates]


def _workshop(db, catalog, course, trainer_id: int, user_ids: list[int]) -> int | None:
    """A workshop running today (every quiz open) whose participants follow its course; None without the
    workshop models."""
    try:
        from greencustoms.models import Workshop, WorkshopParticipant, WorkshopQuiz, utcnow
        from greencustoms.workshops.codes import random_code
    except ImportError:
        return None
    today = utcnow().date()
    workshop = Workshop(
        title="Bench workshop",
        course_slug=course.slug,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=1),
        place="Mombasa",
        join_code=random_code(8),
        owner_id=trainer_id,
    )
    db.session.add(workshop)
    db.session.flush()
    db.session.execute(
        db.insert(WorkshopQuiz),
        [
            {"workshop_id": workshop.id, "quiz_slug": quiz.slug, "is_open": True}
            for quiz in catalog.quizzes_of(course.slug)
        ],
    )
    if user_ids:
        rows = [{"workshop_id": workshop.id, "user_id": user_id, "via": "code"} for user_id in user_ids]
        db.session.execute(db.insert(WorkshopParticipant), rows)
    return workshop.id
