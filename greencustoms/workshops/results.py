"""The session's results as a file (CSV or XLSX, through the one export pipeline) and its certificates.

Results: one row per participant with their progress, pre-/post-test and gain, attendance and certificate. Its
columns are declared once below; greencustoms.exports writes, audits and neutralises formulas as for every export.

Certificates earned in the session: per participant, the latest VALID certificate for the workshop's course
issued on or after the workshop's first day (see gate.window), by holder name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from greencustoms.content import Catalog, get_catalog
from greencustoms.exports.formats import Column
from greencustoms.exports.service import Export, ExportKind, export_format
from greencustoms.extensions import db
from greencustoms.models import Certificate, User, Workshop
from greencustoms.workshops.attendance import attendance_marks
from greencustoms.workshops.gains import gain_report
from greencustoms.workshops.gate import workshop_window
from greencustoms.workshops.grid import progress_grid
from greencustoms.workshops.participants import participant_ids, participants
from greencustoms.workshops.service import find_workshop

COLUMNS = (
    Column("full_name", _l("Name"), width=28),
    Column("email", _l("E-mail"), width=28),
    Column("country", _l("Country"), width=9),
    Column("organisation", _l("Organisation"), width=28),
    Column("joined", _l("Joined by"), width=10),
    Column("lessons_done", _l("Lessons done"), "int", 9),
    Column("quizzes_passed", _l("Quizzes passed"), "int", 9),
    Column("progress_percent", _l("Progress (%)"), "int", 9),
    Column("pre_test", _l("Pre-test (%)"), "number", 9),
    Column("post_test", _l("Post-test (%)"), "number", 9),
    Column("gain", _l("Gain (points)"), "number", 9),
    Column("days_present", _l("Days present"), "int", 9),
    Column("days_recorded", _l("Days recorded"), "int", 9),
    Column("certificate_code", _l("Certificate code"), width=36),
)
WORKSHOP_RESULTS = ExportKind("workshop_results", COLUMNS, ("csv", "xlsx"), "export.workshop_results", _l("Results"))
RESULT_FORMATS = WORKSHOP_RESULTS.formats


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


def workshop_results_export(
    workshop: Workshop, catalog: Catalog, fmt: str, *, actor_id: int | None, source: str
) -> Export:
    """The session's results as an Export in `fmt` ("csv" or "xlsx"), audited as export.workshop_results.
    Raises UnknownFormat otherwise."""
    writer = export_format(WORKSHOP_RESULTS, fmt)
    records: list[dict[str, Any]] = []

    def load() -> list[dict[str, Any]]:
        if not records:
            records.extend(result_records(workshop, catalog))
        return records

    return Export(
        WORKSHOP_RESULTS,
        writer,
        load,
        lambda: len(load()),
        f"workshop-{workshop.id}-results.{writer.extension}",
        actor_id,
        source,
        f"workshop:{workshop.id}",
        {"workshop": workshop.id},
    )


def results_job_export(user_id: int, params: Mapping[str, Any], fmt: str) -> Export:
    """ExportJobBuilder for background "workshop_results" jobs: the results of params["workshop"] as its owner may
    see them. Raises LookupError when the workshop is gone or no longer visible to that person."""
    user = db.session.get(User, user_id)
    workshop = find_workshop(user, int(params["workshop"])) if user is not None else None
    if not isinstance(workshop, Workshop):
        raise LookupError("the workshop is gone or no longer visible to this person")
    return workshop_results_export(workshop, get_catalog(), fmt, actor_id=user_id, source="workshop")
