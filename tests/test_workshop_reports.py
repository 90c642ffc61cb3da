"""Reports of a workshop: pre/post gains on known numbers, the progress grid (and its constant query count), the
question analysis, attendance, the results file, the session's certificates and the admin export's filter."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from greencustoms.content import get_catalog
from greencustoms.extensions import db
from greencustoms.models import LessonProgress, User, Workshop, WorkshopParticipant, utcnow
from greencustoms.workshops.gains import gain_report
from greencustoms.workshops.results import COLUMNS as RESULT_COLUMNS
from tests.adminkit import add_record, audit_events
from tests.conftest import post_form, recorded_statements
from tests.exportkit import csv_rows, export_file
from tests.workshopkit import add_attempt, add_participants, make_workshop, signed_in, today

BASICS, WASTE = "demo-basics", "demo-waste"
S, M, TF, N = "basics-single", "basics-multiple", "basics-true-false", "basics-numeric"


@pytest.fixture
def trainer(app):
    return signed_in(app, role="trainer", email="trainer@example.org", name="Tess Trainer")


def _people(app, workshop_id: int) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(
            db.select(User.full_name, User.id)
            .join(WorkshopParticipant, WorkshopParticipant.user_id == User.id)
            .where(WorkshopParticipant.workshop_id == workshop_id)
        ).all()
        return dict(rows)


def test_pre_post_gain_on_known_numbers_with_the_same_bank(app, trainer):
    """First graded pre-test attempt against the best later attempt, within the workshop's dates: per person,
    for the room, and per MEA and topic over the participants with both tests."""
    workshop_id = make_workshop(app, trainer[0], pre=BASICS, post=BASICS)
    add_participants(app, workshop_id, 4, prefix="P")
    ids = _people(app, workshop_id)
    now = utcnow()
    with app.app_context():
        a, b, c = ids["P 000"], ids["P 001"], ids["P 002"]
        add_attempt(a, BASICS, 0, {S: 0, M: 0, TF: 0, N: 0}, number=1, started_at=now - timedelta(days=10))
        add_attempt(a, BASICS, 50, {S: 1, M: 0, TF: 1, N: 0}, number=2, started_at=now - timedelta(hours=3))
        add_attempt(a, BASICS, 50, {S: 1, M: 1, TF: 0, N: 0}, number=3, started_at=now - timedelta(hours=2))
        add_attempt(a, BASICS, 100, {S: 1, M: 1, TF: 1, N: 1}, number=4, started_at=now - timedelta(hours=1))
        add_attempt(a, BASICS, 0, {S: 0, M: 0, TF: 0, N: 0}, number=5, status="in_progress")
        add_attempt(b, BASICS, 25, {S: 0, M: 0, TF: 1, N: 0}, number=1, started_at=now - timedelta(hours=3))
        add_attempt(b, BASICS, 50, {S: 1, M: 0, TF: 1, N: 0}, number=2, started_at=now - timedelta(hours=1))
        add_attempt(c, BASICS, 80, {S: 1, M: 1, TF: 1, N: 0}, number=1, started_at=now - timedelta(hours=1))
        with app.test_request_context():
            report = gain_report(db.session.get(Workshop, workshop_id), get_catalog())
    rows = {row.name: (row.pre, row.post, row.gain) for row in report.rows}
    assert rows == {
        "P 000": (50, 100, 50),
        "P 001": (25, 50, 25),
        "P 002": (80, None, None),
        "P 003": (None, None, None),
    }
    assert (report.paired, report.room_gain) == (2, 37.5)
    topics = {gain.value: (gain.pre, gain.post, gain.gain) for gain in report.tags["topic"]}
    assert topics == {"documents": (25, 75, 50), "consent": (50, 75, 25)}
    meas = {gain.label: (gain.pre, gain.post, gain.gain) for gain in report.tags["mea"]}
    assert meas == {"Basel Convention": (37.5, 75, 37.5)}
    page = trainer[1].get(f"/workshops/{workshop_id}/report").get_data(as_text=True)
    assert "Basel Convention" in page and "documents" in page
    assert "+37.5" not in page and "too few to compare" in page  # 2 people: under gains.MIN_PEOPLE
    assert report.too_few and all(gain.too_few and gain.people == 2 for gain in report.tags["topic"])
    assert report.questions >= 2 and report.same_questions


def test_pre_post_gain_with_two_different_quizzes(app, trainer):
    """With a separate post-test, its best attempt counts, whenever it was taken within the dates."""
    workshop_id = make_workshop(app, trainer[0], pre=BASICS, post=WASTE)
    add_participants(app, workshop_id, 1, prefix="E")
    user_id = _people(app, workshop_id)["E 000"]
    now = utcnow()
    with app.app_context():
        add_attempt(user_id, BASICS, 30, {S: 0.3}, number=1, started_at=now - timedelta(hours=4))
        add_attempt(user_id, BASICS, 90, {S: 0.9}, number=2, started_at=now - timedelta(hours=3))
        add_attempt(user_id, WASTE, 60, {"waste-single": 0.6}, number=1, started_at=now - timedelta(hours=2))
        add_attempt(user_id, WASTE, 80, {"waste-single": 0.8}, number=2, started_at=now - timedelta(hours=1))
        report = gain_report(db.session.get(Workshop, workshop_id), get_catalog())
    assert [(row.pre, row.post, row.gain) for row in report.rows] == [(30, 80, 50)]
    assert not report.same_questions and report.paired == 1 and report.too_few
    page = trainer[1].get(f"/workshops/{workshop_id}/report").get_data(as_text=True)
    assert "do not use the same questions" in page and "too few to compare" in page


def _seed_activity(app, user_ids: list[int]) -> None:
    """Every participant completed the first lesson and took both quizzes once."""
    with app.app_context():
        catalog = get_catalog()
        _module, lesson = catalog.lesson_sequence("demo")[0]
        db.session.add_all(
            LessonProgress(user_id=uid, module_slug=lesson.module_slug, lesson_slug=lesson.slug, content_version="v1")
            for uid in user_ids
        )
        db.session.commit()
        for uid in user_ids:
            add_attempt(uid, BASICS, 80, {S: 1}, number=1)
            add_attempt(uid, WASTE, 40, {"waste-single": 0}, number=1)


def _count_queries(app, client, url: str) -> int:
    with recorded_statements(app) as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_grid_query_count_does_not_grow_with_participants(app, trainer):
    """The grid page and its refresh fragment cost the same number of queries for 5 and for 200 participants."""
    small = make_workshop(app, trainer[0], title="Small")
    large = make_workshop(app, trainer[0], title="Large")
    _seed_activity(app, add_participants(app, small, 5, prefix="S"))
    _seed_activity(app, add_participants(app, large, 200, prefix="L"))
    for suffix in ("/progress", "/progress/table", "/progress?sort=progress"):
        few = _count_queries(app, trainer[1], f"/workshops/{small}{suffix}")
        many = _count_queries(app, trainer[1], f"/workshops/{large}{suffix}")
        assert few == many, suffix
    page = trainer[1].get(f"/workshops/{large}/progress/table").get_data(as_text=True)
    assert page.count('<th scope="row">') == 200 and "L 199" in page


def test_grid_shows_done_marks_best_scores_and_sorts_on_the_server(app, trainer):
    """Lessons done, best quiz scores with a pass mark, and the three sort orders, all without JavaScript."""
    workshop_id = make_workshop(app, trainer[0])
    add_participants(app, workshop_id, 1, prefix="Zed", country="BR")
    add_participants(app, workshop_id, 1, prefix="Amy", country="TZ")
    ids = _people(app, workshop_id)
    _seed_activity(app, [ids["Zed 000"]])
    by_name = trainer[1].get(f"/workshops/{workshop_id}/progress").get_data(as_text=True)
    assert by_name.index("Amy 000") < by_name.index("Zed 000")
    assert 'data-refresh-url="/workshops/' in by_name and "js/grid.js" in by_name and "<script>" not in by_name
    by_progress = trainer[1].get(f"/workshops/{workshop_id}/progress?sort=progress").get_data(as_text=True)
    assert by_progress.index("Zed 000") < by_progress.index("Amy 000")
    assert 'aria-sort="descending"' in by_progress
    by_country = trainer[1].get(f"/workshops/{workshop_id}/progress?sort=country").get_data(as_text=True)
    assert by_country.index("Zed 000") < by_country.index("Amy 000")  # Brazil before Tanzania
    fragment = trainer[1].get(f"/workshops/{workshop_id}/progress/table").get_data(as_text=True)
    assert fragment.lstrip().startswith('<div class="table-wrap">') and "80 ✓" in fragment and ">40<" in fragment


def test_question_analysis_lists_most_missed_first_with_the_answer_distribution(app, trainer):
    """Only the workshop's participants count; the most missed question comes first with every option's count."""
    workshop_id = make_workshop(app, trainer[0])
    add_participants(app, workshop_id, 3, prefix="Q")
    outsider = add_participants(app, make_workshop(app, trainer[0], title="Other"), 1, prefix="Out")[0]
    with app.app_context():
        for number, (uid, single, truth) in enumerate(
            zip(_people(app, workshop_id).values(), "bba", (True, False, False), strict=True)
        ):
            add_attempt(
                uid,
                BASICS,
                50,
                {S: float(single == "a"), TF: float(truth is False)},
                number=number + 1,
                answers={S: single, TF: truth},
                types={S: "single", TF: "true_false"},
            )
        add_attempt(
            outsider,
            BASICS,
            100,
            {S: 1.0, TF: 1.0},
            number=1,
            answers={S: "a", TF: False},
            types={S: "single", TF: "true_false"},
        )
    page = trainer[1].get(f"/workshops/{workshop_id}/analysis?quiz={BASICS}").get_data(as_text=True)
    assert page.index("33.3% right") < page.index("66.7% right")
    assert "A movement document" in page and "A CITES permit" in page and "3 answers" in page
    assert trainer[1].get(f"/workshops/{workshop_id}/analysis?quiz=no-such-quiz").status_code == 200
    assert trainer[1].get(f"/workshops/{workshop_id}/analysis?quiz=demo-waste").status_code == 200


def test_attendance_is_recorded_per_day(app, trainer):
    """Ticking present for one day marks the others absent that day; other days stay unrecorded."""
    workshop_id = make_workshop(app, trainer[0])
    add_participants(app, workshop_id, 2, prefix="A")
    with app.app_context():
        first, second = db.session.execute(
            db.select(WorkshopParticipant.id).filter_by(workshop_id=workshop_id).order_by(WorkshopParticipant.id)
        ).scalars()
    day = today().isoformat()
    url = f"/workshops/{workshop_id}/attendance"
    response = post_form(trainer[1], url, {"day": day, "present": [str(first)]}, token_from=url)
    assert response.status_code == 303
    page = trainer[1].get(url).get_data(as_text=True)
    assert page.count(">present<") == 1 and page.count(">absent<") == 1 and page.count(">not recorded<") == 4
    outside = post_form(trainer[1], url, {"day": "1999-01-01", "present": [str(first)]}, token_from=url)
    assert outside.status_code == 400
    assert post_form(trainer[1], url, {"day": "yesterday"}, token_from=url).status_code == 400


def test_results_export_as_csv_and_xlsx_neutralises_formulas(app, trainer, worker):
    """The results file lists every participant; a name that looks like a formula is made inert in both formats."""
    workshop_id = make_workshop(app, trainer[0], pre=BASICS, post=BASICS)
    add_participants(app, workshop_id, 1, prefix="=cmd|' /C calc'!A0")
    add_participants(app, workshop_id, 1, prefix="Plain")
    url, page = f"/workshops/{workshop_id}/results", f"/workshops/{workshop_id}"
    rows = csv_rows(export_file(app, trainer[1], {"format": "csv"}, url, page).data, RESULT_COLUMNS)
    assert {row["full_name"] for row in rows} == {"'=cmd|' /C calc'!A0 000", "Plain 000"}
    xlsx = export_file(app, trainer[1], {"format": "xlsx"}, url, page)
    assert xlsx.headers["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(xlsx.data), read_only=True).active
    names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {"'=cmd|' /C calc'!A0 000", "Plain 000"}
    assert post_form(trainer[1], url, {"format": "json"}, token_from=page).status_code == 400
    assert trainer[1].get(url + ".csv").status_code == 404  # no GET starts an export
    written = audit_events(app, "export.workshop_results")
    assert [entry.details["format"] for entry in written] == ["csv", "xlsx"]
    for entry in written:
        assert entry.actor_id == trainer[0] and entry.target == f"workshop:{workshop_id}"
        assert entry.details["rows"] == 2 and entry.details["complete"] is True


def test_certificates_of_the_session_as_one_zip_and_one_pdf(app, trainer):
    """Valid certificates issued since the workshop began, one per participant, as a ZIP of PDFs and one PDF."""
    workshop_id = make_workshop(app, trainer[0])
    ids = add_participants(app, workshop_id, 3, prefix="C")
    with app.app_context():
        add_record(ids[0], "demo", completed=utcnow(), certificate="valid", holder="C Zero")
        add_record(ids[1], "demo", completed=utcnow(), certificate="revoked", holder="C One")
        add_record(ids[2], "demo", completed=utcnow() - timedelta(days=30), certificate="valid", holder="C Two")
    archive = trainer[1].get(f"/workshops/{workshop_id}/certificates.zip")
    assert archive.status_code == 200 and archive.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(archive.data)).namelist()
    assert len(names) == 1 and names[0].endswith("-C-Zero.pdf")
    pdf = trainer[1].get(f"/workshops/{workshop_id}/certificates.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_admin_completion_export_filters_by_workshop_and_names_it(app, trainer):
    """The admin export's workshop column names the workshop, and --workshop keeps only its participants."""
    from greencustoms.exports.completions import completion_records
    from greencustoms.exports.filters import parse_filters

    workshop_id = make_workshop(app, trainer[0], title="Lagos 2026")
    inside = add_participants(app, workshop_id, 1, prefix="In")[0]
    with app.app_context():
        add_record(inside, "demo")
        outside = User(email=None, full_name="Out", password_hash="x", role="learner")
        db.session.add(outside)
        db.session.commit()
        add_record(outside.id, "demo")
        code = db.session.get(Workshop, workshop_id).join_code
        for wanted in (str(workshop_id), f"#{workshop_id}", code, code.lower()):
            rows = list(completion_records(parse_filters({"workshop": wanted}), utcnow()))
            assert [(row["learner_id"], row["workshop"]) for row in rows] == [(inside, "Lagos 2026")], wanted
        everyone = {row["learner_id"]: row["workshop"] for row in completion_records(parse_filters({}), utcnow())}
        assert everyone == {inside: "Lagos 2026", outside.id: None}
        assert list(completion_records(parse_filters({"workshop": "9" * 40}), utcnow())) == []


def test_five_people_with_both_tests_give_a_gain_with_what_it_rests_on(app, trainer):
    """At gains.MIN_PEOPLE people with both tests the room's gain is a figure, with its people and questions."""
    workshop_id = make_workshop(app, trainer[0], pre="demo-basics", post="demo-basics")
    ids = add_participants(app, workshop_id, 5)
    with app.app_context():
        for user_id in ids:
            start = utcnow() - timedelta(hours=2)
            add_attempt(user_id, "demo-basics", 40.0, {"basics-true-false": 0.0}, number=1, started_at=start)
            add_attempt(user_id, "demo-basics", 90.0, {"basics-true-false": 1.0}, number=2)
        report = gain_report(db.session.get(Workshop, workshop_id), get_catalog())
    assert (report.paired, report.room_gain, report.questions, report.too_few) == (5, 50.0, 1, False)
    page = trainer[1].get(f"/workshops/{workshop_id}/report").get_data(as_text=True)
    assert "+50" in page and "too few to compare" not in page.split("mean gain")[0]
