"""Exports of completion records (CSV, XLSX, JSON), shared by the admin page, the CLI and the API."""

from greencustoms.exports.completions import (
    COLUMNS,
    STATUSES,
    CompletionFilters,
    FilterError,
    completion_records,
    count_completions,
    parse_filters,
)
from greencustoms.exports.formats import FORMATS, json_object, neutralise
from greencustoms.exports.service import Export, UnknownFormat, completions_export, content_disposition

__all__ = [
    "COLUMNS",
    "FORMATS",
    "STATUSES",
    "CompletionFilters",
    "Export",
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
