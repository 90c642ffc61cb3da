"""Rate-limit counters under the production server: shared across gunicorn workers through Redis, and never
kept per worker (gunicorn.conf.py refuses to start several workers on memory:// counters). Also the proxy rule
under gunicorn: without a trusted proxy, X-Forwarded-For and X-Forwarded-Proto from a client count for nothing."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis

from greencustoms.config import several_workers_on_private_counters
from tests.conftest import FIXTURE_CONTENT

PROJECT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/4"  # this file's own Redis database; keys carry a per-run prefix too
HOST = "127.0.0.1"
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_env(database_url: str, tmp_path: Path, port: int, **extra: str) -> dict[str, str]:
    """The production server's environment: 2 workers on the test database and the fixture content."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GREENCUSTOMS_")}
    env.update(
        DATABASE_URL=database_url,
        GREENCUSTOMS_SECRET_KEY="test-secret-key",
        GREENCUSTOMS_CONTENT_ROOT=str(FIXTURE_CONTENT),
        GREENCUSTOMS_CONTENT_CACHE_DIR=str(tmp_path / "content-cache"),
        GREENCUSTOMS_BIND=f"{HOST}:{port}",
        GREENCUSTOMS_WORKERS="2",
        GREENCUSTOMS_THREADS="4",
        GREENCUSTOMS_JOBS_URL=f"sqlite:///{tmp_path / 'jobs.db'}",
        GREENCUSTOMS_JOBS_CONSUMER="external",
        GREENCUSTOMS_ACCESS_LOG=str(tmp_path / "access.log"),
        GUNICORN_CMD_ARGS="--access-logformat '%(p)s %(s)s %(r)s'",
        PYTHONPATH=str(PROJECT),
    )
    env.pop("RATELIMIT_STORAGE_URI", None)
    env.update(extra)
    return env


def start_gunicorn(env: dict[str, str], log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "-c", str(PROJECT / "gunicorn.conf.py"), "app:app"]
    with log.open("wb") as handle:
        return subprocess.Popen(command, cwd=PROJECT, env=env, stdout=handle, stderr=subprocess.STDOUT)


def wait_healthy(process: subprocess.Popen, port: int, log: Path, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}:\n{log.read_text()}")
        try:
            status, _headers, _body = request(port, "GET", "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer /healthz within {timeout:.0f} s:\n{log.read_text()}")


def wait_for_both_workers(port: int, access_log: Path, timeout: float = 60.0) -> None:
    """Ask /healthz on fresh connections until the access log shows two worker processes answering."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        request(port, "GET", "/healthz")
        if access_log.exists():
            pids = {line.split()[0] for line in access_log.read_text().splitlines() if "/healthz" in line}
            if len(pids) >= 2:
                return
        time.sleep(0.05)
    raise AssertionError("the second gunicorn worker never answered")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def request(port: int, method: str, path: str, body: str | None = None, headers: dict | None = None):
    """One request on a connection of its own (so that the kernel hands each one to any worker)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def sign_in_form(port: int) -> tuple[str, str]:
    """(session cookie, CSRF token) of a fresh visitor to /login."""
    _status, headers, page = request(port, "GET", "/login")
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    match = _CSRF.search(page)
    assert match, "no CSRF token on /login"
    return cookie, match.group(1) or match.group(2)


@pytest.fixture
def redis_prefix():
    """A key prefix of this run's own on Redis database 4; its keys are deleted afterwards."""
    client = redis.Redis.from_url(REDIS_URL)
    client.ping()  # Redis must answer on 127.0.0.1:6379: the production stack is what is tested here
    prefix = f"gc-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)
    client.close()


def test_thirty_guesses_over_two_workers_let_only_the_limit_through(_schema, tmp_path, redis_prefix):
    """The attack: 30 wrong sign-in guesses for one account, in parallel on fresh connections to a gunicorn with 2
    workers counting in Redis. Exactly the limit (10 per minute) is answered; the 20 others get 429. Each guess
    also claims another X-Forwarded-For and HTTPS, which no trusted proxy vouches for: neither a fresh address
    nor HSTS results."""
    port = free_port()
    env = server_env(
        _schema,
        tmp_path,
        port,
        GREENCUSTOMS_RATELIMIT_STORAGE_URI=REDIS_URL,
        GREENCUSTOMS_RATELIMIT_KEY_PREFIX=redis_prefix,
    )
    log = tmp_path / "gunicorn.log"
    server = start_gunicorn(env, log)
    try:
        wait_healthy(server, port, log)
        wait_for_both_workers(port, tmp_path / "access.log")
        cookie, token = sign_in_form(port)

        def guess(n: int):
            body = urlencode({"csrf_token": token, "email": "victim@example.org", "password": f"guess number {n}"})
            headers = {
                "Cookie": cookie,
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Forwarded-For": f"198.51.100.{n}",
                "X-Forwarded-Proto": "https",
            }
            return request(port, "POST", "/login", body, headers)

        with ThreadPoolExecutor(max_workers=6) as pool:
            answers = list(pool.map(guess, range(1, 31)))
    finally:
        stop(server)
    statuses = sorted(status for status, _headers, _body in answers)
    assert statuses.count(429) == 20, statuses
    answered = [body for status, _headers, body in answers if status != 429]
    assert len(answered) == 10 and all("The e-mail, username or password is not correct." in body for body in answered)
    assert not any("Strict-Transport-Security" in headers for _status, headers, _body in answers)
    posts = [line.split()[0] for line in (tmp_path / "access.log").read_text().splitlines() if "POST /login" in line]
    assert len(posts) == 30 and len(set(posts)) == 2, "both workers must have answered guesses"
    assert redis.Redis.from_url(REDIS_URL).keys(f"*{redis_prefix}*"), "the counters live in Redis"


def test_two_workers_on_memory_counters_refuse_to_start(_schema, tmp_path):
    """gunicorn.conf.py with 2 workers and the default memory:// counters exits at once with a clear message."""
    port = free_port()
    log = tmp_path / "gunicorn.log"
    server = start_gunicorn(server_env(_schema, tmp_path, port), log)
    try:
        server.wait(timeout=90)
    finally:
        stop(server)
    output = log.read_text()
    assert server.returncode != 0, output
    assert (
        "Refusing to start 2 workers with per-process rate-limit counters (RATELIMIT_STORAGE_URI=memory://)" in output
    )
    assert "GREENCUSTOMS_RATELIMIT_STORAGE_URI" in output and "Booting worker" not in output


@pytest.mark.parametrize(
    ("uri", "workers", "refused"),
    [
        ("memory://", 2, True),
        ("MEMORY://", 5, True),
        ("memory://", 1, False),
        ("redis://127.0.0.1:6379/0", 5, False),
    ],
)
def test_the_refusal_rule(uri, workers, refused):
    """Only several workers on per-process counters are refused; one worker, or a shared store, is fine."""
    assert (several_workers_on_private_counters(uri, workers) is not None) is refused
