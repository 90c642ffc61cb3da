"""The session's results as a file (CSV or XLSX, through the shared export writers) and its certificates.

Results: one row per participant with their progress, pre-/post-test and gain, attendance and certificate. The
writers of greencustoms.exports.formats make every text cell that a spreadsheet would run as a formula inert.

Certificates earned in the session: per participant, the latest VALID certificate for the workshop's course
issued on or after the workshop's first day (see gate.window), by holder name.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from greencustoms.content import Catalog
from greencustoms.exports.formats import FORMATS
from greencustoms.extensions import db
from greencustoms.models import Certificate, Workshop
from greencustoms.workshops.attendance import attendance_marks
from greencustoms.workshops.gains import gain_report
from greencustoms.workshops.gate import workshop_window
from greencustoms.workshops.grid import progress_grid
from greencustoms.workshops.participants import participant_ids, participants

RESULT_FORMATS = ("csv", "xlsx")
COLUMNS = (
    "full_name",
    "email",
    "country",
    "organisation",
    "joined",
    "lessons_done",
    "quizzes_passed",
    "progress_percent",
    "pre_test",
    "post_test",
    "gain",
    "days_present",
    "days_recorded",
    "certificate_code",
)


def session_certificates(workshop: Workshop) -> list[Certificate]:
    """The certificates earned in the session (see the module docstring), in one query."""
    start, _end = workshop_window(workshop)
    rows = db.session.execute(
        db.select(Certificate)
        .where(
            Certificate.user_id.in_(participant_ids(workshop)),
            Certificate.course_slug == workshop.course_slug,
            Certificate.status == "valid",
            Certificate.issued_at >= start,
        )
        .order_by(Certificate.user_id, Certificate.sequence)
    ).scalars()
    latest = {certificate.user_id: certificate for certificate in rows}
    return sorted(latest.values(), key=lambda certificate: (certificate.holder_name.casefold(), certificate.id))


def result_records(workshop: Workshop, catalog: Catalog) -> list[dict[str, Any]]:
    """One record per participant, keyed by COLUMNS, by name. A fixed number of queries."""
    from greencustoms.certificates.codes import format_code

    grid = {row.participant_id: row for row in progress_grid(workshop, catalog).rows}
    gains = {row.participant_id: row for row in gain_report(workshop, catalog).rows}
    marks = attendance_marks(workshop)
    certificates = {certificate.user_id: certificate for certificate in session_certificates(workshop)}
    records = []
    for person in participants(workshop):
        user, row, gain = person.user, grid.get(person.id), gains.get(person.id)
        mine = [present for (pid, _day), present in marks.items() if pid == person.id]
        certificate = certificates.get(user.id)
        records.append(
            {
                "full_name": user.full_name,
                "email": user.email,
                "country": user.country or None,
                "organisation": user.organisation or None,
                "joined": person.participation.via,
                "lessons_done": len(row.lessons) if row else 0,
                "quizzes_passed": sum(1 for cell in row.quizzes.values() if cell.passed) if row else 0,
                "progress_percent": row.percent if row else 0,
                "pre_test": gain.pre if gain else None,
                "post_test": gain.post if gain else None,
                "gain": gain.gain if gain else None,
                "days_present": sum(mine),
                "days_recorded": len(mine),
                "certificate_code": format_code(certificate.code) if certificate else None,
            }
        )
    return records


def result_file(workshop: Workshop, catalog: Catalog, fmt: str) -> tuple[Iterator[bytes], str, str]:
    """(chunks, file name, media type) of the results in `fmt` ("csv" or "xlsx"). Raises ValueError otherwise."""
    if fmt not in RESULT_FORMATS:
        raise ValueError(f"format must be one of: {', '.join(RESULT_FORMATS)}")
    kind = FORMATS[fmt]
    records = result_records(workshop, catalog)
    if fmt == "xlsx":
        chunks = kind.write(records, COLUMNS, sheet_title="Results")
    else:
        chunks = kind.write(records, COLUMNS)
    return chunks, f"workshop-{workshop.id}-results.{kind.extension}", kind.mimetype
