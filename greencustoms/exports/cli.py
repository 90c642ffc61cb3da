"""`flask export completions`: the same export as the admin page, to a file or to standard output."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from greencustoms.exports.filters import STATUSES, FilterError, parse_filters
from greencustoms.exports.formats import FORMATS
from greencustoms.exports.service import completions_export


@click.group("export", help="Export records for reports (the same files as the administration pages).")
def export_cli() -> None:
    pass


@export_cli.command("completions")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="csv", show_default=True)
@click.option("--course", help="Course identifier, e.g. green-customs-foundations.")
@click.option("--from", "date_from", metavar="YYYY-MM-DD", help="Completed on or after this day (UTC).")
@click.option("--to", "date_to", metavar="YYYY-MM-DD", help="Completed on or before this day (UTC).")
@click.option("--country", help="Two-letter ISO 3166 code, e.g. KE.")
@click.option("--organisation", help="Part of the organisation's name (case-insensitive).")
@click.option("--workshop", help="A workshop's number (e.g. 12) or join code: its participants, for its course.")
@click.option("--status", type=click.Choice(STATUSES))
@click.option("--language", default="en", show_default=True, help="Language of the column titles (CSV, XLSX).")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout)."
)
@with_appcontext
def export_completions_command(
    fmt, course, date_from, date_to, country, organisation, workshop, status, language, output
):
    """Export completion records; the file is byte for byte the one the admin page gives for the same filters.

    Exits with an error, writing nothing, on a malformed filter; refuses to write XLSX to a terminal.
    """
    values = {
        "course": course,
        "from": date_from,
        "to": date_to,
        "country": country,
        "organisation": organisation,
        "workshop": workshop,
        "status": status,
    }
    try:
        export = completions_export(fmt, parse_filters(values), actor_id=None, source="cli")
    except FilterError as exc:
        raise click.UsageError(str(exc)) from exc
    export.language = language
    _write(export, fmt, output)
    click.echo(f"{export.rows} rows exported ({fmt}).", err=True)


def _write(export, fmt: str, output: Path | None) -> None:
    if output is None:
        stream = sys.stdout.buffer  # click.get_binary_stream is deprecated (Click 8.5) and untyped
        if fmt == "xlsx" and stream.isatty():
            raise click.UsageError("XLSX is a binary file: write it with --output FILE.")
        for chunk in export.chunks():
            stream.write(chunk)
        stream.flush()
    else:
        partial = output.with_name(output.name + ".part")  # a failed export never leaves a half file behind
        with partial.open("wb") as handle:
            for chunk in export.chunks():
                handle.write(chunk)
        os.replace(partial, output)
