"""The platform under gunicorn for the bench: production settings (gunicorn.conf.py) on a free loopback port.

`Server` is a context manager: it starts gunicorn, waits for /healthz and always stops it on the way out,
including after an error or Ctrl+C. The server log (access log included) goes to a file in the run's folder.
"""

from __future__ import annotations

import http.client
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
# Rate limits stay on (their cost is part of every request) but high enough for one machine playing 50 people.
UNLIMITED = "1000000 per minute"


def free_port() -> int:
    """A TCP port nobody listens on right now, on loopback."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def app_env(database_url: str, secret_key: str, port: int | None = None) -> dict[str, str]:
    """Environment for the app and the flask CLI: the bench database, a fixed key, the bench's rate limits."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        GREENCUSTOMS_SECRET_KEY=secret_key,
        GREENCUSTOMS_LOGIN_RATE_LIMIT=UNLIMITED,
        GREENCUSTOMS_VERIFY_RATE_LIMIT=UNLIMITED,
        GREENCUSTOMS_CONTENT_RELOAD="0",
        PYTHONPATH=str(ROOT),
    )
    env.pop("GREENCUSTOMS_DEPLOYMENT", None)
    # Several gunicorn workers need shared rate-limit counters (gunicorn.conf.py refuses memory:// with more than
    # one): the production store, Redis on loopback, under a key prefix of the bench's own.
    if not (env.get("GREENCUSTOMS_RATELIMIT_STORAGE_URI") or env.get("RATELIMIT_STORAGE_URI")):
        env["GREENCUSTOMS_RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:6379/0"
        env.setdefault("GREENCUSTOMS_RATELIMIT_KEY_PREFIX", "greencustoms-bench")
    if port is not None:
        env["GREENCUSTOMS_BIND"] = f"{HOST}:{port}"
    return env


def healthz(port: int, timeout: float = 2.0) -> bool:
    """True when GET /healthz answers 200."""
    try:
        conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        conn.request("GET", "/healthz")
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except OSError:
        return False


class Server:
    """gunicorn -c gunicorn.conf.py bench.ceiling_app:app, started on enter and stopped on exit."""

    def __init__(self, env: dict[str, str], port: int, log_path: Path, start_timeout: float = 120.0):
        self.env, self.port, self.log_path, self.start_timeout = env, port, log_path, start_timeout
        self.process: subprocess.Popen | None = None
        self.seconds_to_healthz: float | None = None

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def __enter__(self) -> Server:
        command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "bench.ceiling_app:app"]
        self._log = self.log_path.open("ab")
        started = time.perf_counter()
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        previous = signal.signal(signal.SIGTERM, _raise_exit)  # `kill` of the bench still stops gunicorn
        self._previous_handler = previous
        try:
            while not healthz(self.port):
                if self.process.poll() is not None:
                    raise RuntimeError(f"gunicorn exited with {self.process.returncode}: see {self.log_path}")
                if time.perf_counter() - started > self.start_timeout:
                    raise RuntimeError(f"gunicorn did not answer /healthz within {self.start_timeout:.0f} s")
                time.sleep(0.05)
        except BaseException:
            self.stop()
            raise
        self.seconds_to_healthz = time.perf_counter() - started
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def stop(self) -> None:
        """SIGTERM to the gunicorn master (graceful), then SIGKILL to its process group if it lingers."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        if getattr(self, "_previous_handler", None) is not None:
            signal.signal(signal.SIGTERM, self._previous_handler)
            self._previous_handler = None
        if getattr(self, "_log", None) is not None:
            self._log.close()
            self._log = None

    def cpu_seconds(self) -> float | None:
        """CPU time used so far by gunicorn: master, live workers, and recycled workers (reaped into the
        master's children time). On a machine shared with other work this is steadier than wall-clock rates."""
        if self.process is None or not Path("/proc").exists():
            return None
        tick = os.sysconf("SC_CLK_TCK")
        master = _stat(self.process.pid)
        if master is None:
            return None
        total = sum(int(master[i]) for i in (11, 12, 13, 14))  # utime, stime, cutime, cstime
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and entry.name != str(self.process.pid):
                fields = _stat(int(entry.name))
                if fields is not None and fields[1] == str(self.process.pid):
                    total += int(fields[11]) + int(fields[12])
        return total / tick

    def wait_idle(self, timeout: float = 90.0) -> float:
        """Wait until gunicorn has worked off what a finished load run left queued (a load generator that stops
        does not stop the requests already accepted); returns the seconds waited."""
        started = time.perf_counter()
        last = self.cpu_seconds()
        while last is not None and time.perf_counter() - started < timeout:
            time.sleep(0.3)
            now = self.cpu_seconds()
            if now - last < 0.3 * 0.1:  # under a tenth of one CPU over the last 0.3 s
                break
            last = now
        return time.perf_counter() - started

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""


class Meter:
    """CPU used during one measurement (Linux): by the server (`server_cpu`, seconds) and by processes other
    than the server and the load generator (`others`, a share of the machine from 0 to 1). A high `others`
    means the figures were taken on a busy machine."""

    def __init__(self, server: Server):
        self.server, self.server_cpu, self.others = server, None, None

    @staticmethod
    def _snapshot() -> tuple[float, float | None, float]:
        mine = sum(
            resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
            for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        )
        try:
            fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
            busy = (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError):
            busy = None
        return time.perf_counter(), busy, mine

    def __enter__(self) -> Meter:
        self._start, self._cpu = self._snapshot(), self.server.cpu_seconds()
        return self

    def __exit__(self, *_exc) -> None:
        (t0, busy0, mine0), (t1, busy1, mine1) = self._start, self._snapshot()
        cpu = self.server.cpu_seconds()
        self.server_cpu = cpu - self._cpu if cpu is not None and self._cpu is not None else None
        if busy0 is not None and self.server_cpu is not None and t1 > t0:
            others = (busy1 - busy0) - self.server_cpu - (mine1 - mine0)
            self.others = round(min(1.0, max(0.0, others / ((t1 - t0) * (os.cpu_count() or 1)))), 2)


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (index 0 is the state, 1 the parent pid)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _raise_exit(_signum, _frame) -> None:
    raise SystemExit(143)
