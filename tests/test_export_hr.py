"""The completion export speaks to an HR office: titled columns, course title and hours, the workshop's title,
dates and place, "started" as the first activity, date cells and column widths in XLSX; JSON keeps machine keys."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta

from openpyxl import load_workbook

from greencustoms.content import get_catalog
from greencustoms.exports import COLUMNS, completion_records, parse_filters
from greencustoms.extensions import db
from greencustoms.models import LessonProgress, QuizAttempt, utcnow
from tests.adminkit import T0, add_record, signed_in
from tests.exportkit import csv_rows, export_file
from tests.workshopkit import add_participants, make_workshop

KEYS = [column.key for column in COLUMNS]


def _seed(app, trainer_id: int) -> int:
    workshop_id = make_workshop(
        app, trainer_id, title="Lagos port 2026", starts_on=date(2026, 2, 23), ends_on=date(2026, 2, 27)
    )
    [learner] = add_participants(app, workshop_id, 1, prefix="Ngozi")
    with app.app_context():
        add_record(learner, "demo", enrolled=T0, completed=T0 + timedelta(days=2), score=88.0, certificate="valid")
        db.session.add(
            LessonProgress(
                user_id=learner,
                module_slug="demo-basics",
                lesson_slug="welcome",
                content_version="v",
                completed_at=T0 - timedelta(days=5),
            )
        )
        db.session.add(
            QuizAttempt(
                user_id=learner,
                quiz_slug="demo-waste",
                quiz_version="v",
                number=1,
                pass_mark=60,
                status="submitted",
                started_at=T0 - timedelta(days=7),
                submitted_at=T0 - timedelta(days=7),
                questions=[],
                answers={},
            )
        )
        db.session.commit()
    return learner


def test_rows_carry_course_and_workshop_facts_and_the_first_activity(app):
    """Course title and hours from the catalog, the workshop's title, dates and place; "started" is the earliest
    activity (here a quiz attempt a week before the enrolment row)."""
    trainer_id, _client = signed_in(app, role="trainer", email="t@example.org")
    learner = _seed(app, trainer_id)
    with app.app_context():
        [row] = list(completion_records(parse_filters({}), utcnow()))
        course = get_catalog().courses["demo"]
    assert row["learner_id"] == learner
    assert (row["course_title"], row["course_hours"]) == (course.title, course.estimated_hours)
    assert (row["workshop"], row["workshop_place"]) == ("Lagos port 2026", "Mombasa")
    assert (row["workshop_starts"], row["workshop_ends"]) == (date(2026, 2, 23), date(2026, 2, 27))
    assert row["started"] == T0 - timedelta(days=7)


def test_csv_and_xlsx_have_titles_date_cells_and_widths_json_keeps_keys(app, worker):
    """CSV and XLSX headers are the human titles; XLSX dates are date cells with a date format and every column
    has a width; JSON and the API keep the machine keys."""
    trainer_id, _trainer = signed_in(app, role="trainer", email="t@example.org")
    _seed(app, trainer_id)
    admin = signed_in(app)[1]
    [row] = csv_rows(export_file(app, admin, {"format": "csv"}).data, COLUMNS)
    assert row["started"] == "2026-02-23 09:30:00" and row["workshop_starts"] == "2026-02-23"
    assert row["course_title"].startswith("Demo course")
    workbook = load_workbook(io.BytesIO(export_file(app, admin, {"format": "xlsx"}).data))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    assert header == [str(column.title) for column in COLUMNS] and "Course hours" in header
    cells = dict(zip(KEYS, sheet[2], strict=True))
    assert isinstance(cells["started"].value, datetime) and cells["started"].number_format == "yyyy-mm-dd hh:mm"
    assert cells["workshop_starts"].is_date and cells["workshop_starts"].number_format == "yyyy-mm-dd"
    assert cells["final_score"].value == 88.0 and cells["final_score"].number_format == "0.00"
    widths = [sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]]
    assert all(width >= 9 for width in widths) and max(widths) >= 28
    [record] = json.loads(export_file(app, admin, {"format": "json"}).data)
    assert list(record) == KEYS and record["workshop_starts"] == "2026-02-23"
