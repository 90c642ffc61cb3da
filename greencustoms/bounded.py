"""The rule the per-process stores share (signed CSRF tokens, verified session cookies, rendered rows): a store
holds at most a given number of entries, and a new entry pushes the oldest out first. A dict keeps insertion
order, so the oldest entry is the first one."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any


def remember(store: dict, key: Hashable, value: Any, limit: int) -> None:
    """Put `key` in `store`, first dropping its oldest entries so that it holds at most `limit`. Callers that share
    the store between threads call it under their lock (two threads must not drop the same entry)."""
    while len(store) >= limit:
        del store[next(iter(store))]
    store[key] = value
