"""Helpers for export tests: start an export through its page (a POST), let the real job consumer write it, then
download it; read CSV files back by machine key."""

from __future__ import annotations

import csv
import io
import threading
from urllib.parse import parse_qsl

from greencustoms.extensions import db
from greencustoms.models import ExportJob
from greencustoms.models.export_job import ACTIVE
from tests.conftest import post_form

WAIT_LIMIT = 300  # seconds a job may take in a test before the test fails (a hang, not a speed check)


def job_state(app, token: str) -> ExportJob:
    """The job's row as it is now (read in a fresh session)."""
    with app.app_context():
        job = db.session.execute(db.select(ExportJob).filter_by(token=token)).scalar_one()
        db.session.expunge(job)
        return job


def wait_for_job(app, token: str) -> ExportJob:
    """Wait until the consumer has finished the job (done or failed); fails the test if it never does."""
    pause = threading.Event()
    for _ in range(WAIT_LIMIT * 20):
        job = job_state(app, token)
        if job.status not in ACTIVE:
            return job
        pause.wait(0.05)
    raise AssertionError(f"export job {token} did not finish")


def start(client, data: dict, url: str, token_from: str):
    """POST the export form; returns the job's token from the redirect to its page."""
    response = post_form(client, url, data, token_from=token_from)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    location = response.headers["Location"]
    assert "/exports/" in location
    return location.rstrip("/").rsplit("/", 1)[-1]


def export_file(app, client, data: dict | str, url="/admin/exports/completions", token_from="/admin/exports"):  # noqa: S107
    """Start an export, wait for the worker, check the job page, and return the download response."""
    if isinstance(data, str):
        data = dict(parse_qsl(data))
    token = start(client, data, url, token_from)
    job = wait_for_job(app, token)
    assert job.status == "done", job.status
    page = client.get(f"/exports/{token}")
    assert page.status_code == 200 and f"/exports/{token}/download" in page.get_data(as_text=True)
    response = client.get(f"/exports/{token}/download")
    assert response.status_code == 200
    response.get_data()  # read the file now, then close it (the body is kept)
    response.close()
    return response


def csv_rows(data: bytes, columns, delimiter: str = ",") -> list[dict[str, str]]:
    """CSV rows keyed by machine key (the header holds the columns' human titles, in the export's order)."""
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter)
    header = next(reader)
    assert header == [str(column.title) for column in columns]
    return [dict(zip([column.key for column in columns], row, strict=True)) for row in reader]
