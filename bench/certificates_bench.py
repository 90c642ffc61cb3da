"""How long certificate PDFs take: one certificate (per script) and a batch of 100 in one multi-page PDF."""

from __future__ import annotations

import statistics
import time
from datetime import date

NAMES = ["Zoë Ørsted-Łukasik", "Анастасия Смирнова", "Γιώργος Παπαδόπουλος", "محمد حامد", "王小明"]


def _printed(name: str, index: int = 0):
    from greencustoms.certificates.pdf import PrintedCertificate

    return PrintedCertificate(
        holder_name=name,
        course_title="Hazardous Waste Inspection at Seaports",
        modules=(
            "Illegal waste trade",
            "Legal framework",
            "Risk profiling",
            "Inspection",
            "Enforcement",
            "Cooperation",
            "Case studies",
        ),
        issued=date(2026, 11, 23),
        expires=date(2029, 11, 23),
        code=f"7K3M-Q9XD-ABCD-EFGH-JKMN-PQRS-{index:04d}",
        issuing_body="Green Customs Learn",
        verify_url="https://learn.example.org/certificates/7K3M",
    )


def run_certificate_bench(repeats: int = 5, batch: int = 100) -> list[dict]:
    """Median seconds to render one certificate for each script, and the seconds for a batch of `batch`."""
    from flask import Flask
    from flask_babel import Babel

    from greencustoms.certificates.pdf import render_pdf

    app = Flask(__name__, root_path=".")
    Babel(app)
    rows = []
    with app.app_context():
        render_pdf([_printed(NAMES[0])])  # warm imports
        for name in NAMES:
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                size = len(render_pdf([_printed(name)]))
                times.append(time.perf_counter() - start)
            rows.append(
                {"case": f"one certificate: {name}", "seconds": round(statistics.median(times), 3), "bytes": size}
            )
        start = time.perf_counter()
        size = len(render_pdf([_printed(NAMES[i % len(NAMES)], i) for i in range(batch)]))
        rows.append(
            {
                "case": f"batch of {batch} (mixed scripts, one PDF)",
                "seconds": round(time.perf_counter() - start, 3),
                "bytes": size,
            }
        )
    return rows


def main() -> None:
    rows = run_certificate_bench()
    width = max(len(row["case"]) for row in rows)
    print(f"{'certificate PDF'.ljust(width)}  seconds      bytes")
    for row in rows:
        print(f"{row['case'].ljust(width)}  {row['seconds']:7.3f}  {row['bytes']:9d}")


if __name__ == "__main__":
    main()
