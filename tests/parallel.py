"""Running the same work in many threads released at one moment, for the tests of concurrent requests."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


def all_at_once(count: int, work: Callable[[int], Any], timeout: float = 120) -> list:
    """Run work(index) for index in range(count), each in its own thread, all released together by a barrier.
    Returns the results in index order; fails the test if any thread raised (a thread must never fail silently)."""
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list = []

    def worker(index: int) -> None:
        try:
            barrier.wait(timeout=60)
            results[index] = work(index)
        except Exception as error:  # reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not errors, errors
    return results
