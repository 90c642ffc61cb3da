"""Reading a roster file: decoding, the delimiter, an optional header, and the check of every row.

The file may be UTF-8 (with or without a byte-order mark) or Windows-1252 (what Excel saves as "CSV" on many
office PCs): it is read as UTF-8 first and as Windows-1252 when that fails. The delimiter is a comma, a
semicolon or a tab (rows pasted from a spreadsheet), whichever the first line uses most. A first row naming the
columns (in any order) is a header; without one the columns are taken in the order full name, e-mail, country,
organisation. A header may also name a staff number column (STAFF_NUMBER, for the profile field of that key that
an administrator defines: greencustoms.profiles). Countries are read by greencustoms.workshops.countries. Every
wrong row is reported by its line number, with a suggestion for an unknown country.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from markupsafe import escape

from greencustoms import rules
from greencustoms.models import ProfileField, normalise_email
from greencustoms.profiles import MAX_VALUE, offered
from greencustoms.workshops import countries
from greencustoms.workshops.service import WorkshopError

FIELDS = ("full_name", "email", "country", "organisation")
# An optional column, read only from a file with a header: the value of the profile field with this key.
STAFF_NUMBER = "staff_number"
LIMITS = {"full_name": 200, "email": 254, "country": 100, "organisation": 200, STAFF_NUMBER: MAX_VALUE}
LABELS = {
    "full_name": _l("full name"),
    "email": _l("e-mail"),
    "country": _l("country"),
    "organisation": _l("organisation"),
    STAFF_NUMBER: _l("staff number"),
}
MAX_ROWS = 1000
_HEADERS = {
    "full_name": {"fullname", "name", "participant", "participantname", "nom", "nombre", "nomcomplet"},
    "email": {"email", "mail", "emailaddress", "courriel", "correo"},
    "country": {"country", "countrycode", "pays", "pais"},
    "organisation": {"organisation", "organization", "agency", "institution", "employer", "org"},
    STAFF_NUMBER: {"staffnumber", "staffno", "staffid", "employeenumber", "personnelnumber", "matricule"},
}


@dataclass(frozen=True)
class RosterRow:
    """One participant read from the file; `line` is its line number in the file (the header is line 1)."""

    line: int
    full_name: str
    email: str | None
    country: str
    organisation: str
    staff_number: str = ""


@dataclass(frozen=True)
class RosterProblem:
    """What is wrong with one line of the file (line 0: the file as a whole)."""

    line: int
    message: str


class RosterRejected(WorkshopError):
    """The file has problems; `problems` lists each, and nothing was imported. `good` counts the rows that
    could be imported alone (the page offers to)."""

    def __init__(self, problems: list[RosterProblem], good: int = 0):
        super().__init__(_l("The roster was not imported."))
        self.problems = problems
        self.good = good


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (a byte-order mark is dropped), else Windows-1252. Raises RosterRejected when
    it is neither (e.g. a spreadsheet saved as .xlsx)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise RosterRejected(
            [
                RosterProblem(
                    0, _l("The file is not a CSV text file. In your spreadsheet choose “Save as”, then “CSV UTF-8”.")
                )
            ]
        ) from None


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max((",", ";", "\t"), key=first.count)  # ties: the comma


def _header_key(cell: str) -> str:
    return re.sub(r"[\s_\-.]", "", cell.strip().lower())


def _columns(first: list[str]) -> tuple[str, ...] | None:
    """The field of each column when `first` is a header row, else None."""
    names = [_header_key(cell) for cell in first]
    columns = []
    for name in names:
        field = next((key for key, aliases in _HEADERS.items() if name in aliases), None)
        if field is None and name:
            return None
        columns.append(field or "")
    return tuple(columns) if "full_name" in columns else None


def _text_problem(values: dict[str, str], field: str):
    """Apply the rule of one cell (greencustoms.rules: the same as the forms), keeping the value in its canonical
    form (NFC), and return the problem as a message naming the column, or None."""
    try:
        if field == "full_name" and values[field]:
            values[field] = rules.display_name(values[field])
        else:
            values[field] = rules.plain_text(values[field], limit=LIMITS[field])
    except rules.RuleError as error:
        return _l("the %(field)s: %(problem)s", field=LABELS[field], problem=error.message)
    return None


def _check_row(
    line: int, values: dict[str, str], seen: dict[str, int], staff_field: ProfileField | None
) -> tuple[RosterRow | None, list]:
    problems = []
    for field in (*FIELDS, STAFF_NUMBER):
        problem = _text_problem(values, field)
        if problem is not None:
            problems.append(RosterProblem(line, _l("Line %(n)d: %(problem)s", n=line, problem=problem)))
    if problems:
        return None, problems
    number = values[STAFF_NUMBER]
    if staff_field is not None and number and not offered(staff_field, number):
        problems.append(
            RosterProblem(
                line,
                _l(
                    "Line %(n)d: the staff number “%(value)s” is not one of the values offered: %(options)s.",
                    n=line,
                    value=escape(number),
                    options=escape(", ".join(staff_field.options)),
                ),
            )
        )
    name, email, country = values["full_name"], values["email"], values["country"]
    if not name:
        problems.append(RosterProblem(line, _l("Line %(n)d: the full name is missing.", n=line)))
    if email and not _is_email(email):
        problems.append(
            RosterProblem(line, _l("Line %(n)d: “%(email)s” is not an e-mail address.", n=line, email=escape(email)))
        )
    elif email and normalise_email(email) in seen:
        problems.append(
            RosterProblem(
                line,
                _l(
                    "Line %(n)d: the e-mail %(email)s is already on line %(first)d.",
                    n=line,
                    email=escape(email),
                    first=seen[normalise_email(email)],
                ),
            )
        )
    code = countries.country_code(country)
    if not country:
        problems.append(RosterProblem(line, _l("Line %(n)d: the country is missing.", n=line)))
    elif code is None:
        guess = countries.suggest(country)
        message = (
            _l(
                "Line %(n)d: unknown country “%(country)s”. Did you mean %(guess)s?",
                n=line,
                country=escape(country),
                guess=guess,
            )
            if guess
            else _l(
                "Line %(n)d: unknown country “%(country)s”: write a two-letter ISO code such as KE, or the "
                "country's name in English, French, Spanish or Arabic.",
                n=line,
                country=escape(country),
            )
        )
        problems.append(RosterProblem(line, message))
    if email and normalise_email(email) not in seen:
        seen[normalise_email(email)] = line
    if problems:
        return None, problems
    address = normalise_email(email) if email else None
    return RosterRow(line, name, address, code or "", values["organisation"], values[STAFF_NUMBER]), []


def _is_email(typed: str) -> bool:
    try:
        rules.email(typed)
    except rules.RuleError:
        return False
    return True


def parse_roster(
    data: bytes, *, skip_wrong_rows: bool = False, staff_field: ProfileField | None = None
) -> list[RosterRow]:
    """Read and check every row. Raises RosterRejected listing every problem (by line number) when any row is
    wrong, the file holds no participant, or more than MAX_ROWS. With `skip_wrong_rows` (the trainer chose
    "import the good rows"), wrong rows are left out instead; the file as a whole must still be readable.
    `staff_field` is the profile field the staff numbers go to: a value it does not offer makes its row wrong."""
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows, problems = [], []
    seen: dict[str, int] = {}  # normalised e-mail -> the line that first gave it
    columns: tuple[str, ...] | None = None
    first = True
    try:
        for cells in reader:
            line = reader.line_num
            if first:
                first = False
                columns = _columns(cells)
                if columns is not None:
                    continue
            if not any(cell.strip() for cell in cells):
                continue
            layout = columns or FIELDS
            if len([c for c in cells[len(layout) :] if c.strip()]):
                problems.append(
                    RosterProblem(
                        line,
                        _l(
                            "Line %(n)d: more columns than expected (full name, e-mail, country, organisation).", n=line
                        ),
                    )
                )
                continue
            values = {field: "" for field in (*FIELDS, STAFF_NUMBER)}
            for field, cell in zip(layout, cells, strict=False):
                if field:
                    values[field] = cell.strip()
            row, row_problems = _check_row(line, values, seen, staff_field)
            problems.extend(row_problems)
            if row is not None:
                rows.append(row)
    except csv.Error as exc:
        problems.append(
            RosterProblem(
                reader.line_num,
                _l("Line %(n)d: the line cannot be read (%(error)s).", n=reader.line_num, error=str(exc)),
            )
        )
    if len(rows) + len({p.line for p in problems}) > MAX_ROWS:
        raise RosterRejected([RosterProblem(0, _l("The file has more than %(n)d participants.", n=MAX_ROWS))])
    if problems and not (skip_wrong_rows and rows):
        raise RosterRejected(problems, good=len(rows))
    if not rows:
        raise RosterRejected([RosterProblem(0, _l("The file holds no participant."))])
    return rows
