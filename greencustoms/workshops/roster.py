"""Roster import: a CSV of participants (full name, e-mail, country, organisation) checked whole, then imported
in one transaction, or not at all.

The file may be UTF-8 (with or without a byte-order mark) or Windows-1252 (what Excel saves as "CSV" on many
office PCs): it is read as UTF-8 first and as Windows-1252 when that fails. The delimiter is a comma or a
semicolon, whichever the first line uses more. A first row naming the columns (in any order) is a header;
without one the columns are taken in the order full name, e-mail, country, organisation. Rows with an e-mail
match existing accounts: those this trainer's rosters created join, every other one is only invited (and joins
when the person accepts, greencustoms.workshops.invitations); the others create learner accounts with an
unusable password (their owners sign in with a sign-in slip; those without an e-mail get a username to sign in
with afterwards, greencustoms.auth.usernames). Every wrong row is reported by its line number,
and then nothing is imported.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from collections import Counter
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from markupsafe import escape
from sqlalchemy.exc import IntegrityError

from greencustoms import audit, rules
from greencustoms.auth.usernames import give_usernames
from greencustoms.content import Catalog
from greencustoms.extensions import db
from greencustoms.models import User, Workshop, WorkshopParticipant, normalise_email
from greencustoms.workshops.invitations import created_by_trainer_of, invite
from greencustoms.workshops.participants import enrol
from greencustoms.workshops.service import WorkshopError

FIELDS = ("full_name", "email", "country", "organisation")
LIMITS = {"full_name": 200, "email": 254, "country": 100, "organisation": 200}
LABELS = {
    "full_name": _l("full name"),
    "email": _l("e-mail"),
    "country": _l("country"),
    "organisation": _l("organisation"),
}
MAX_ROWS = 1000
_HEADERS = {
    "full_name": {"fullname", "name", "participant", "participantname", "nom", "nombre", "nomcomplet"},
    "email": {"email", "mail", "emailaddress", "courriel", "correo"},
    "country": {"country", "countrycode", "pays", "pais"},
    "organisation": {"organisation", "organization", "agency", "institution", "employer", "org"},
}


@dataclass(frozen=True)
class RosterRow:
    """One participant read from the file; `line` is its line number in the file (the header is line 1)."""

    line: int
    full_name: str
    email: str | None
    country: str
    organisation: str


@dataclass(frozen=True)
class RosterProblem:
    """What is wrong with one line of the file (line 0: the file as a whole)."""

    line: int
    message: str


class RosterRejected(WorkshopError):
    """The file has problems; `problems` lists each, and nothing was imported."""

    def __init__(self, problems: list[RosterProblem]):
        super().__init__(_l("The roster was not imported."))
        self.problems = problems


@dataclass(frozen=True)
class ImportReport:
    """What an import did: accounts created, existing accounts added (accounts this trainer's rosters created),
    existing accounts invited (everyone else: greencustoms.workshops.invitations), people already there."""

    created: int
    matched: int
    already: int
    invited: int = 0


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
    return ";" if first.count(";") > first.count(",") else ","


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


def _check_row(line: int, values: dict[str, str], seen: dict[str, int]) -> tuple[RosterRow | None, list]:
    problems = []
    for field in FIELDS:
        problem = _text_problem(values, field)
        if problem is not None:
            problems.append(RosterProblem(line, _l("Line %(n)d: %(problem)s", n=line, problem=problem)))
    if problems:
        return None, problems
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
    code = _country_code(country)
    if not country:
        problems.append(RosterProblem(line, _l("Line %(n)d: the country is missing.", n=line)))
    elif code is None:
        problems.append(
            RosterProblem(
                line,
                _l(
                    "Line %(n)d: unknown country “%(country)s”: write a two-letter ISO "
                    "code such as KE or an English name such as Kenya.",
                    n=line,
                    country=escape(country),
                ),
            )
        )
    if email and normalise_email(email) not in seen:
        seen[normalise_email(email)] = line
    if problems:
        return None, problems
    return RosterRow(line, name, normalise_email(email) if email else None, code or "", values["organisation"]), []


def _is_email(typed: str) -> bool:
    try:
        rules.email(typed)
    except rules.RuleError:
        return False
    return True


def _country_code(typed: str) -> str | None:
    """The ISO code for a two-letter code or an English country name, or None (see rules.country)."""
    try:
        return rules.country(typed, names=True, required=False) or None
    except rules.RuleError:
        return None


def parse_roster(data: bytes) -> list[RosterRow]:
    """Read and check every row. Raises RosterRejected listing every problem (by line number) when any row is
    wrong, the file holds no participant, or more than MAX_ROWS."""
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
            values = {field: "" for field in FIELDS}
            for field, cell in zip(layout, cells, strict=False):
                if field:
                    values[field] = cell.strip()
            row, row_problems = _check_row(line, values, seen)
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
    if problems:
        raise RosterRejected(problems)
    if not rows:
        raise RosterRejected([RosterProblem(0, _l("The file holds no participant."))])
    return rows


def unusable_password_hash() -> str:
    """A random marker in place of a password hash: no password matches it (it is not a hash format)."""
    return "!roster:" + secrets.token_hex(16)


def import_roster(workshop: Workshop, data: bytes, actor: User, catalog: Catalog) -> ImportReport:
    """Check the file and add its people to the workshop in ONE transaction: existing accounts are matched by
    e-mail and invited (unless a roster of this trainer created them: those join), the others created (learner
    role, unusable password); everyone who joins is enrolled in the course; a row
    without e-mail whose name is already an e-mail-less participant's is taken as that participant (importing
    the same file twice adds nobody twice). Audited as
    workshop.roster_imported. Raises RosterRejected, importing nothing, when any row is wrong or an account
    found is disabled."""
    rows = parse_roster(data)
    emails = [row.email for row in rows if row.email]
    existing = (
        {user.email: user for user in db.session.execute(db.select(User).where(User.email.in_(emails))).scalars()}
        if emails
        else {}
    )
    disabled = [
        RosterProblem(
            row.line, _l("Line %(n)d: the account of %(email)s is disabled.", n=row.line, email=escape(row.email))
        )
        for row in rows
        if row.email in existing and not existing[row.email].active
    ]
    if disabled:
        raise RosterRejected(disabled)
    current = db.session.execute(
        db.select(User.id, User.email, User.full_name)
        .join(WorkshopParticipant, WorkshopParticipant.user_id == User.id)
        .where(WorkshopParticipant.workshop_id == workshop.id)
    ).all()
    current_ids = {user_id for user_id, _email, _name in current}
    nameless = Counter(name.casefold() for _id, email, name in current if email is None)
    created = matched = already = 0
    new_participants, to_invite = [], []
    own = created_by_trainer_of(actor, [user.id for user in existing.values()])
    for row in rows:
        user = existing.get(row.email) if row.email else None
        if row.email is None and nameless[row.full_name.casefold()] > 0:
            nameless[row.full_name.casefold()] -= 1  # the same person in a file imported again
            already += 1
            continue
        if user is not None and user.id in current_ids:
            already += 1
            continue
        if user is not None and user.id not in own:  # someone else's learner or a trainer: invite, never pull
            to_invite.append(user)
            continue
        if user is None:
            user = User(
                email=row.email,
                full_name=row.full_name,
                role="learner",
                country=row.country,
                organisation=row.organisation,
                language=workshop.language,
                password_hash=unusable_password_hash(),
            )
            db.session.add(user)
            created += 1
        else:
            matched += 1
        new_participants.append((user, user.id is None))
    give_usernames(user for user, was_created in new_participants if was_created)  # they sign in with it later
    try:
        db.session.flush()
        for user, was_created in new_participants:
            db.session.add(
                WorkshopParticipant(workshop_id=workshop.id, user_id=user.id, via="roster", account_created=was_created)
            )
        course = catalog.course(workshop.course_slug)
        if course is not None:
            enrol([user.id for user, _new in new_participants], course.slug, course.version)
        invited, invited_before = invite(workshop, to_invite, actor)
        already += invited_before
        audit.record(
            "workshop.roster_imported",
            actor.id,
            f"workshop:{workshop.id}",
            {"rows": len(rows), "created": created, "matched": matched, "already": already, "invited": invited},
            commit=False,
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise RosterRejected(
            [
                RosterProblem(
                    0,
                    _l(
                        "Someone registered with one of these e-mail addresses while "
                        "the file was imported. Import the file again."
                    ),
                )
            ]
        ) from None
    return ImportReport(created, matched, already, invited)
