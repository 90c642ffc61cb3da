"""How fast the completion export is and how much memory it takes as the rows grow (a benchmark, not a test).

Seeds N completion rows in a temporary SQLite database, then streams the export in each format through the same
function the admin page and the CLI use, throwing the bytes away. Each export runs twice: once timed, once under
tracemalloc for the peak Python memory (tracemalloc slows code down, so the two are measured apart).

    python -m bench.export_bench                  # 10,000 and 100,000 rows, CSV and XLSX
    python -m bench.export_bench --sizes 1000 --formats csv json

`run_export_bench(sizes)` returns the figures as a list of dicts; `python -m bench` runs it in a process of its own
through `export_figures(sizes, env)`, so that the peak memory it reads is the export's alone.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

SIZES = (10_000, 100_000)
FORMATS = ("csv", "xlsx")
BATCH = 5_000
NAMES = [
    "Amina Njoroge",
    "Juan Pérez",
    "Nguyễn Thị Minh",
    "محمد الأمين",
    "Zoë Ørsted",
    "Анна Смирнова",
    "王伟",
    "=cmd|' /C calc'!A0",
]
START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def _seed(first: int, count: int) -> None:
    """Insert learners first..first+count-1, each enrolled; 9 in 10 completed and certified (some revoked)."""
    from sqlalchemy import insert, select

    from greencustoms.certificates.codes import generate_code
    from greencustoms.extensions import db
    from greencustoms.models import Certificate, CourseCompletion, Enrolment, User

    for low in range(first, first + count, BATCH):
        numbers = range(low, min(low + BATCH, first + count))
        emails = [f"bench{n}@example.org" for n in numbers]
        db.session.execute(
            insert(User),
            [
                {
                    "email": email,
                    "full_name": f"{NAMES[n % len(NAMES)]} {n}",
                    "password_hash": "!",
                    "role": "learner",
                    "country": "KE",
                    "organisation": "Kenya Revenue Authority",
                    "language": "en",
                    "active": True,
                    "session_epoch": 0,
                    "created_at": START,
                }
                for n, email in zip(numbers, emails, strict=True)
            ],
        )
        ids = db.session.execute(select(User.id).where(User.email.in_(emails)).order_by(User.id)).scalars().all()
        done = [user_id for user_id in ids if user_id % 10]
        when = START + timedelta(days=30)
        db.session.execute(
            insert(Enrolment),
            [
                {
                    "user_id": i,
                    "course_slug": "green-customs-foundations",
                    "course_version": "v1",
                    "enrolled_at": START,
                    "last_activity_at": when,
                }
                for i in ids
            ],
        )
        db.session.execute(
            insert(CourseCompletion),
            [
                {
                    "user_id": i,
                    "course_slug": "green-customs-foundations",
                    "course_version": "v1",
                    "completed_at": when,
                    "final_score": 80 + i % 20,
                }
                for i in done
            ],
        )
        db.session.execute(
            insert(Certificate),
            [
                {
                    "code": generate_code(),
                    "user_id": i,
                    "course_slug": "green-customs-foundations",
                    "sequence": 1,
                    "holder_name": f"Learner {i}",
                    "course_title": "Green Customs Foundations",
                    "modules_covered": ["Intro"],
                    "score": 80 + i % 20,
                    "issued_at": when,
                    "expires_at": when + timedelta(days=3 * 365),
                    "language": "en",
                    "content_version": "v1",
                    "issuing_body": "Green Customs Learn",
                    "status": "revoked" if i % 97 == 0 else "valid",
                    "reason": "completion",
                }
                for i in done
            ],
        )
        db.session.commit()


def _export(fmt: str, traced: bool) -> tuple[float, int, int]:
    """Stream one export of every row and discard it: (seconds, bytes written, peak traced bytes or 0)."""
    from greencustoms.exports import completions_export, parse_filters

    export = completions_export(fmt, parse_filters({}), actor_id=None, source="bench")
    gc.collect()
    if traced:
        tracemalloc.start()
    start, size = time.perf_counter(), 0
    try:
        for chunk in export.chunks():
            size += len(chunk)
        return time.perf_counter() - start, size, tracemalloc.get_traced_memory()[1] if traced else 0
    finally:
        if traced:
            tracemalloc.stop()


def run_export_bench(sizes: Sequence[int] = SIZES, formats: Sequence[str] = FORMATS) -> list[dict]:
    """Export time and peak memory per (rows, format), sizes ascending, seeded in ONE temporary SQLite database.

    Each dict: rows, format, seconds, rows_per_s, file_bytes, peak_bytes (tracemalloc peak during the export).
    """
    from flask_migrate import upgrade

    from greencustoms import create_app
    from greencustoms.extensions import db

    results = []
    with tempfile.TemporaryDirectory(prefix="export-bench-") as folder:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db", "SECRET_KEY": "bench", "CONTENT_RELOAD": False}
        )
        with app.app_context():
            upgrade()
            seeded = 0
            for size in sorted(sizes):
                _seed(seeded, size - seeded)
                seeded = size
                for fmt in formats:
                    if size == min(sizes):
                        _export(fmt, traced=False)  # warm-up: imports and compiled SQL are not counted
                    seconds, file_bytes, _ = _export(fmt, traced=False)
                    _, _, peak = _export(fmt, traced=True)
                    results.append(
                        {
                            "rows": size,
                            "format": fmt,
                            "seconds": round(seconds, 3),
                            "rows_per_s": round(size / seconds) if seconds else None,
                            "file_bytes": file_bytes,
                            "peak_bytes": peak,
                        }
                    )
            db.session.remove()
            db.engine.dispose()
    return results


def print_table(results: list[dict]) -> None:
    """The figures as a plain-text table."""
    print(f"{'rows':>9}  {'format':6}  {'seconds':>8}  {'rows/s':>9}  {'file MiB':>9}  {'peak MiB':>9}")
    for row in results:
        print(
            f"{row['rows']:>9,}  {row['format']:6}  {row['seconds']:>8.2f}  {row['rows_per_s'] or 0:>9,}  "
            f"{row['file_bytes'] / 2**20:>9.2f}  {row['peak_bytes'] / 2**20:>9.2f}"
        )
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(peak = tracemalloc peak during one export; process max RSS, seeding included: {maxrss:.0f} MiB)")


def export_figures(sizes: list[int], env: dict[str, str]) -> dict:
    """run_export_bench(sizes) in its own process (so its peak memory is its own), read for `python -m bench`."""
    from bench.server import ROOT

    code = (
        "import json, sys; from bench.export_bench import run_export_bench; "
        f"print('BENCH_JSON ' + json.dumps(run_export_bench({sizes!r}), default=str))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        return {"note": f"error: run_export_bench failed: {done.stderr.strip().splitlines()[-1:]}", "rows": []}
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    return {
        "note": "run_export_bench" + ("" if 100_000 in sizes else " (100,000 rows only in the full run)"),
        "rows": [_export_row(item) for item in (raw if isinstance(raw, list) else raw.get("rows", []))],
        "raw": raw,
    }


def _export_row(item: dict) -> dict:
    """Read one row of run_export_bench's output, whatever it calls its fields (bytes, KiB or MiB)."""
    row = {
        "rows": item.get("rows") or item.get("size") or item.get("n"),
        "format": item.get("format", ""),
        "seconds": item.get("seconds") or item.get("time_s") or 0,
    }
    for key, value in item.items():
        if "peak" in key.lower() and isinstance(value, int | float):
            unit = 2**20 if "mib" in key.lower() or "mb" in key.lower() else 1024 if "kib" in key.lower() else 1
            row["peak_bytes"] = value * unit
    return row


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=["csv", "xlsx", "json"])
    args = parser.parse_args(argv)
    print_table(run_export_bench(args.sizes, args.formats))


if __name__ == "__main__":
    main()
