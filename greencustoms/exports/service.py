"""The ONE export pipeline: every export (completions, workshop results) is an `Export` built from a declared
`ExportKind` (its columns, its audit event, its sheet title), streamed by the same writers and audited alike.

A new column is one `Column` in its kind's declaration plus its value in the records. `Export.chunks()` streams
the file while counting rows (and reports progress to the background job, when there is one); when the stream
ends, or is abandoned, the export is written to the audit log in a transaction of its own, with who asked, the
filters and the number of rows. The admin page (through a background job), the CLI and the API call the same
builders (`completions_export`, `workshop_results_export`), so a file is the same bytes wherever it comes from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import current_app, has_request_context
from flask_babel import force_locale
from sqlalchemy import ColumnElement

from greencustoms import audit, profiles
from greencustoms.exports.completions import COLUMNS, completion_records, count_completions, profile_columns
from greencustoms.exports.filters import CompletionFilters
from greencustoms.exports.formats import FORMATS, Column, ExportFormat
from greencustoms.models import utcnow
from greencustoms.web import content_disposition  # noqa: F401  (re-exported: greencustoms.web holds it)

PROGRESS_EVERY = 500  # rows between two progress reports to a background job


class UnknownFormat(ValueError):
    """The format is not one this export offers."""


@dataclass(frozen=True)
class ExportKind:
    """What one kind of export is: its columns (declared once), formats, audit event and sheet title."""

    name: str
    columns: tuple[Column, ...]
    formats: tuple[str, ...]
    audit_event: str
    sheet_title: Any


COMPLETIONS = ExportKind("completions", COLUMNS, ("csv", "xlsx", "json"), "export.completions", "Completions")


@dataclass
class Export:
    """One export about to be streamed. `rows` holds the number of rows written so far; `total()` says how many
    will come (for a progress bar)."""

    kind: ExportKind
    format: ExportFormat
    records: Callable[[], Iterable[dict[str, Any]]]
    total: Callable[[], int]
    filename: str
    actor_id: int | None
    source: str
    audit_target: str
    audit_details: dict[str, Any] = field(default_factory=dict)
    progress: Callable[[int], object] | None = None  # called with the rows so far; what it returns is unused
    language: str | None = None  # of the column titles; default: the request's, else the platform's
    # The columns when they vary from one export to the next (the kind's plus the profile fields); default: the kind's.
    columns: tuple[Column, ...] | None = None
    rows: int = field(default=0, init=False)

    @property
    def mimetype(self) -> str:
        return self.format.mimetype

    def _counted(self, records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for record in records:
            self.rows += 1
            if self.progress is not None and self.rows % PROGRESS_EVERY == 0:
                self.progress(self.rows)
            yield record

    def chunks(self) -> Iterator[bytes]:
        """The file's bytes, in chunks, as the rows are read; records the audit event when done."""
        finished = False
        language = self.language
        if language is None and not has_request_context():
            language = current_app.config["BABEL_DEFAULT_LOCALE"]
        try:
            with force_locale(language) if language else nullcontext():
                yield from self._write()
            finished = True
        finally:
            details = {
                "source": self.source,
                "format": self.format.extension,
                **self.audit_details,
                "rows": self.rows,
                "complete": finished,
            }
            audit.record_detached(self.kind.audit_event, self.actor_id, self.audit_target, details)

    def _write(self) -> Iterator[bytes]:
        counted = self._counted(self.records())
        columns = self.columns or self.kind.columns
        if self.format.extension == "xlsx":
            yield from self.format.write(counted, columns, sheet_title=str(self.kind.sheet_title))
        else:
            yield from self.format.write(counted, columns)


def export_format(kind: ExportKind, fmt: str) -> ExportFormat:
    """The writer for `fmt`; raises UnknownFormat when this kind does not offer it."""
    if fmt not in kind.formats:
        raise UnknownFormat(f"format must be one of: {', '.join(kind.formats)}.")
    return FORMATS[fmt]


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
    scope: ColumnElement[bool] | None = None,
) -> Export:
    """Prepare an export of completion records in `fmt` (csv, xlsx or json). `source` says who asks ("admin",
    "coordinator", "cli", "api") for the audit log, `audit_details` adds facts to its entry; `limit`/`offset` cut
    one page out of the ordered rows (the API). `scope` is the condition on User of whose rows the person asking
    may see (greencustoms.access.scope.learners_in_scope; None: everyone, for the CLI). The columns are COLUMNS
    and then one per active profile field (greencustoms.profiles), as they are when the export is prepared.
    Raises UnknownFormat on any other format."""
    writer = export_format(COMPLETIONS, fmt)
    now = now or utcnow()
    fields = profiles.exported_fields()  # read once: every row of this export has the same columns

    def total() -> int:
        count = count_completions(filters, now, scope)
        return count if limit is None else max(0, min(limit, count - offset))

    return Export(
        COMPLETIONS,
        writer,
        lambda: completion_records(filters, now, limit=limit, offset=offset, scope=scope, profile_fields=fields),
        total,
        export_filename(filters, fmt, now.date()),
        actor_id,
        source,
        "completions",
        {"filters": filters.as_dict(), **(audit_details or {})},
        columns=COLUMNS + profile_columns(fields),
    )


def export_filename(filters: CompletionFilters, fmt: str, day: date) -> str:
    """completions[-<course>]-<YYYY-MM-DD>.<fmt>: chosen by the server, ASCII only (course slugs are ASCII)."""
    course = f"-{filters.course}" if filters.course else ""
    return f"completions{course}-{day.isoformat()}.{fmt}"
