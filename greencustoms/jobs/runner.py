"""The job queue of one app: Huey on a SQLite file (default, in instance/) or on Redis (production), the declared
tasks bound to it, and the consumer that runs them (a thread of the app, or `flask jobs worker`).

JOBS_URL chooses the storage: `sqlite:///<path>` (default `instance/jobs.db`) or `redis://host:port/db`.
JOBS_CONSUMER says who runs the tasks: "thread" starts a consumer inside the web process at its first request
(development, `make run`: nothing else to start); "external" leaves it to `flask jobs worker` (production: one
or more worker processes beside gunicorn). JOBS_WORKERS is the number of worker threads of a consumer, and so the
number of tasks that run at once per consumer.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from flask import Flask

from greencustoms.extensions import db
from greencustoms.jobs.registry import TASKS, TaskSpec, task_name

if TYPE_CHECKING:
    from huey import Huey
    from huey.api import TaskWrapper
    from huey.consumer import Consumer

# Huey (and through it psycopg) is imported when a process first uses the queue, not at start-up: a web worker
# that never enqueues never pays for it.

log = logging.getLogger(__name__)


class UnknownTask(LookupError):
    """The function was not declared with @jobs.task or @jobs.periodic (or its module was not imported)."""


def embedded_consumer_class() -> type[Consumer]:
    """A Huey consumer that runs inside another program (the web server, a test): it leaves signal handling to
    that program, whose main thread owns the signals."""
    from huey.consumer import Consumer

    class EmbeddedConsumer(Consumer):
        def _set_signal_handlers(self) -> None:
            pass

    return EmbeddedConsumer


def make_queue(url: str, name: str = "greencustoms") -> Huey:
    """A Huey queue for JOBS_URL. Raises ValueError on a scheme other than sqlite or redis."""
    from huey import RedisHuey, SqliteHuey

    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        path = Path(url[len("sqlite:///") :])
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name, filename=str(path), utc=True)
    if scheme in ("redis", "rediss", "unix"):
        return RedisHuey(name, url=url, utc=True)
    raise ValueError(f"JOBS_URL must start with sqlite:/// or redis://, not {scheme or url!r}")


class JobRunner:
    """One app's queue and its bound tasks; kept in app.extensions["jobs"]."""

    def __init__(self, app: Flask):
        self.app = app
        self._queue: Huey | None = None
        self.tasks: dict[str, TaskWrapper] = {}
        self.consumer: Consumer | None = None
        self._lock = threading.Lock()
        self._queue_lock = threading.Lock()

    @property
    def queue(self) -> Huey:
        """The queue of JOBS_URL with every declared task bound, made on first use in this process."""
        with self._queue_lock:
            if self._queue is None:
                self._queue = make_queue(self.app.config["JOBS_URL"])
                for spec in TASKS.values():
                    self._bind(self._queue, spec)
            return self._queue

    def bind(self, spec: TaskSpec) -> TaskWrapper:
        """Make the queue able to run `spec`, inside this app's context, the session cleaned up afterwards."""
        return self._bind(self.queue, spec)

    def _bind(self, queue: Huey, spec: TaskSpec) -> TaskWrapper:
        app = self.app

        def run(*args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                try:
                    return spec.func(*args, **kwargs)
                finally:
                    db.session.remove()

        if spec.schedule is not None:  # on its schedule, and on demand (with a result) under a name of its own
            queue.periodic_task(spec.schedule, name=spec.name)(run)
            wrapper = queue.task(name=spec.name + ".now")(run)
        else:
            wrapper = queue.task(name=spec.name, retries=spec.retries)(run)
        self.tasks[spec.name] = wrapper
        return wrapper

    def enqueue(self, func: Callable[..., Any], *args: Any, **kwargs: Any):
        """Put one call of a declared task on the queue; returns Huey's Result handle. Raises UnknownTask."""
        name = task_name(func)
        self.queue  # noqa: B018  (binds every declared task on first use)
        wrapper = self.tasks.get(name)
        if wrapper is None and name in TASKS:
            wrapper = self.bind(TASKS[name])
        if wrapper is None:
            raise UnknownTask(f"{name} is not a declared task: decorate it with @jobs.task")
        return wrapper(*args, **kwargs)

    def consumer_for(self, workers: int | None = None, *, embedded: bool = True, periodic: bool = True) -> Consumer:
        """A consumer of this queue with JOBS_WORKERS threads and (unless `periodic` is False) the scheduler of
        periodic tasks; not yet started."""
        from huey.consumer import Consumer

        kind = embedded_consumer_class() if embedded else Consumer
        return kind(
            self.queue,
            workers=workers or int(self.app.config["JOBS_WORKERS"]),
            worker_type="thread",
            periodic=periodic,
            initial_delay=0.05,
            backoff=1.5,
            max_delay=float(self.app.config["JOBS_POLL_SECONDS"]),
            check_worker_health=False,
        )

    def start_thread_consumer(self) -> Consumer:
        """Start (once) a consumer inside this process: daemon threads that stop with it."""
        with self._lock:
            if self.consumer is None:
                self.consumer = self.consumer_for()
                self.consumer.start()
                log.info("background jobs: consumer thread started (%s)", self.app.config["JOBS_URL"])
            return self.consumer

    def stop_thread_consumer(self) -> None:
        """Stop the in-process consumer, letting running tasks finish."""
        with self._lock:
            if self.consumer is not None:
                self.consumer.stop(graceful=True)
                self.consumer = None
