"""The bench's verdicts (bench/report.py, bench/measure.py): the lesson and /me goals are judged against the run's
median ceiling, so one disturbed probe can neither pass nor fail a route."""

from __future__ import annotations

from bench.measure import Ceiling
from bench.report import goals


def _run(cpu_ms: float, rps: float) -> dict:
    return {"rps": rps, "p50_ms": 1.0, "p95_ms": 2.0, "errors": 0, "tool": "wrk", "requests": 1000, "seconds": 3.0,
            "cpu_ms": cpu_ms, "others": 0.01}  # fmt: skip


def _report(probe_before_lesson_ms: float, lesson_ms: float = 1.80) -> dict:
    ceiling = Ceiling(tools={}, server=None, seconds=3.0, connections=10)  # no server: only its runs are read
    ceiling.runs = [_run(0.70, 2600.0) for _ in range(11)] + [_run(probe_before_lesson_ms, 1000.0)]
    probe = ceiling.runs[-1]
    rows = [
        ceiling.compare({"name": "signed in, empty page", **_run(1.20, 1500.0)}, ceiling.runs[0]),
        ceiling.compare({"name": "lesson", **_run(lesson_ms, 800.0)}, probe),
        ceiling.compare({"name": "/me", **_run(2.60, 700.0)}, ceiling.runs[0]),
    ]
    return {"routes": [ceiling.summary(), *ceiling.against_median(rows)]}


def _verdict(report: dict, name: str) -> dict:
    return next(goal for goal in goals(report) if goal["goal"].startswith(name))


def test_a_slow_probe_just_before_a_route_does_not_pass_it():
    report = _report(probe_before_lesson_ms=1.00)  # a moment of other work: the probe itself ran slow
    lesson = next(row for row in report["routes"] if row["name"] == "lesson")
    assert lesson["cpu_ratio"] == round(1.00 / 1.80, 3) > 0.45  # against that probe it would have passed
    assert lesson["median_cpu_ratio"] == round(0.70 / 1.80, 3)
    verdict = _verdict(report, "lesson page")
    assert verdict["status"] == "MISS"
    assert verdict["measured"].startswith("CPU 0.39 x (probe before it 0.56 x")


def test_a_fast_probe_does_not_fail_a_route_the_median_passes():
    report = _report(probe_before_lesson_ms=0.50, lesson_ms=1.50)
    lesson = next(row for row in report["routes"] if row["name"] == "lesson")
    assert lesson["cpu_ratio"] < 0.45 <= lesson["median_cpu_ratio"]  # 0.33 x that probe, 0.47 x the median
    assert _verdict(report, "lesson page")["status"] == "PASS"
    assert _verdict(report, "/me")["status"] == "PASS"  # 0.70 / 2.60 = 0.27 x
