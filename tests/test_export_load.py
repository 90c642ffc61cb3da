"""A 100,000-row export runs in the background: the request that starts it returns at once, and another person's
pages answer while the file is still being written (checked by order of events, never by timing)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from greencustoms.extensions import db
from tests.adminkit import seed_rows, signed_in
from tests.exportkit import job_state, start, wait_for_job
from tests.test_jobs import _wait

ROWS = 100_000


@pytest.fixture
def quick_cleanup(app):
    """Empty the 100k rows with one TRUNCATE on PostgreSQL: deleting them row by row makes PostgreSQL check every
    foreign key to users once per row (minutes). SQLite deletes them quickly as the `app` fixture does."""
    yield
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("TRUNCATE TABLE users CASCADE"))
        db.engine.dispose()


def test_a_100k_row_export_leaves_other_users_browsing(app, quick_cleanup, worker):
    """While the worker writes 100k rows, a learner's pages answer (200) and the job is still running afterwards;
    the page shows progress, then the file has every row."""
    with app.app_context():
        for start_at in range(0, ROWS, 10_000):
            seed_rows(10_000, start=start_at)
        db.session.remove()
    _admin_id, admin = signed_in(app)
    _learner_id, learner = signed_in(app, role="learner", email="learner@example.org", name="Other Person")
    token = start(admin, {"format": "csv"}, "/admin/exports/completions", "/admin/exports")
    assert job_state(app, token).status in ("queued", "running")  # the POST came back before the file was written
    _wait(lambda: job_state(app, token).rows_done > 0, "the export reports progress")
    for path in ("/", "/me", "/courses/demo", "/account"):
        assert learner.get(path).status_code == 200, path
    running = job_state(app, token)
    assert running.status == "running" and 0 < running.rows_done < ROWS == running.rows_total
    page = admin.get(f"/exports/{token}").get_data(as_text=True)
    assert "<progress" in page and "rows written" in page
    assert wait_for_job(app, token).status == "done"
    response = admin.get(f"/exports/{token}/download")
    data = response.get_data()
    response.close()
    assert data.count(b"\r\n") == ROWS + 1  # the header and every row
    assert job_state(app, token).rows_done == ROWS
