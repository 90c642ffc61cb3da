"""Background jobs (Huey): declare with `@task` / `@periodic`, run with `enqueue(func, *args)`.

    from greencustoms import jobs

    @jobs.task
    def send_mail(to: str, subject: str, body: str) -> None: ...

    jobs.enqueue(send_mail, "a@example.org", "Hello", "...")   # returns at once; a worker runs it

Tasks run in an application context of the app that enqueued them, in a consumer thread (development) or in
`flask jobs worker` (production); see greencustoms.jobs.runner and docs/deploy.md.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app

from greencustoms.jobs.registry import TASKS, TaskSpec, periodic, task
from greencustoms.jobs.runner import JobRunner, UnknownTask

__all__ = ["TASKS", "JobRunner", "TaskSpec", "UnknownTask", "enqueue", "init_app", "periodic", "runner", "task"]


def init_app(app: Flask) -> None:
    """Bind every declared task to this app's queue, add `flask jobs`, and in "thread" mode start the consumer
    with the first request (so a CLI command never starts one). The factory imports the modules that declare
    tasks first (greencustoms.create_app, register_extensions), so every worker knows every task."""
    from greencustoms.jobs.cli import jobs_cli

    if not app.config.get("JOBS_URL"):
        app.config["JOBS_URL"] = f"sqlite:///{app.instance_path}/jobs.db"
    app.config.setdefault("JOBS_WORKERS", 2)
    app.config.setdefault("JOBS_POLL_SECONDS", 1.0)
    if not app.config.get("JOBS_CONSUMER"):
        in_process = app.config["DEPLOYMENT"] != "production" and not app.testing
        app.config["JOBS_CONSUMER"] = "thread" if in_process else "external"
    app.extensions["jobs"] = runner = JobRunner(app)
    app.cli.add_command(jobs_cli)
    if app.config["JOBS_CONSUMER"] == "thread":

        @app.before_request
        def _start_consumer() -> None:
            if runner.consumer is None:
                runner.start_thread_consumer()


def runner(app: Flask | None = None) -> JobRunner:
    """The job runner of `app` (the current app by default)."""
    return (app or current_app).extensions["jobs"]


def enqueue(func: Any, *args: Any, **kwargs: Any):
    """Run `func(*args, **kwargs)` in the background (a task declared with @task); returns Huey's Result."""
    return runner().enqueue(func, *args, **kwargs)
