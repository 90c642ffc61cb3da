"""Measuring routes against the ceiling: each measured run is preceded by a short run of the do-nothing route,
so that every ratio compares two figures taken seconds apart (the load of a shared machine drifts)."""

from __future__ import annotations

import gzip
import http.client
import statistics
import time
from collections.abc import Callable

from bench import load
from bench.server import Meter, Server

CEILING: load.Target = ("/__bench/ceiling", "")


def step(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def preflight(tools: dict, target: load.Target) -> None:
    """One GET of the target must answer 200 (204 for the grid's refresh when nothing changed) and not be the
    sign-in page: else the run measures nothing."""
    path, cookie = target[0], target[1]
    conn = http.client.HTTPConnection(tools["host"], tools["port"], timeout=60)
    conn.request("GET", path, headers=load.headers_of(target))
    response = conn.getresponse()
    body = response.read()
    conn.close()
    if response.getheader("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    if response.status not in (200, 204) or (cookie and b'action="/login' in body and b'name="password"' in body):
        raise RuntimeError(f"GET {path} answered {response.status}: not the page to measure")


def metered(server: Server, name: str, path: str, run: Callable[[], load.Result]) -> dict:
    """Run one measurement; the row adds the server's CPU ms per request and the other processes' share."""
    with Meter(server) as meter:
        result = run()
    cpu_ms = meter.server_cpu * 1000 / result.requests if meter.server_cpu is not None and result.requests else None
    return {
        "name": name,
        "path": path,
        **result.as_dict(),
        "cpu_ms": cpu_ms and round(cpu_ms, 3),
        "others": meter.others,
    }


class Ceiling:
    """The do-nothing route, measured before every other measurement; the table shows the median run."""

    def __init__(self, tools: dict, server: Server, seconds: float, connections: int):
        self.tools, self.server, self.seconds, self.connections = tools, server, seconds, connections
        self.runs: list[dict] = []

    def probe(self) -> dict:
        self.server.wait_idle()
        run = metered(
            self.server,
            "ceiling",
            CEILING[0],
            lambda: load.measure_get(self.tools, [CEILING], self.seconds, self.connections),
        )
        if run["errors"]:  # every ratio divides by this run: a refused or failing ceiling makes them all wrong
            raise RuntimeError(f"the ceiling route {CEILING[0]} answered {run['errors']} errors: fix it first")
        self.runs.append(run)
        return run

    def compare(self, row: dict, probe: dict) -> dict:
        """ratio: the row's req/s over the ceiling's just before; cpu_ratio: ceiling CPU ms over the row's."""
        row["ceiling_rps"] = probe["rps"]
        row["ratio"] = round(row["rps"] / probe["rps"], 3) if probe["rps"] else None
        both = probe.get("cpu_ms") and row.get("cpu_ms")
        row["cpu_ratio"] = round(probe["cpu_ms"] / row["cpu_ms"], 3) if both else None
        return row

    def median(self, key: str) -> float | None:
        """The median of one figure over the ceiling's runs so far."""
        values = [run[key] for run in self.runs if run.get(key) is not None]
        return round(statistics.median(values), 3) if values else None

    def against_median(self, rows: list[dict]) -> list[dict]:
        """`rows`, each given its `median_cpu_ratio`: the median ceiling's CPU ms over the row's. The goals are
        judged on it: one probe is a few seconds of load, and a moment of other work during it (a slower ceiling)
        made a route read 0.53 x against it while the run's median said 0.38 x."""
        cpu_ms = self.median("cpu_ms")
        for row in rows:
            row["median_cpu_ratio"] = round(cpu_ms / row["cpu_ms"], 3) if cpu_ms and row.get("cpu_ms") else None
        return rows

    def summary(self) -> dict:
        """The ceiling's row: medians over its runs, with every run's req/s kept in `runs_rps`."""
        runs, median = self.runs, self.median
        return {
            "name": f"ceiling /__bench/ceiling (median of {len(runs)})",
            "path": CEILING[0],
            "requests": sum(run["requests"] for run in runs),
            "seconds": sum(run["seconds"] for run in runs),
            "rps": median("rps"),
            "p50_ms": median("p50_ms"),
            "p95_ms": median("p95_ms"),
            "errors": sum(run["errors"] for run in runs),
            "tool": runs[0]["tool"],
            "cpu_ms": median("cpu_ms"),
            "others": median("others"),
            "ratio": 1.0,
            "cpu_ratio": 1.0,
            "median_cpu_ratio": 1.0,
            "runs_rps": [run["rps"] for run in runs],
        }


def measure_routes(opts: dict, tools: dict, ceiling: Ceiling, pages: list) -> list[dict]:
    """GET each page (name, [targets], note for n/a, connections or None) under load, each right after a
    ceiling probe and once the server is idle."""
    rows = []
    for name, targets, note, connections in pages:
        if not targets:
            rows.append({"name": name, "path": None, "rps": None, "note": note})
            continue
        preflight(tools, targets[0])
        step(f"load: {name} ({targets[0][0]}{' ...' if len({t[0] for t in targets}) > 1 else ''})")
        probe = ceiling.probe()
        ceiling.server.wait_idle()
        conns = connections or opts["connections"]
        run = metered(
            ceiling.server,
            name,
            targets[0][0],
            lambda t=targets, c=conns: load.measure_get(tools, t, opts["seconds"], c),
        )
        run["connections"] = conns
        rows.append(ceiling.compare(run, probe))
    return rows
