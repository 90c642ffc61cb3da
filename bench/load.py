"""Load generators: wrk (C, with a Lua script that rotates over signed-in people and pages) or, when wrk is
missing, a Python one (threads, one http.client keep-alive connection each). Both give the same `Result`.

`run_tasks` drives stateful flows (quiz saves and submits): N threads, each with its own people and requests.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

from bench.client import Reply

PYTHON_TOOL = "python threads + http.client keep-alive (bench/load.py)"

# One request of a rotation: (path, Cookie header or ""), or (path, cookie, {other headers}): "Accept-Encoding"
# for a route measured as browsers ask for it.
Target = tuple[str, str] | tuple[str, str, dict[str, str]]


def headers_of(target: Target) -> dict[str, str]:
    """The request headers of a target: its cookie, if any, and its other headers."""
    headers = dict(target[2]) if len(target) > 2 else {}  # type: ignore[misc]
    if target[1]:
        headers["Cookie"] = target[1]
    return headers


@dataclass
class Result:
    """Throughput and latency of one measured run. `errors` counts connection failures and 4xx/5xx answers."""

    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    errors: int
    tool: str
    error_kinds: dict[str, int] = field(default_factory=dict)  # "HTTP 409", "RemoteDisconnected": how many

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        return {**asdict(self), "rps": round(self.rps, 1)}


def ensure_wrk() -> tuple[str | None, str]:
    """The wrk binary, installed with apt-get when missing and running as root; else (None, why not)."""
    found = shutil.which("wrk")
    if found:
        return found, ""
    if os.name == "posix" and os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing: installing it with apt-get ...", flush=True)
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        if subprocess.run(["apt-get", "install", "-y", "wrk"], **quiet).returncode != 0:
            subprocess.run(["apt-get", "update"], **quiet)
            subprocess.run(["apt-get", "install", "-y", "wrk"], **quiet)
        found = shutil.which("wrk")
        return (found, "") if found else (None, "apt-get could not install wrk")
    return None, "wrk is not installed (Debian: sudo apt-get install wrk); using the Python load generator"


def wrk_version(wrk: str) -> str:
    first = subprocess.run([wrk, "--version"], capture_output=True, text=True).stdout.splitlines()
    return first[0].split(" [")[0] if first else "wrk"


_LUA = """
local targets = %s
local i = 0
request = function()
  i = i %% #targets + 1
  local t = targets[i]
  return wrk.format("GET", t[1], t[2])
end
done = function(s, latency, requests)
  local e = s.errors
  io.write(string.format('BENCH_JSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, ' ..
    '"errors": %%d}\\n', s.requests, s.duration, latency:percentile(50), latency:percentile(95),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def run_wrk(wrk: str, base: str, targets: Sequence[Target], seconds: float, connections: int) -> Result:
    """wrk -t1 -c<connections> for `seconds` over the targets in turn; non-2xx/3xx answers count as errors."""
    lua = "{" + ",".join(f"{{{json.dumps(target[0])},{_lua_table(headers_of(target))}}}" for target in targets) + "}"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_LUA % lua)
    try:
        command = [
            wrk,
            "-t1",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "30s",
            "-s",
            script.name,
            base,
        ]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    line = next(line for line in out.splitlines() if line.startswith("BENCH_JSON "))
    data = json.loads(line.removeprefix("BENCH_JSON "))
    return Result(
        data["requests"],
        data["duration_us"] / 1e6,
        data["p50_us"] / 1000,
        data["p95_us"] / 1000,
        data["errors"],
        wrk_version(wrk),
    )


def _lua_table(headers: dict[str, str]) -> str:
    return "{" + ",".join(f"[{json.dumps(name)}]={json.dumps(value)}" for name, value in headers.items()) + "}"


def run_python(host: str, port: int, targets: Sequence[Target], seconds: float, connections: int) -> Result:
    """The same measurement with threads: each keeps one connection and walks the targets from its own offset."""
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    stop = time.perf_counter() + seconds

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        n = index
        while time.perf_counter() < stop:
            target = targets[n % len(targets)]
            n += connections
            start = time.perf_counter()
            try:
                conn.request("GET", target[0], headers=headers_of(target))
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    errors[index] += 1
            except (http.client.HTTPException, OSError):
                errors[index] += 1
                conn.close()
                continue
            latencies[index].append(time.perf_counter() - start)
        conn.close()

    began = time.perf_counter()
    _join([threading.Thread(target=worker, args=(i,)) for i in range(connections)])
    return summarise([x for chunk in latencies for x in chunk], time.perf_counter() - began, sum(errors), PYTHON_TOOL)


def measure_get(load: dict, targets: Sequence[Target], seconds: float, connections: int) -> Result:
    """GET the targets under load with the chosen tool (`load` = {"wrk": path or None, "host", "port"})."""
    if load["wrk"]:
        return run_wrk(load["wrk"], f"http://{load['host']}:{load['port']}", targets, seconds, connections)
    return run_python(load["host"], load["port"], targets, seconds, connections)


def run_tasks(per_thread: Sequence[Sequence[Callable[[], Reply]]], ok: Callable[[Reply], bool]) -> Result:
    """Run each thread's calls in order, all threads at once; every call is one timed request. A call that
    raises or whose reply is not `ok` counts as an error."""
    latencies: list[float] = []
    kinds: Counter[str] = Counter()
    lock = threading.Lock()

    def worker(calls: Sequence[Callable[[], Reply]]) -> None:
        mine, failed = [], Counter()
        for call in calls:
            try:
                reply = call()
            except Exception as error:  # counted: a load run reports failures, it does not stop at the first
                failed[type(error).__name__] += 1
                continue
            mine.append(reply.seconds)
            if not ok(reply):
                failed[f"HTTP {reply.status}"] += 1
        with lock:
            latencies.extend(mine)
            kinds.update(failed)

    began = time.perf_counter()
    _join([threading.Thread(target=worker, args=(calls,)) for calls in per_thread])
    seconds = time.perf_counter() - began
    result = summarise(latencies, seconds, sum(kinds.values()), PYTHON_TOOL)
    result.requests = sum(len(calls) for calls in per_thread)
    result.error_kinds = dict(kinds)
    return result


def summarise(latencies: list[float], seconds: float, errors: int, tool: str) -> Result:
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000 if ordered else 0.0

    return Result(len(ordered), seconds, pct(50), pct(95), errors, tool)


def _join(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
