"""Export file formats, written as generators of byte chunks: CSV for Excel, XLSX (write-only), streamed JSON.

Spreadsheet safety: in CSV and XLSX, any text cell that begins with = + - @, a tab, a carriage return or a line
feed gets a single quote in front, so that Excel or LibreOffice shows it as text instead of running it as a
formula. JSON is data for programs and keeps values exactly.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

Record = dict[str, Any]
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
CHUNK = 16 * 1024  # bytes per streamed chunk: small enough that memory stays flat from the first rows
# XLSX is a ZIP of XML parts: every part gets this timestamp, and the document properties say "created" at this
# instant, so the same rows always give the same bytes (the page and the CLI agree byte for byte).
FIXED_TIME = datetime(2000, 1, 1)
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
_XML_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")


def neutralise(text: str) -> str:
    """Text a spreadsheet could take for a formula, made inert with a leading single quote; other text as is."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def write_csv(records: Iterable[Record], columns: Sequence[str]) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark and CRLF line ends (what Excel expects), a header row of column names, and
    times as "YYYY-MM-DD HH:MM:SS" in UTC. Yields chunks of about CHUNK bytes."""
    yield codecs.BOM_UTF8
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([_csv_value(record[name]) for name in columns])
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value


def json_object(record: Record, columns: Sequence[str]) -> dict[str, Any]:
    """A record as a JSON-ready object: the columns in order, times as ISO 8601 UTC strings ending in Z."""
    return {name: _json_value(record[name]) for name in columns}


def write_json(records: Iterable[Record], columns: Sequence[str]) -> Iterator[bytes]:
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


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)  # Excel has no time zones: the sheet is in UTC
    if isinstance(value, str):
        return neutralise(_XML_ILLEGAL.sub("\ufffd", value))
    return value


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


def write_xlsx(records: Iterable[Record], columns: Sequence[str], sheet_title: str = "Completions") -> Iterator[bytes]:
    """An Excel workbook written with openpyxl's write-only mode: rows go to a temporary file as they come, the
    ZIP is assembled on disk, then streamed in CHUNK-sized pieces. Times are date-time cells in UTC. Deterministic:
    the same records give the same bytes."""
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "Green Customs Learn"
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    sheet = workbook.create_sheet(sheet_title)
    sheet.freeze_panes = "A2"
    for index, name in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(name) + 2)
    bold = Font(bold=True)
    sheet.append([_header_cell(sheet, name, bold) for name in columns])
    for record in records:
        sheet.append([_xlsx_value(record[name]) for name in columns])
    with tempfile.TemporaryFile() as output:
        with _FixedTimeZip(output, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            ExcelWriter(workbook, archive).save()
        output.seek(0)
        while chunk := output.read(CHUNK):
            yield chunk


def _header_cell(sheet, name: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=name)
    cell.font = font
    return cell


@dataclass(frozen=True)
class ExportFormat:
    """How one format is named, typed and written."""

    extension: str
    mimetype: str
    write: Callable[[Iterable[Record], Sequence[str]], Iterator[bytes]]


FORMATS: dict[str, ExportFormat] = {
    "csv": ExportFormat("csv", "text/csv; charset=utf-8", write_csv),
    "xlsx": ExportFormat("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", write_xlsx),
    "json": ExportFormat("json", "application/json", write_json),
}
