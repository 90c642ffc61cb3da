"""`python -m bench [--quick]`: seed a fresh SQLite database, serve the platform under gunicorn on loopback, load
it, and print (and write to bench/results/latest.json) throughput, latency, page weight, export, certificate and
start-up figures with a PASS/MISS verdict per goal. See bench/README.md."""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import re
import secrets
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from bench import load, measure, quizload, report, seed, weight
from bench.client import sign_in
from bench.export_bench import export_figures
from bench.grid import GRID_CONNECTIONS, grid_path, grid_refresh_path
from bench.measure import step
from bench.server import HOST, ROOT, Server, app_env, free_port

FULL = {
    "learners": 2000,
    "attempts": 10_000,
    "participants": 200,
    "seconds": 10,
    "probe_seconds": 4,
    "rounds": 2,
    "quizzes": 18,
    "export_sizes": [1_000, 10_000, 100_000],
    "pdf_repeats": 3,
}
QUICK = {
    "learners": 300,
    "attempts": 1_500,
    "participants": 200,
    "seconds": 3,
    "probe_seconds": 2,
    "rounds": 1,
    "quizzes": 3,
    "export_sizes": [1_000, 5_000],
    "pdf_repeats": 1,
}


def empty_database(url: str) -> None:
    """Drop every table of the PostgreSQL database at `url` (its public schema), for a fresh bench run."""
    import psycopg

    from greencustoms.config import normalise_database_url

    plain = normalise_database_url(url).replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


def run(opts: dict, rep: dict, workdir: Path) -> None:
    url = opts["database"] or f"sqlite:///{workdir / 'bench.db'}"
    if opts["database"]:
        step("emptying the PostgreSQL database given with --database")
        empty_database(url)
    secret = secrets.token_hex(32)
    wrk, why = (None, "--tool python") if opts["tool"] == "python" else load.ensure_wrk()
    if why:
        print(why, flush=True)
    tools = {"wrk": wrk, "host": HOST}
    rep["config"]["tool"] = load.wrk_version(wrk) if wrk else load.PYTHON_TOOL
    step("flask db upgrade on the fresh database")
    seed.migrate(app_env(url, secret))
    # An installed app has its bytecode (pip and Debian compile at install, gunicorn's first start writes it); a
    # machine with PYTHONDONTWRITEBYTECODE set would otherwise compile the package's 200-odd modules at every start
    # (about 0.4 s), which no deployment pays (docs/deploy.md, "Install").
    step("compiling the package's bytecode, as an installation has it")
    compileall.compile_dir(str(ROOT / "greencustoms"), quiet=1)
    step("create_app() with the full curriculum (this process's first: imports included)")
    started = time.perf_counter()
    from greencustoms import create_app

    imported, imported_cpu = time.perf_counter(), time.process_time()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret})
    created, created_cpu = time.perf_counter(), time.process_time()
    rep["startup"] = {
        "import_s": round(imported - started, 3),
        "create_app_s": round(created - imported, 3),
        # CPU seconds of the same call: what it costs whatever else the machine runs (the goal is judged on it)
        "create_app_cpu_s": round(created_cpu - imported_cpu, 3),
    }
    step(f"seeding {opts['learners']:,} learners, {opts['attempts']:,} attempts, certificates, a workshop")
    data = seed.seed(app, opts["learners"], opts["attempts"], 0.25, opts["participants"])
    rep["seed"] = {"counts": data.counts, "seconds": round(data.seconds, 2)}
    port = free_port()
    tools["port"] = port
    step(f"starting gunicorn on {HOST}:{port}")
    with Server(app_env(url, secret, port), port, workdir / "server.log") as server:
        rep["startup"]["gunicorn_healthz_s"] = round(server.seconds_to_healthz, 3)
        count = opts["connections"] * opts["rounds"]
        step(f"signing in {count} learners and starting {opts['quizzes']} attempts each")
        browsers = quizload.sign_in_all(HOST, port, data.learners[-count:], seed.PASSWORD)
        slugs = sorted(app.extensions["catalog"].quizzes)[: opts["quizzes"]]
        learners = quizload.start_attempts(browsers, slugs)
        people = [b.cookie_header for b in browsers[: opts["connections"]]]
        lesson, _title = weight.heaviest_lesson(app)
        grid = grid_path(app, data.workshop_id)
        trainer_browser = sign_in(HOST, port, data.trainer, seed.PASSWORD) if grid else None
        trainer = trainer_browser.cookie_header if trainer_browser else ""
        refresh = grid_refresh_path(trainer_browser, grid) if trainer_browser and grid else None
        from greencustoms.certificates.codes import format_code

        pages = [  # (name, [(path, cookie)], why n/a, connections when not --connections)
            ("signed in, empty page", [("/__bench/signed-in", c) for c in people], "", None),
            ("catalogue /", [("/", c) for c in people], "", None),
            ("lesson", [(lesson, c) for c in people], "", None),
            ("lesson, gzip as browsers ask", [(lesson, c, {"Accept-Encoding": "gzip"}) for c in people], "", None),
            ("lesson, anonymous", [(lesson, "")], "", None),
            (
                "quiz take page",
                [
                    (f"/quizzes/{a.quiz_slug}/attempts/{a.attempt_id}", lr.browser.cookie_header)
                    for lr in learners[: opts["connections"]]
                    for a in lr.attempts[:1]
                ],
                "",
                None,
            ),
            ("/me", [("/me", c) for c in people], "", None),
            (
                "certificate verification",
                [(f"/certificates/{format_code(code)}", "") for code in data.certificate_codes[:200]],
                "",
                None,
            ),
            (
                f"trainer grid refresh, {data.counts['workshop_participants']} people, {GRID_CONNECTIONS} conn.",
                [(refresh, trainer)] if refresh else None,
                "the grid page names no refresh address with a version (data-refresh-url, data-version)",
                GRID_CONNECTIONS,
            ),
            (
                f"trainer grid page, {data.counts['workshop_participants']} people, {GRID_CONNECTIONS} conn.",
                [(grid, trainer)] if grid else None,
                "no /workshops/<id> grid route registered yet (workshop views are not in create_app)",
                GRID_CONNECTIONS,
            ),
        ]
        ceiling = measure.Ceiling(tools, server, opts["probe_seconds"], opts["connections"])
        rows = measure.measure_routes(opts, tools, ceiling, pages)
        attempts = sum(len(lr.attempts) for lr in learners)
        phases = (("quiz answer save (POST)", quizload.save_all), ("quiz submit (POST)", quizload.submit_all))
        for name, phase in phases:
            step(f"{name}: {attempts} attempts, {opts['connections']} learners at once")
            probe = ceiling.probe()
            server.wait_idle()
            run = measure.metered(
                server, name, "/quizzes/<quiz>/attempts/<id>", lambda p=phase: p(learners, opts["connections"])
            )
            rows.append(ceiling.compare(run, probe))
        rep["routes"] = [ceiling.summary(), *ceiling.against_median(rows)]
        saved, submitted = rows[-2], rows[-1]
        step("lesson page weight (first visit)")
        rep["weight"] = weight.first_visit(sign_in(HOST, port, data.learners[0], seed.PASSWORD), lesson)
        for browser in browsers:
            browser.close()
        log = server.log_text()
    rep["quiz"] = {
        "learners": opts["connections"],
        "attempts": attempts,
        "save": saved,
        "submit": submitted,
        "database_locked": log.count("database is locked"),
        "server_errors": len(re.findall(r'HTTP/1\.[01]" 5\d\d ', log)),
        **quizload.verify(app, learners),
    }
    step("certificate PDFs (run_certificate_bench)")
    from bench.certificates_bench import run_certificate_bench

    rep["certificates"] = run_certificate_bench(repeats=opts["pdf_repeats"], batch=100)
    step(f"completion export {opts['export_sizes']} rows")
    rep["export"] = export_figures(opts["export_sizes"], app_env(url, secret))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller numbers: finishes within two minutes")
    parser.add_argument("--tool", choices=["auto", "python"], default="auto", help="force the Python load generator")
    parser.add_argument("--connections", type=int, default=50, help="simultaneous connections / learners (50)")
    parser.add_argument("--seconds", type=float, help="seconds per GET route (10, or 3 with --quick)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (database, server.log)")
    parser.add_argument(
        "--database",
        metavar="URL",
        help="run on this PostgreSQL database instead of a fresh SQLite file (postgresql://...); "
        "EVERY TABLE IN IT IS DROPPED first",
    )
    parser.add_argument(
        "--priority",
        action="store_true",
        help="root only: run the bench, gunicorn and wrk at nice -10, shielding the figures from other "
        "work on a shared machine (other processes slow down meanwhile)",
    )
    args = parser.parse_args(argv)
    if args.database and not args.database.startswith(("postgresql:", "postgres:", "postgresql+psycopg:")):
        parser.error("--database takes a PostgreSQL URL (postgresql://user@host:port/name)")
    opts = dict(QUICK if args.quick else FULL, tool=args.tool, connections=args.connections, database=args.database)
    opts["seconds"] = args.seconds or opts["seconds"]
    workdir = Path(tempfile.mkdtemp(prefix="gcl-bench-"))
    rep: dict = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "quick": args.quick,
        "routes": [],
        "seed": {"counts": {}},
        "config": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "workers": int(os.environ.get("GREENCUSTOMS_WORKERS", (os.cpu_count() or 1) * 2 + 1)),
            "threads": int(os.environ.get("GREENCUSTOMS_THREADS", "2")),
            "database": "PostgreSQL" if args.database else "SQLite (WAL)",
            "connections": opts["connections"],
            "seconds": opts["seconds"],
            "tool": "?",
        },
    }
    if args.priority:
        try:
            os.setpriority(os.PRIO_PROCESS, 0, -10)  # inherited by gunicorn, its workers and wrk
            rep["config"]["priority"] = "nice -10"
        except PermissionError:
            print("--priority needs root: running at normal priority", flush=True)
    rep["config"]["load_average_before"] = round(os.getloadavg()[0], 2)
    busy = os.getloadavg()[0] > 0.5 * (os.cpu_count() or 1)
    if busy:
        print(
            f"warning: load average {os.getloadavg()[0]:.1f} before the run: other processes use the CPU, so "
            "req/s will be lower and noisier (the CPU ms per request columns are steadier)",
            flush=True,
        )
    started, status = time.perf_counter(), 0
    try:
        run(opts, rep, workdir)
    except Exception as error:  # the partial report is still written, with the error in it
        traceback.print_exc()
        rep["error"] = f"{type(error).__name__}: {error}"
        status = 1
    finally:
        rep["seconds"] = round(time.perf_counter() - started, 1)
        rep["goals"] = report.goals(rep)
        path = report.write(rep)
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print("\n" + report.table(rep))
    print(f"\n{rep['seconds']:.0f} s; written to {path.relative_to(ROOT)}", f"; ERROR {rep['error']}" if status else "")
    return status


if __name__ == "__main__":
    sys.exit(main())
