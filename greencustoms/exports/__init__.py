"""Exports (completion records, workshop results) as CSV, XLSX and JSON, through ONE pipeline shared by the admin
page (as a background job), the CLI and the API."""

from greencustoms.exports.completions import COLUMNS, completion_records, count_completions
from greencustoms.exports.filters import STATUSES, CompletionFilters, FilterError, parse_filters
from greencustoms.exports.formats import FORMATS, Column, json_object, neutralise
from greencustoms.exports.service import (
    COMPLETIONS,
    Export,
    ExportKind,
    UnknownFormat,
    completions_export,
    content_disposition,
)

__all__ = [
    "COLUMNS",
    "COMPLETIONS",
    "FORMATS",
    "STATUSES",
    "Column",
    "CompletionFilters",
    "Export",
    "ExportKind",
    "FilterError",
    "UnknownFormat",
    "completion_records",
    "completions_export",
    "content_disposition",
    "count_completions",
    "json_object",
    "neutralise",
    "parse_filters",
]
