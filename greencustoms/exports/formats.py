"""Export file formats, written as generators of byte chunks: CSV for Excel, XLSX (write-only), streamed JSON.

Columns are declared once (`Column`: a stable machine key, a translatable title, a kind and a width). CSV and
XLSX are for people: a header of titles in the reader's language, date cells, column widths. JSON is for
programs: machine keys and values exactly as they are.

Spreadsheet safety (`neutralise`): a text cell that a spreadsheet could run as a formula gets a single quote in
front. The test is made on the text as a spreadsheet would read it: width-folded (NFKC, so a fullwidth ＝ counts)
and with leading spaces, control and format characters and double quotes removed. In CSV every text cell is
also quoted, so that a separator inside a text (`a;=1+1`) never splits it into a cell of its own in a locale
whose separator is `;`. Numbers (scores, gains, counts) are numeric values, written unquoted: a negative gain
stays a number that the spreadsheet can add up.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.cell import WriteOnlyCell

# openpyxl is imported where a workbook is written: every process would otherwise pay for it at start-up.

Record = dict[str, Any]
FORMULA_TRIGGERS = ("=", "+", "-", "@")  # looked for after the leading noise (tabs, returns, spaces...)
CSV_SEPARATORS = ",;\t\r\n|"  # where a spreadsheet may cut a text into cells or rows
CHUNK = 16 * 1024  # bytes per streamed chunk: small enough that memory stays flat from the first rows
# XLSX is a ZIP of XML parts: every part gets this timestamp, and the document properties say "created" at this
# instant, so the same rows always give the same bytes (the page and the CLI agree byte for byte).
FIXED_TIME = datetime(2000, 1, 1)
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
_XML_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
_XLSX_FORMATS = {"datetime": "yyyy-mm-dd hh:mm", "date": "yyyy-mm-dd", "number": "0.00"}


@dataclass(frozen=True)
class Column:
    """One column of an export: `key` for programs (JSON, API; never renamed), `title` for people (translated when
    written), `kind` (text, int, number, datetime, date) and the XLSX `width` in characters."""

    key: str
    title: Any
    kind: str = "text"
    width: int = 16


def _noise(char: str) -> bool:
    """Characters a spreadsheet skips before it looks for a formula: spaces, controls, format marks, quotes."""
    return char.isspace() or char == '"' or unicodedata.category(char) in ("Cc", "Cf", "Zs")


def neutralise(text: str, *, separators: str = CSV_SEPARATORS) -> str:
    """Text a spreadsheet could take for a formula, made inert; other text unchanged.

    A single quote goes in front of the text when it starts with a trigger, and right after each of
    `separators` that a trigger follows: a file opened with another separator (`;` in many locales, tab) or
    whose quotes are lost splits the text there, and each piece must be inert too. Triggers are looked for
    after spaces, controls, format marks and double quotes, on the width-folded character (NFKC: ＝ is =)."""
    out: list[str] = []
    at_start = True
    for char in text:
        folded = unicodedata.normalize("NFKC", char)
        if at_start and folded.startswith(FORMULA_TRIGGERS):
            boundary = len(out) if out and out[-1] in separators else _segment_start(out, separators)
            out.insert(boundary, "'")
            at_start = False
        elif at_start and not (folded and _noise(folded[0])) and char not in separators:
            at_start = False
        out.append(char)
        if char in separators:
            at_start = True
    return "".join(out)


def _segment_start(out: list[str], separators: str) -> int:
    """Where the current piece of text began: after the last separator written, or at 0."""
    for index in range(len(out) - 1, -1, -1):
        if out[index] in separators:
            return index + 1
    return 0


def _title(column: Column) -> str:
    return str(column.title)


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return value
    return neutralise(str(value))


def write_csv(records: Iterable[Record], columns: Sequence[Column]) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark and CRLF line ends (what Excel expects), a header row of column titles, every
    text cell quoted, numbers unquoted, times as "YYYY-MM-DD HH:MM:SS" in UTC. Yields chunks of about CHUNK bytes."""
    yield codecs.BOM_UTF8
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([neutralise(_title(column)) for column in columns])
    for record in records:
        writer.writerow([_csv_value(record[column.key]) for column in columns])
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def json_object(record: Record, columns: Sequence[Column]) -> dict[str, Any]:
    """A record as a JSON-ready object: the machine keys in order, times as ISO 8601 UTC strings ending in Z."""
    return {column.key: _json_value(record[column.key]) for column in columns}


def write_json(records: Iterable[Record], columns: Sequence[Column]) -> Iterator[bytes]:
    """A JSON array of objects, one per line, streamed: "[" first, "]" last, never the whole array in memory."""
    parts: list[str] = ["["]
    size, separator = 1, "\n"
    for record in records:
        line = separator + json.dumps(json_object(record, columns), ensure_ascii=False)
        parts.append(line)
        size += len(line)
        separator = ",\n"
        if size >= CHUNK:
            yield "".join(parts).encode("utf-8")
            parts, size = [], 0
    parts.append("\n]\n")
    yield "".join(parts).encode("utf-8")


def _xlsx_cell(sheet, value: Any, column: Column, cell_class: type[WriteOnlyCell]) -> Any:
    if isinstance(value, datetime):
        value = value.astimezone(UTC).replace(tzinfo=None)  # Excel has no time zones: the sheet is in UTC
    elif isinstance(value, str):
        value = neutralise(_XML_ILLEGAL.sub("\ufffd", value), separators="")  # an XLSX cell is never split
    elif isinstance(value, bool):
        value = "yes" if value else "no"
    number_format = _XLSX_FORMATS.get(column.kind)
    if number_format is None or value is None:
        return value
    cell = cell_class(sheet, value=value)
    cell.number_format = number_format
    return cell


class _FixedTimeZip(zipfile.ZipFile):
    """A ZIP archive whose entries all carry FIXED_TIME instead of the current time or a file's mtime."""

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        return info

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = self._info(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        with open(filename, "rb") as source, self.open(self._info(arcname or filename), "w") as target:
            shutil.copyfileobj(source, target, CHUNK)


def write_xlsx(records: Iterable[Record], columns: Sequence[Column], sheet_title: str = "Export") -> Iterator[bytes]:
    """An Excel workbook written with openpyxl's write-only mode: rows go to a temporary file as they come, the
    ZIP is assembled on disk, then streamed in CHUNK-sized pieces. A bold, wrapped header of titles, the columns'
    widths, date and date-time cells (UTC). Deterministic: the same records give the same bytes."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    workbook = Workbook(write_only=True)
    workbook.properties.creator = "Green Customs Learn"
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    sheet = workbook.create_sheet(sheet_title[:31])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.append([_header_cell(sheet, _title(column)) for column in columns])
    for record in records:
        sheet.append([_xlsx_cell(sheet, record[column.key], column, WriteOnlyCell) for column in columns])
    with tempfile.TemporaryFile() as output:
        with _FixedTimeZip(output, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            ExcelWriter(workbook, archive).save()
        output.seek(0)
        while chunk := output.read(CHUNK):
            yield chunk


def _header_cell(sheet, title: str) -> WriteOnlyCell:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    cell = WriteOnlyCell(sheet, value=neutralise(title))
    cell.font = Font(bold=True)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


@dataclass(frozen=True)
class ExportFormat:
    """How one format is named, typed and written."""

    extension: str
    mimetype: str
    write: Callable[..., Iterator[bytes]]


FORMATS: dict[str, ExportFormat] = {
    "csv": ExportFormat("csv", "text/csv; charset=utf-8", write_csv),
    "xlsx": ExportFormat("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", write_xlsx),
    "json": ExportFormat("json", "application/json", write_json),
}
