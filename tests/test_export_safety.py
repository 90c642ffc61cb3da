"""Spreadsheet safety of every export, in every locale: the 12 formula strings read back from CSV (with `,` and
with `;` as the separator, as LibreOffice would split them) and from XLSX are never a formula; numbers stay numbers;
certificate PDFs keep non-Latin names in their download name (RFC 6266)."""

from __future__ import annotations

import csv
import io
import unicodedata
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from greencustoms.exports import COLUMNS
from greencustoms.exports.formats import Column, write_csv, write_xlsx
from tests.adminkit import T0, add_learner, add_record, signed_in
from tests.exportkit import export_file

CLASSIC = ["=1+1", "+1+1", "-1+1", "@SUM(1)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]
MISSED_BEFORE = ["＝1+1", " =1+1", '"=1+1', "a,=1+1", "a;=1+1"]
FORMULAS = CLASSIC + MISSED_BEFORE
TRIGGERS = ("=", "+", "-", "@")


def _is_formula(cell: str) -> bool:
    """Would a spreadsheet run this cell? It starts, after spaces, controls and quotes, with a trigger (width-folded,
    so a fullwidth ＝ counts) and is not a plain number."""
    text = unicodedata.normalize("NFKC", cell).lstrip(' \t\r\n"\u00a0\u200b')
    if not text.startswith(TRIGGERS):
        return False
    try:
        float(text)
    except ValueError:
        return True
    return False


def _cells(data: bytes, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


COLS = (Column("name", "Name"), Column("org", "Organisation"), Column("gain", "Gain", "number"))


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_no_formula_string_becomes_a_formula_in_csv_whatever_the_separator(delimiter):
    """Each of the 12 strings, as a name and as an organisation, is inert when the file is split at `,` (its own
    separator), at `;` (many European locales) or at tabs."""
    records = [{"name": text, "org": "x" + text, "gain": -3.5} for text in FORMULAS]
    data = b"".join(write_csv(records, COLS))
    cells = [cell for row in _cells(data, delimiter) for cell in row]
    assert cells and not [cell for cell in cells if _is_formula(cell)]


def test_every_text_cell_is_quoted_and_negative_numbers_stay_numbers():
    """Text cells are quoted (a separator inside a text never splits it); a negative gain is an unquoted number."""
    data = b"".join(write_csv([{"name": "a;=1+1", "org": "KRA", "gain": -3.5}], COLS)).decode("utf-8-sig")
    body = data.splitlines()[1]
    assert body == '"a;\'=1+1","KRA",-3.5'
    [[name, org, gain]] = _cells(data.encode(), ",")[1:]
    assert (name, org, float(gain)) == ("a;'=1+1", "KRA", -3.5)


def test_csv_keeps_the_text_apart_from_the_quote_mark():
    """Removing the one inserted quote gives back exactly what was stored: nothing else is changed."""
    data = b"".join(write_csv([{"name": t, "org": "", "gain": None} for t in FORMULAS], COLS))
    names = [row[0] for row in _cells(data, ",")[1:]]
    assert [name.replace("'", "", 1) for name in names] == FORMULAS


def test_no_xlsx_cell_is_a_formula_and_numbers_are_numbers():
    """In the workbook no cell is a formula (openpyxl reads data_type "f" for one); a text that starts like a
    formula gets one leading quote, a text with a separator inside stays as it is (an XLSX cell is never split);
    the negative gain is a number cell."""
    records = [{"name": text, "org": text, "gain": -3.5} for text in FORMULAS]
    sheet = load_workbook(io.BytesIO(b"".join(write_xlsx(records, COLS)))).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert cells and all(cell.data_type != "f" for cell in cells)
    names = [row[0].value.replace("\n", "\r") for row in sheet.iter_rows(min_row=2)]  # XML reads CR back as LF
    assert names == ["'" + text if _is_formula(text) else text for text in FORMULAS]
    assert not any(_is_formula(name) for name in names)
    assert [row[2].value for row in sheet.iter_rows(min_row=2)] == [-3.5] * len(FORMULAS)


def test_completion_export_through_the_page_is_safe_in_csv_and_xlsx(app, worker):
    """The admin page's real files: every formula string stored as a learner's name is inert in both formats."""
    client = signed_in(app)[1]
    with app.app_context():
        for text in FORMULAS:
            add_record(add_learner(text, email=None, organisation=text), completed=T0, score=50.0)
    data = export_file(app, client, {"format": "csv"}).data
    for delimiter in (",", ";"):
        assert not [cell for row in _cells(data, delimiter) for cell in row if _is_formula(cell)]
    workbook = load_workbook(io.BytesIO(export_file(app, client, {"format": "xlsx"}).data))
    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    score_column = [column.key for column in COLUMNS].index("final_score")
    assert {row[score_column].value for row in workbook.active.iter_rows(min_row=2)} == {50.0}


@pytest.mark.parametrize("name", ["张伟", "محمد الأمين", "Zoë Ørsted-Łukasik", 'Ann "x"/..\\evil\r\n'])
def test_certificate_pdf_download_name_keeps_the_holders_name(app, name):
    """Content-Disposition carries an ASCII filename and the exact name as filename*=UTF-8''... (RFC 6266); no
    path separator, quote or line break gets through."""
    from greencustoms.certificates.codes import format_code

    user_id, client = signed_in(app, role="learner", name="Learner")
    with app.app_context():
        certificate = add_record(user_id, completed=T0, certificate="valid", holder=name)
        code = format_code(certificate.code)
    response = client.get(f"/me/certificates/{code}.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="certificate-') and "\r" not in disposition
    fallback = disposition.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback.isascii() and "/" not in fallback and "\\" not in fallback
    exact = unquote(disposition.split("filename*=UTF-8''", 1)[1])
    assert exact.startswith(f"certificate-{code}-") and exact.endswith(".pdf")
    assert not set(exact) & set('/\\"\r\n')
    for word in name.split():
        if word.isalpha():
            assert word in exact
