"""The bench's output: the printed table, bench/results/latest.json, and the PASS/MISS verdict on each goal."""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
KB = 1000  # goals are in kB of 1,000 bytes


def goals(report: dict) -> list[dict]:
    """The goals of issues 8 and 18 on this machine, each PASS, MISS or n/a with the figure it was judged on."""
    out = []

    def goal(name: str, target: str, measured: str, ok: bool | None) -> None:
        out.append(
            {
                "goal": name,
                "target": target,
                "measured": measured,
                "status": "n/a" if ok is None else "PASS" if ok else "MISS",
            }
        )

    # Judged on the route's CPU per request against the run's median ceiling (measure.Ceiling.summary): req/s ratios
    # swing with whatever else runs (a starved ceiling probe once read 1.53 x for the anonymous lesson), CPU per
    # request much less, and a median of a dozen probes less than the one probe just before the route. The ratio to
    # that probe is shown too. The signed-in empty page is the best any signed-in page can reach: shown beside.
    def judged_ratio(row: dict | None) -> float | None:
        if row is None:
            return None
        return row.get("median_cpu_ratio") or row.get("cpu_ratio") or row.get("ratio")

    floor = judged_ratio(next((r for r in report["routes"] if r["name"] == "signed in, empty page"), None))
    for route, goal_name, target in (
        ("lesson", "lesson page (signed in) vs ceiling", 0.45),
        ("/me", "/me vs ceiling", 0.25),
    ):
        row = next((r for r in report["routes"] if r["name"] == route), None)
        judged = judged_ratio(row)
        if row and row.get("median_cpu_ratio"):
            measured = f"CPU {judged:.2f} x (probe before it {row['cpu_ratio']:.2f} x, req/s {row['ratio']:.2f} x)"
        elif row and row.get("cpu_ratio") and row.get("ratio"):
            measured = f"CPU {judged:.2f} x (req/s {row['ratio']:.2f} x)"
        else:
            measured = f"{judged:.2f} x" if judged else "n/a"
        if judged and floor:
            measured += f"; signed-in empty page {floor:.2f} x"
        goal(goal_name, f">= {target} x ceiling", measured, None if not judged else judged >= target)
    grid = next((r for r in report["routes"] if r["name"].startswith("trainer grid refresh")), None)
    grid_cpu = grid and grid.get("cpu_ms")
    goal(
        "trainer grid, 200 people: CPU per refresh",
        "<= 10 ms",
        f"{grid_cpu:.1f} ms" if grid_cpu else "n/a",
        None if not grid_cpu else grid_cpu <= 10,
    )
    started = report.get("startup") or {}
    startup = started.get("create_app_cpu_s") or started.get("create_app_s")
    wall = started.get("create_app_s")
    goal(
        "start-up: create_app() with all content",
        "<= 1.5 s CPU",
        f"{startup:.2f} s CPU ({wall:.2f} s wall)" if startup and wall else "n/a",
        None if not startup else startup <= 1.5,
    )
    quiz = report.get("quiz") or {}
    submit = quiz.get("submit") or {}
    if submit:
        clean = quiz["database_locked"] == 0 and quiz["lost_answers"] == 0 and quiz["not_graded_exactly_once"] == 0
        clean = clean and quiz["save"]["errors"] == 0 and submit["errors"] == 0
        measured = (
            f"{submit['rps']:.0f}/s, {quiz['database_locked']} locked, {quiz['lost_answers']} lost, "
            f"{quiz['save']['errors'] + submit['errors']} errors"
        )
        goal("quiz submissions, 50 learners", ">= 100/s, no lock, no loss", measured, clean and submit["rps"] >= 100)
    else:
        goal("quiz submissions, 50 learners", ">= 100/s, no lock, no loss", "not measured", None)
    rows = [r for r in (report.get("export") or {}).get("rows", []) if r.get("peak_bytes")]
    if len({r["rows"] for r in rows}) >= 2:
        factors = {}
        for fmt in sorted({r["format"] for r in rows}):
            mine = [r for r in rows if r["format"] == fmt]
            small, large = min(mine, key=lambda r: r["rows"]), max(mine, key=lambda r: r["rows"])
            factors[fmt or "export"] = large["peak_bytes"] / small["peak_bytes"]
        sizes = sorted({r["rows"] for r in rows})
        measured = ", ".join(f"{fmt} {factor:.2f} x" for fmt, factor in factors.items())
        goal(
            f"export peak memory {sizes[-1]:,} vs {sizes[0]:,} rows",
            "<= 1.5 x",
            measured,
            all(factor <= 1.5 for factor in factors.values()),
        )
    else:
        note = (report.get("export") or {}).get("note", "n/a")
        goal("export peak memory 100,000 vs 1,000 rows", "<= 1.5 x", note, None)
    weight = report.get("weight")
    if weight:
        measured = (
            f"{weight['total_bytes'] / KB:.1f} kB, {weight['requests']} requests, JS {weight['js_bytes'] / KB:.1f} kB"
        )
        ok = weight["total_bytes"] <= 100 * KB and weight["requests"] <= 10 and weight["js_bytes"] <= 45 * KB
        goal("lesson first visit", "<= 100 kB, <= 10 requests, JS <= 45 kB", measured, ok)
        wire = weight.get("wire_total_bytes")
        goal(
            "lesson first visit on the wire",
            "<= 10 kB",
            f"{wire / KB:.1f} kB" if wire else "n/a",
            None if not wire else wire <= 10 * KB,
        )
    return out


def _num(value, width: int, decimals: int = 2) -> str:
    return f"{value:{width}.{decimals}f}" if isinstance(value, int | float) else " " * width


def _ms(value) -> str:
    return f"{value:8.1f}" if isinstance(value, int | float) else f"{'':>8}"


def table(report: dict) -> str:
    """The human-readable summary printed at the end of a run."""
    cfg = report["config"]
    lines = [
        f"Green Customs Learn bench{' (--quick)' if report['quick'] else ''}: {cfg['cpus']} CPUs, "
        f"Python {cfg['python']}, "
        f"gunicorn {cfg['workers']} workers x {cfg['threads']} threads, {cfg['database']}",
        f"load: {cfg['tool']}, {cfg['connections']} connections, {cfg['seconds']:g} s per GET route; load average "
        f"before the run {cfg.get('load_average_before', '?')}{', ' + cfg['priority'] if cfg.get('priority') else ''}; "
        f"data: {', '.join(f'{v:,} {k}' for k, v in report['seed']['counts'].items())}",
        "",
        f"{'route':<36} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6} {'x ceiling':>9} "
        f"{'CPU ms/req':>10} {'CPU x ceil':>10} {'others':>6}",
    ]
    for r in report["routes"]:
        if r.get("rps") is None:
            lines.append(f"{r['name']:<36} {'n/a':>7}  {r.get('note', '')}")
            continue
        lines.append(
            f"{r['name']:<36} {r['rps']:7.1f} {_ms(r['p50_ms'])} {_ms(r['p95_ms'])} {r['errors']:6d} "
            f"{_num(r.get('ratio'), 9)} {_num(r.get('cpu_ms'), 10)} {_num(r.get('cpu_ratio'), 10)} "
            f"{_num(r.get('others') and 100 * r['others'], 5, 0)}%"
        )
    lines.append(
        "  x ceiling: req/s over the ceiling's, measured just before; CPU ms/req: gunicorn's CPU time per "
        "request; CPU x ceil: ceiling CPU ms over the route's; others: CPU share taken by other processes"
    )
    quiz = report.get("quiz")
    if quiz:
        lines.append(
            f"  quiz: {quiz['learners']} learners at once, {quiz['attempts']} attempts; "
            f"'database is locked' {quiz['database_locked']}, server 5xx {quiz['server_errors']}, "
            f"lost answers {quiz['lost_answers']}, not graded exactly once {quiz['not_graded_exactly_once']}"
        )
        for phase in ("save", "submit"):
            kinds = (quiz.get(phase) or {}).get("error_kinds")
            if kinds:
                listed = ", ".join(f"{kind} x{n}" for kind, n in sorted(kinds.items()))
                lines.append(f"  quiz {phase} errors: {listed}")
    w = report.get("weight")
    if w:
        kinds = ", ".join(f"{k} {v / KB:.1f}" for k, v in w["bytes_by_kind"].items() if v)
        lines += [
            "",
            f"lesson page weight ({w['path']}): HTML {w['html_bytes'] / KB:.1f} kB; first visit "
            f"{w['total_bytes'] / KB:.1f} kB in {w['requests']} requests ({kinds} kB; "
            f"{w['gzip_total_bytes'] / KB:.1f} kB gzipped)",
        ]
    export = report.get("export") or {}
    lines += ["", "completion export: " + (export.get("note") or "")]
    for r in export.get("rows", []):
        peak = f"{r['peak_bytes'] / 2**20:8.1f} MiB" if r.get("peak_bytes") else "       n/a"
        lines.append(f"  {r['rows']:>9,} rows {r.get('format', ''):>5} {r.get('seconds', 0):8.2f} s  peak {peak}")
    lines += ["", "certificate PDF:"]
    for r in report.get("certificates") or []:
        lines.append(f"  {r['case']:<48} {r['seconds']:7.3f} s {r['bytes']:>9,} bytes")
    s = report.get("startup") or {}
    lines += [
        "",
        f"start-up: import {s.get('import_s', 0):.2f} s + create_app() {s.get('create_app_s', 0):.2f} s "
        f"({s.get('create_app_cpu_s', 0):.2f} s CPU; full curriculum); "
        f"gunicorn to first /healthz {s.get('gunicorn_healthz_s', 0):.2f} s",
        "",
    ]
    for g in report["goals"]:
        lines.append(f"{g['status']:<5} {g['goal']:<44} target {g['target']:<42} measured {g['measured']}")
    return "\n".join(lines)


def write(report: dict, name: str = "latest.json") -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / name
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
