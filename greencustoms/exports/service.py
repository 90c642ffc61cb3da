"""The ONE completion export used by the admin page, the `flask export completions` command and the API.

`completions_export(...)` returns an Export: its file name and media type are decided here, and `chunks()`
streams the file while counting rows; when the stream ends (or is abandoned) the export is written to the audit
log, in a transaction of its own, with who asked, the filters and the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from greencustoms import audit
from greencustoms.exports.completions import COLUMNS, CompletionFilters, completion_records
from greencustoms.exports.formats import FORMATS, ExportFormat
from greencustoms.models import utcnow


class UnknownFormat(ValueError):
    """The format is not one of csv, xlsx, json."""


@dataclass
class Export:
    """One export about to be streamed. `rows` holds the number of rows written so far."""

    format: ExportFormat
    filters: CompletionFilters
    filename: str
    actor_id: int | None
    source: str
    now: datetime
    limit: int | None = None
    offset: int = 0
    audit_details: dict[str, Any] = field(default_factory=dict)
    rows: int = field(default=0, init=False)

    @property
    def mimetype(self) -> str:
        return self.format.mimetype

    def _counted(self, records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for record in records:
            self.rows += 1
            yield record

    def chunks(self) -> Iterator[bytes]:
        """The file's bytes, in chunks, as the rows are read; records the audit event when done."""
        finished = False
        try:
            records = completion_records(self.filters, self.now, limit=self.limit, offset=self.offset)
            yield from self.format.write(self._counted(records), COLUMNS)
            finished = True
        finally:
            details = {
                "source": self.source,
                "format": self.format.extension,
                "filters": self.filters.as_dict(),
                "rows": self.rows,
                "complete": finished,
                **self.audit_details,
            }
            audit.record_detached("export.completions", self.actor_id, "completions", details)


def completions_export(
    fmt: str,
    filters: CompletionFilters,
    *,
    actor_id: int | None,
    source: str,
    now: datetime | None = None,
    limit: int | None = None,
    offset: int = 0,
    audit_details: dict[str, Any] | None = None,
) -> Export:
    """Prepare an export of completion records in `fmt` (csv, xlsx or json). `source` says who asks ("admin",
    "cli", "api") for the audit log, `audit_details` adds facts to its entry; `limit`/`offset` cut one page out
    of the ordered rows (the API). Raises UnknownFormat on any other format."""
    if fmt not in FORMATS:
        raise UnknownFormat(f"format must be one of: {', '.join(FORMATS)}.")
    now = now or utcnow()
    return Export(
        FORMATS[fmt],
        filters,
        export_filename(filters, fmt, now.date()),
        actor_id,
        source,
        now,
        limit,
        offset,
        dict(audit_details or {}),
    )


def export_filename(filters: CompletionFilters, fmt: str, day: date) -> str:
    """completions[-<course>]-<YYYY-MM-DD>.<fmt>: chosen by the server, ASCII only (course slugs are ASCII)."""
    course = f"-{filters.course}" if filters.course else ""
    return f"completions{course}-{day.isoformat()}.{fmt}"


def content_disposition(filename: str) -> str:
    """An RFC 6266 attachment header: an ASCII `filename` fallback and the exact name as UTF-8 `filename*`."""
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in filename) or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
