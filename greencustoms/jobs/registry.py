"""Declaring background work: `@task` for a function to run on demand, `@periodic(...)` for one run on a schedule.

A declaration only records the plain function under a stable name; it stays an ordinary function that tests and
other code may call directly. Each app binds every declared task to its own queue (greencustoms.jobs.runner), and
runs it inside an application context. Adding periodic work is one declaration:

    @periodic(minute="*/5")
    def send_learning_records() -> None: ...
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class TaskSpec:
    """A declared task: its queue name, the function, and for periodic tasks the test of a minute (crontab)."""

    name: str
    func: Callable[..., Any]
    schedule: Callable[[datetime], bool] | None = None
    retries: int = 0


TASKS: dict[str, TaskSpec] = {}


def task_name(func: Callable[..., Any]) -> str:
    """The stable queue name of a function: module and qualified name."""
    return f"{func.__module__}.{func.__qualname__}"


def task(func: F | None = None, *, retries: int = 0) -> Any:
    """Declare `func` as a task that `greencustoms.jobs.enqueue(func, ...)` runs in the background; its
    arguments must be picklable plain values (ids, strings), never ORM objects. Returns `func` unchanged."""

    def declare(inner: F) -> F:
        TASKS[task_name(inner)] = TaskSpec(task_name(inner), inner, retries=retries)
        return inner

    return declare(func) if func is not None else declare


def periodic(*, minute: str = "*", hour: str = "*", day: str = "*", month: str = "*", day_of_week: str = "*"):
    """Declare a function (no arguments) to run on a crontab schedule, e.g. `@periodic(minute="*/5")`, by the
    consumer's scheduler; it can also be enqueued at any time like a task."""
    schedule = _Crontab(dict(minute=minute, hour=hour, day=day, month=month, day_of_week=day_of_week))

    def declare(func: F) -> F:
        TASKS[task_name(func)] = TaskSpec(task_name(func), func, schedule)
        return func

    return declare


class _Crontab:
    """Huey's crontab test of a minute, built on its first use: declaring a task must not import Huey (start-up
    time). Raises Huey's ValueError on a malformed field when first called."""

    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = fields
        self._test: Callable[[datetime], bool] | None = None

    def __call__(self, moment: datetime) -> bool:
        if self._test is None:
            from huey import crontab

            self._test = crontab(**self.fields)
        return self._test(moment)
