"""The production shape, run for real: two gunicorn instances on one PostgreSQL database, Redis for the rate
limits, nginx in front with TLS as docs/deploy.md configures it.

    python -m tests.cluster.run        (`.ci/run` runs it after the test suites)

Through the proxy it proves that a session made on one instance works on the other, that the sign-in limit is
shared, that twenty parallel submits of one attempt grade it once and issue at most one certificate, that a
learner keeps answering while an instance is killed mid-quiz and loses no saved answer, and that a content
change (a rolling restart) is seen the same way by both instances without a failed request. Each check prints
PASS or FAIL with its figures; the exit status is 1 if any failed. Everything it starts, it stops.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

from tests.cluster.stack import (
    FAIL_TIMEOUT_S,
    Gunicorn,
    Nginx,
    TlsBrowser,
    drop_database,
    free_port,
    fresh_database,
    fresh_redis,
    self_signed,
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "content"
PASSWORD = "cluster-Pass-2026!"
COURSE = "demo"
results: list[tuple[str, bool, str]] = []


def check(name: str, ok: bool, detail: str) -> None:
    """Record and print one check."""
    results.append((name, ok, detail))
    print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}", flush=True)


def main() -> int:
    """Start everything, run the checks, stop everything; 0 when every check passed."""
    with tempfile.TemporaryDirectory(prefix="gc-cluster-") as tmp, ExitStack() as stack:
        work = Path(tmp)
        os.chmod(work, 0o755)  # noqa: S103 - nginx's workers (user nobody) use temp folders in here
        content = work / "content"
        shutil.copytree(FIXTURE, content)
        database = fresh_database("gc_cluster")
        stack.callback(drop_database, "gc_cluster")
        redis_db = fresh_redis(14)
        stack.callback(fresh_redis, 14)
        cert, key = self_signed(work)
        proxy_port = free_port()
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": database,
            "GREENCUSTOMS_DEPLOYMENT": "production",
            "GREENCUSTOMS_SECRET_KEY": "cluster-test-secret-" + "x" * 40,
            "RATELIMIT_STORAGE_URI": redis_db,
            "GREENCUSTOMS_CONTENT_ROOT": str(content),
            "GREENCUSTOMS_CONTENT_RELOAD": "0",
            "GREENCUSTOMS_CONTENT_CACHE_DIR": str(work / "render-cache"),
            "GREENCUSTOMS_TRUSTED_PROXIES": "127.0.0.1",
            "GREENCUSTOMS_WORKERS": "2",
            "GREENCUSTOMS_THREADS": "4",
            "GREENCUSTOMS_JOBS_CONSUMER": "thread",
            "GREENCUSTOMS_JOBS_URL": f"sqlite:///{work / 'jobs.db'}",
            "GREENCUSTOMS_EXPORT_FOLDER": str(work / "exports"),
            "GREENCUSTOMS_PUBLIC_BASE_URL": f"https://127.0.0.1:{proxy_port}",
            "GREENCUSTOMS_ACCESS_LOG": str(work / "access.log"),
        }
        subprocess.run([sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"], cwd=ROOT, env=env, check=True)
        os.environ.update({k: v for k, v in env.items() if k.startswith(("GREENCUSTOMS_", "DATABASE_URL", "RATE"))})
        from greencustoms import create_app

        app = create_app()  # the same database and content, to create accounts and read results
        stack.callback(app_engine_dispose, app)
        people = _create_people(app)

        instances = [Gunicorn(env, free_port(), work / f"gunicorn-{name}.log") for name in ("a", "b")]
        for instance in instances:
            stack.enter_context(instance)
        nginx = stack.enter_context(Nginx(work, proxy_port, [i.port for i in instances], cert, key, ROOT / "static"))
        print(f"cluster up: nginx https://127.0.0.1:{proxy_port} -> gunicorn {[i.port for i in instances]}")

        def browser(port: int = proxy_port, tls: bool = True) -> TlsBrowser:
            return TlsBrowser("127.0.0.1", port, cafile=cert if tls else None)

        _check_proxy(browser, nginx)
        _check_sessions(browser, instances, people["session"])
        _check_rate_limit(browser, people["limited"])
        _check_parallel_submits(app, browser, instances, people["parallel"])
        _check_instance_killed(app, browser, instances, people["survivor"])
        _check_content_change(browser, instances, content)
    failed = [name for name, ok, _ in results if not ok]
    print(f"cluster test: {len(results) - len(failed)} of {len(results)} checks passed")
    return 1 if failed else 0


def app_engine_dispose(app) -> None:
    from greencustoms.extensions import db

    with app.app_context():
        db.engine.dispose()


def _create_people(app) -> dict[str, tuple[int, str]]:
    from greencustoms.auth.service import create_user

    people = {}
    with app.app_context():
        for key in ("session", "limited", "parallel", "survivor"):
            email = f"{key}@cluster.example.org"
            user = create_user(email=email, full_name=f"Officer {key.title()}", password=PASSWORD)
            people[key] = (user.id, email)
    return people


def _sign_in(browser, email: str) -> TlsBrowser:
    from bench.client import csrf_token

    person = browser()
    token = csrf_token(person.get("/login").text)
    reply = person.post("/login", [("csrf_token", token), ("email", email), ("password", PASSWORD)])
    if reply.status not in (302, 303):
        raise RuntimeError(f"sign-in of {email} through the proxy answered {reply.status}")
    return person


def _check_proxy(browser, nginx) -> None:
    """nginx serves static files itself (a year, immutable, gzip); the app's pages arrive compressed over TLS."""
    person = browser()
    home = person.request("GET", "/", headers={"Accept-Encoding": "gzip"})
    page = gzip.decompress(home.body).decode() if home.headers.get("content-encoding") == "gzip" else home.text
    css = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]{12})"', page)
    styles = person.request("GET", css.group(1), headers={"Accept-Encoding": "gzip"}) if css else None
    ok = (
        home.status == 200
        and home.headers.get("content-encoding") == "gzip"
        and "strict-transport-security" in home.headers
        and styles is not None
        and styles.status == 200
        and "immutable" in styles.headers.get("cache-control", "")
        and styles.headers.get("content-encoding") == "gzip"
        and "nginx" in styles.headers.get("server", "")
    )
    detail = (
        f"home {home.status} {home.headers.get('content-encoding')}, HSTS {'strict-transport-security' in home.headers}"
        f"; css {styles and styles.status} {styles and styles.headers.get('cache-control')} "
        f"{styles and styles.headers.get('content-encoding')} from {styles and styles.headers.get('server')}"
    )
    check("proxy serves as documented", ok, detail)


def _check_sessions(browser, instances, person_info) -> None:
    """Signed in through the proxy, the same cookie opens /me on each instance directly."""
    _user_id, email = person_info
    person = _sign_in(browser, email)
    statuses = []
    for instance in instances:
        direct = browser(instance.port, tls=False)
        direct.cookies = dict(person.cookies)
        reply = direct.get("/me")
        statuses.append((reply.status, "Officer Session" in reply.text))
    through = [person.get("/me").status for _ in range(8)]
    ok = all(s == (200, True) for s in statuses) and set(through) == {200}
    check("a session works on every instance", ok, f"direct {statuses}, through the proxy {Counter(through)}")


def _check_rate_limit(browser, person_info) -> None:
    """30 wrong passwords through the proxy (round robin over 2 instances x 2 workers): only the limit gets in."""
    from bench.client import csrf_token

    _user_id, email = person_info
    allowed = 0
    statuses: Counter[int] = Counter()
    for _ in range(30):
        person = browser()
        token = csrf_token(person.get("/login").text)
        reply = person.post("/login", [("csrf_token", token), ("email", email), ("password", "wrong-guess")])
        statuses[reply.status] += 1
        allowed += reply.status != 429
    check("the sign-in limit is shared", allowed == 10, f"{allowed} of 30 guesses answered (limit 10): {statuses}")


def _pass_course_but_last_quiz(app, person) -> tuple[object, int]:
    """Read every lesson and pass every quiz but the last; returns (last quiz, its open attempt id)."""
    from greencustoms.content import get_catalog

    with app.app_context():
        catalog = get_catalog()
        sequence = catalog.lesson_sequence(COURSE)
        quizzes = catalog.quizzes_of(COURSE)
    for _module, lesson in sequence:
        url = f"/courses/{COURSE}/{lesson.module_slug}/{lesson.slug}"
        _post_page_form(person, url, url + "/complete", [])
    for quiz in quizzes[:-1]:
        attempt_id = _start(person, quiz.slug)
        _answer_every_page(app, person, quiz, attempt_id)
        _submit(person, quiz.slug, attempt_id)
    last = quizzes[-1]
    attempt_id = _start(person, last.slug)
    _answer_every_page(app, person, last, attempt_id)
    return last, attempt_id


def _post_page_form(person, page_url: str, action: str, fields: list[tuple[str, str]]):
    from bench.client import csrf_token

    token = csrf_token(person.get(page_url).text)
    reply = person.post(action, [("csrf_token", token), *fields])
    if reply.status >= 400:
        raise RuntimeError(f"POST {action} answered {reply.status}")
    return reply


def _start(person, quiz_slug: str) -> int:
    reply = _post_page_form(person, f"/quizzes/{quiz_slug}", f"/quizzes/{quiz_slug}", [])
    return int(reply.headers["location"].rstrip("/").rsplit("/", 1)[1])


def _layout(app, attempt_id: int) -> list[dict]:
    from greencustoms.extensions import db
    from greencustoms.models import QuizAttempt

    with app.app_context():
        return db.session.get(QuizAttempt, attempt_id).questions


def _answers(app, attempt_id: int) -> tuple[dict, str, int]:
    from greencustoms.extensions import db
    from greencustoms.models import QuizAttempt

    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        return dict(attempt.answers), attempt.status, attempt.revision


def _page_fields(person, url: str) -> tuple[list[tuple[str, str]], set[str]]:
    """The hidden fields of a take page's form and the ids of the questions it shows."""
    page = person.get(url).text
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    shown = {value for name, value in hidden if name == "shown"}
    return hidden, shown


def _answer_every_page(app, person, quiz, attempt_id: int, between_pages=None) -> int:
    """Answer each page rightly through the take form; `between_pages(n)` runs after page n is saved."""
    from tests.quiz.helpers import fields_for

    layout = _layout(app, attempt_id)
    url = f"/quizzes/{quiz.slug}/attempts/{attempt_id}"
    saved = 0
    page = 1
    while True:
        hidden, shown = _page_fields(person, f"{url}?page={page}")
        fields = [field for field in hidden if field[0] != "go"]
        for entry in (entry for entry in layout if entry["id"] in shown):
            for name, values in fields_for(quiz, entry).items():
                fields.extend((name, value) for value in values)
        more = saved + len(shown) < len(layout)
        reply = person.post(url, [*fields, ("go", "next" if more else "review")])
        if reply.status != 303:
            raise RuntimeError(f"saving page {page} answered {reply.status}")
        saved += len(shown)
        if between_pages:
            between_pages(page)
        if not more:
            return saved
        page += 1


def _submit(person, quiz_slug: str, attempt_id: int):
    url = f"/quizzes/{quiz_slug}/attempts/{attempt_id}/submit"
    hidden, _shown = _page_fields(person, url)
    return person.post(url, hidden)


def _check_parallel_submits(app, browser, instances, person_info) -> None:
    """Twenty submits of the final attempt at once, spread over both instances: graded once, one certificate."""
    from sqlalchemy import func, select

    from greencustoms.extensions import db
    from greencustoms.models import Certificate, QuizAttempt

    user_id, email = person_info
    person = _sign_in(browser, email)
    quiz, attempt_id = _pass_course_but_last_quiz(app, person)
    url = f"/quizzes/{quiz.slug}/attempts/{attempt_id}/submit"
    hidden, _shown = _page_fields(person, url)
    barrier = threading.Barrier(20)

    def submit(index: int) -> int:
        target = browser() if index % 2 else browser(instances[index // 2 % 2].port, tls=False)
        target.cookies = dict(person.cookies)
        barrier.wait()
        return target.post(url, hidden).status

    with ThreadPoolExecutor(20) as pool:
        statuses = Counter(pool.map(submit, range(20)))
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        graded = attempt.status, attempt.passed, attempt.submitted_at is not None
        certificates = db.session.scalar(select(func.count()).select_from(Certificate).filter_by(user_id=user_id))
    ok = set(statuses) <= {303} and graded[1] is True and graded[2] and certificates == 1
    check(
        "twenty parallel submits grade once",
        ok,
        f"answers {dict(statuses)}, attempt {graded[0]} passed={graded[1]}, certificates {certificates}",
    )


def _check_instance_killed(app, browser, instances, person_info) -> None:
    """Answering page by page through the proxy while instance A is killed after the first page: nothing lost."""
    from greencustoms.content import get_catalog

    _user_id, email = person_info
    person = _sign_in(browser, email)
    with app.app_context():
        quiz = get_catalog().quizzes_of(COURSE)[0]
    attempt_id = _start(person, quiz.slug)

    def kill_after_first(page: int) -> None:
        if page == 1:
            instances[0].kill()

    failures = ""
    try:
        saved = _answer_every_page(app, person, quiz, attempt_id, between_pages=kill_after_first)
    except RuntimeError as exc:
        saved, failures = -1, str(exc)
    answers, status, revision = _answers(app, attempt_id)
    layout = _layout(app, attempt_id)
    ok = saved == len(layout) and len(answers) == len(layout) and status == "in_progress" and not failures
    check(
        "an instance killed mid-quiz loses no answer",
        ok,
        f"{len(answers)} of {len(layout)} answers saved (revision {revision}), {failures or 'no failed request'}",
    )
    instances[0].start()


def _check_content_change(browser, instances, content: Path) -> None:
    """A lesson edited and the instances restarted one by one: no failed request; both serve the new version."""
    before = {instance.content_version() for instance in instances}
    lesson = content / "modules" / "demo-basics" / "01-welcome.md"
    marker = f"Cluster check {int(time.time())}."
    lesson.write_text(lesson.read_text().replace("## Summary", f"{marker}\n\n## Summary", 1))
    statuses: Counter[int] = Counter()
    stop = threading.Event()

    def keep_reading() -> None:
        reader = browser()
        while not stop.is_set():
            statuses[reader.get("/courses/demo/demo-basics/welcome").status] += 1

    thread = threading.Thread(target=keep_reading, daemon=True)
    thread.start()
    for instance in instances:  # a rolling restart: one instance at a time
        instance.stop()
        instance.start()
        time.sleep(FAIL_TIMEOUT_S + 1)  # until nginx takes the restarted instance back into rotation
    time.sleep(0.5)
    stop.set()
    thread.join(timeout=30)
    after = {instance.content_version() for instance in instances}
    pages = [browser(instance.port, tls=False).get("/courses/demo/demo-basics/welcome").text for instance in instances]
    ok = (
        len(before) == 1
        and len(after) == 1
        and before != after
        and all(marker in page for page in pages)
        and set(statuses) == {200}
    )
    check(
        "a content change is seen alike by every instance",
        ok,
        f"versions {sorted(before)} -> {sorted(after)}, new text on {sum(marker in p for p in pages)} of 2, "
        f"requests during the restart {dict(statuses)}",
    )


if __name__ == "__main__":
    sys.exit(main())
