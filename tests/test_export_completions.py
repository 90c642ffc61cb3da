"""Completion-record exports: columns, filters, formats, formula safety, streaming, and CLI = page, byte for byte."""

from __future__ import annotations

import gc
import io
import json
import tracemalloc
from datetime import timedelta
from urllib.parse import parse_qsl

import pytest
from openpyxl import load_workbook

from greencustoms.exports import COLUMNS, completions_export, parse_filters
from greencustoms.exports.formats import neutralise
from tests.adminkit import T0, add_learner, add_record, audit_events, seed_rows, signed_in
from tests.conftest import post_form
from tests.exportkit import csv_rows, export_file

FORMULAS = ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(1)", "\t=1", "\r=1"]
NAMES = ["Zoë Ørsted-Łukasik", "张伟", "محمد الأمين", "Ἀθηνᾶ Παππᾶ", "Nguyễn Thị Minh Khai"]


KEYS = [column.key for column in COLUMNS]
TITLES = [str(column.title) for column in COLUMNS]


@pytest.fixture
def admin(app, worker):
    return signed_in(app)[1]


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return csv_rows(data, COLUMNS)


def _xlsx_rows(data: bytes):
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return list(sheet.iter_rows())


def _export(client, query: str = "format=csv"):
    return export_file(client.application, client, query)


def test_one_row_per_learner_and_course_with_the_documented_columns(app, admin):
    """Rows come per (learner, course) with the stable columns, the latest certificate and its state."""
    with app.app_context():
        a = add_learner("Amina Njoroge", email="amina@example.org", country="KE", organisation="KRA")
        add_record(
            a,
            "demo",
            completed=T0 + timedelta(days=3),
            score=92.456,
            certificate="valid",
            expires=T0 + timedelta(days=1000),
        )
        add_record(a, "other")
        b = add_learner("Juan Pérez", email=None, country="MX", organisation="SAT")
        add_record(b, "demo", completed=T0, score=70, certificate="revoked")
    rows = _csv_rows(_export(admin).data)
    assert list(rows[0]) == KEYS
    assert [(r["learner_id"], r["course"]) for r in rows] == [(str(a), "demo"), (str(a), "other"), (str(b), "demo")]
    first = rows[0]
    assert first["full_name"] == "Amina Njoroge" and first["email"] == "amina@example.org"
    assert first["country"] == "KE" and first["organisation"] == "KRA" and first["language"] == "en"
    assert first["workshop"] == "" and first["started"] == "2026-03-02 09:30:00"
    assert first["completed"] == "2026-03-05 09:30:00" and first["final_score"] == "92.46"
    assert len(first["certificate_code"]) == 34 and first["certificate_status"] == "valid"
    assert first["issued"] == "2026-03-05 09:30:00" and first["expires"].startswith("2028-")
    assert rows[1]["completed"] == "" and rows[1]["certificate_code"] == "" and rows[1]["certificate_status"] == ""
    assert rows[2]["email"] == "" and rows[2]["certificate_status"] == "revoked"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("course=other", {"A/other"}),
        ("country=mx", {"B/demo"}),
        ("organisation=kra", {"A/demo", "A/other"}),
        ("status=enrolled", {"A/other"}),
        ("status=completed", {"A/demo", "B/demo", "C/demo"}),
        ("status=certified", {"A/demo"}),
        ("status=revoked", {"B/demo"}),
        ("status=expired", {"C/demo"}),
        ("from=2026-03-04&to=2026-03-05", {"A/demo"}),
        ("to=2026-03-02", {"B/demo", "C/demo"}),
        ("workshop=lagos-2026", set()),
    ],
)
def test_filters(app, admin, query, expected):
    """Each filter selects exactly the rows its documented rule names."""
    with app.app_context():
        names = {}
        names[add_learner("A", email="a@example.org", country="KE", organisation="KRA")] = "A"
        names[add_learner("B", email="b@example.org", country="MX", organisation="SAT")] = "B"
        names[add_learner("C", email="c@example.org", country="DK", organisation="SKAT")] = "C"
        a, b, c = names
        add_record(a, "demo", completed=T0 + timedelta(days=3), certificate="valid")
        add_record(a, "other")
        add_record(b, "demo", completed=T0, certificate="revoked")
        add_record(c, "demo", completed=T0, certificate="valid", expires=T0 + timedelta(days=1))
    rows = _csv_rows(_export(admin, "format=csv&" + query).data)
    assert {f"{names[int(r['learner_id'])]}/{r['course']}" for r in rows} == expected


@pytest.mark.parametrize(
    "query",
    [
        "from=2026-13-01",
        "country=Kenya",
        "status=finished",
        "course=Not A Slug",
        "from=2026-05-01&to=2026-04-01",
        "format=pdf",
    ],
)
def test_bad_filters_get_a_clear_400(app, admin, query):
    """A malformed filter or format re-shows the export form with a message and status 400."""
    response = post_form(admin, "/admin/exports/completions", dict(parse_qsl(query)), token_from="/admin/exports")
    assert response.status_code == 400
    assert "must" in response.get_data(as_text=True)


def test_formula_payloads_are_neutralised_in_csv_and_xlsx(app, admin):
    """Names and organisations that a spreadsheet would run as formulas come out as inert text with a quote."""
    with app.app_context():
        for payload in FORMULAS:
            add_record(add_learner(payload, email=None, organisation=payload))
    csv_rows = _csv_rows(_export(admin, "format=csv").data)
    inert = [neutralise(p) for p in FORMULAS]
    assert all("'" in text and text.replace("'", "", 1) == p for text, p in zip(inert, FORMULAS, strict=True))
    assert [r["full_name"] for r in csv_rows] == inert
    assert [r["organisation"] for r in csv_rows] == inert
    sheet = _xlsx_rows(_export(admin, "format=xlsx").data)
    cells = [cell for row in sheet for cell in row]
    assert cells and all(cell.data_type != "f" for cell in cells)
    header = [cell.value for cell in sheet[0]]
    assert header == TITLES
    names = [row[KEYS.index("full_name")].value for row in sheet[1:]]
    organisations = [row[KEYS.index("organisation")].value for row in sheet[1:]]
    # XML turns a stored carriage return into a line feed on reading; the quote in front is what matters.
    expected = ["'" + p.replace("\r", "\n") for p in FORMULAS]
    assert [n.replace("\r", "\n") for n in names] == expected
    assert [o.replace("\r", "\n") for o in organisations] == expected
    assert json.loads(_export(admin, "format=json").data)[0]["full_name"] == FORMULAS[0]  # JSON keeps data as is


def test_neutralise_leaves_ordinary_text_alone():
    """Only the trigger characters at the start matter; other text, including inner = signs, is unchanged."""
    assert neutralise("Kenya Revenue Authority") == "Kenya Revenue Authority"
    assert neutralise("a=b") == "a=b" and neutralise("") == ""
    assert all(neutralise(p, separators="").startswith("'") for p in FORMULAS)
    assert all(neutralise(p).replace("'", "", 1) == p != neutralise(p) for p in FORMULAS)


def test_csv_is_utf8_with_bom_and_crlf_and_keeps_every_script(app, admin):
    """The CSV starts with a BOM, ends lines with CRLF and keeps accented and non-Latin names intact."""
    with app.app_context():
        for name in NAMES:
            add_record(add_learner(name, email=None))
    response = _export(admin)
    data = response.data
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == len(NAMES) + 1 and b"\n" not in data.replace(b"\r\n", b"")
    assert [r["full_name"] for r in _csv_rows(data)] == NAMES
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_file_name_is_chosen_by_the_server_and_encoded_for_every_browser(app, admin):
    """Content-Disposition is an attachment with both filename and filename* (RFC 6266), server-named."""
    response = _export(admin, "format=xlsx&course=demo")
    disposition = response.headers["Content-Disposition"]
    day = T0.today().date().isoformat()
    assert disposition == (
        f"attachment; filename=\"completions-demo-{day}.xlsx\"; filename*=UTF-8''completions-demo-{day}.xlsx"
    )
    assert response.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_cli_and_page_give_the_same_bytes(app, admin, runner, tmp_path, fmt):
    """`flask export completions` writes exactly the bytes the admin page streams, for the same filters."""
    with app.app_context():
        for name in NAMES + FORMULAS:
            learner = add_learner(name, email=None, country="KE", organisation=name)
            add_record(learner, "demo", completed=T0, score=81.5, certificate="valid")
        add_record(add_learner("Elsewhere", country="MX"), "demo")
    page = _export(admin, f"format={fmt}&country=KE&status=certified").data
    output = tmp_path / f"export.{fmt}"
    result = runner.invoke(
        args=[
            "export",
            "completions",
            "--format",
            fmt,
            "--country",
            "KE",
            "--status",
            "certified",
            "--output",
            str(output),
        ]
    )
    assert result.exit_code == 0, result.output
    assert output.read_bytes() == page
    assert len(_csv_rows(page) if fmt == "csv" else json.loads(page) if fmt == "json" else _xlsx_rows(page)[1:]) == len(
        NAMES + FORMULAS
    )


def test_xlsx_bytes_do_not_depend_on_the_clock(app, monkeypatch):
    """The same rows give the same XLSX bytes at another time: ZIP entry times and document dates are fixed."""
    import time

    from greencustoms.exports.formats import write_xlsx

    records = [dict.fromkeys(KEYS, "x") | {"completed": T0}]
    first = b"".join(write_xlsx(records, COLUMNS))
    later = time.time() + 86400 * 400
    monkeypatch.setattr(time, "time", lambda: later)
    assert b"".join(write_xlsx(records, COLUMNS)) == first


def test_cli_refuses_a_malformed_filter(app, runner, tmp_path):
    """A bad filter on the command line exits with an error and writes no file."""
    output = tmp_path / "out.csv"
    result = runner.invoke(args=["export", "completions", "--from", "yesterday", "--output", str(output)])
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output
    assert not output.exists()


def test_json_is_an_array_of_objects_with_iso_times(app, admin):
    """JSON export: an array of objects with the documented keys, UTC times in ISO 8601 with Z, numbers as numbers."""
    with app.app_context():
        add_record(add_learner("Amina", email="a@example.org"), completed=T0, score=90.0, certificate="valid")
    response = _export(admin, "format=json")
    assert response.headers["Content-Type"] == "application/json"
    [row] = json.loads(response.data)
    assert list(row) == KEYS
    assert row["completed"] == "2026-03-02T09:30:00Z" and row["final_score"] == 90.0 and row["workshop"] is None


def test_export_is_audited_with_filters_and_row_count(app, admin):
    """Each export writes one audit event, after the stream, with who, the filters and the number of rows."""
    with app.app_context():
        seed_rows(3)
    assert _export(admin, "format=csv&country=KE").data
    [event] = audit_events(app, "export.completions")
    assert event.actor_id is not None
    assert event.details == {
        "source": "admin",
        "format": "csv",
        "filters": {"country": "KE"},
        "rows": 3,
        "complete": True,
    }


def _peak_export_memory(app, fmt: str) -> int:
    """Peak Python memory while one export is streamed and thrown away (chunks are not kept)."""
    with app.app_context():
        export = completions_export(fmt, parse_filters({}), actor_id=None, source="test")
        gc.collect()
        tracemalloc.start()
        try:
            for _chunk in export.chunks():
                pass
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_memory_stays_flat_as_rows_grow(app, fmt):
    """Ten times more rows do not take ten times more memory: the peak grows by less than half (untimed)."""
    with app.app_context():
        seed_rows(200)
    _peak_export_memory(app, fmt)  # warm caches (compiled SQL, imports) before measuring
    small = _peak_export_memory(app, fmt)
    with app.app_context():
        seed_rows(1800, start=200)
    large = _peak_export_memory(app, fmt)
    assert large < 1.5 * small, (small, large)


def test_the_exports_page_lists_recent_exports_in_its_body_not_its_title(app, admin):
    """The list of the admin's recent exports is part of the page, and the window title stays "Exports"."""
    _export(admin, "format=csv")
    page = admin.get("/admin/exports").get_data(as_text=True)
    title = page[page.index("<title>") : page.index("</title>")]
    assert "Exports" in title and "<h2>" not in title and "completions" not in title
    body = page[page.index("<main") :]
    assert "Your recent exports" in body and ".csv</a>" in body
