"""The on-disk half of the content caches: one JSON file of packed entries that every process and restart reads.

A load reads the whole file, marks the entries it used, and `save` writes back exactly those (stale ones drop
out) through a temporary file, so a crash never leaves half a file. The file is a cache: an unreadable one is
ignored, an unwritable folder only costs speed, and deleting it is always safe.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)


class JsonFileStore:
    """Entries by key in `<folder>/<filename>` (no file at all without a folder); `label` names it in the log."""

    def __init__(self, folder: str | Path | None, filename: str, label: str) -> None:
        self.path = Path(folder) / filename if folder else None
        self.label = label
        self._disk: dict[str, list] = self._read() if self.path else {}
        self._used: dict[str, list] = {}
        # True when this load did not read everything (translated views built later, content/languages.py):
        # entries it did not use are kept, not dropped as stale.
        self.keep_unused = False

    def _read(self) -> dict[str, list]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))  # type: ignore[union-attr]
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("ignoring the unreadable %s %s: %s", self.label, self.path, exc)
            return {}
        return data if isinstance(data, dict) else {}

    def entry(self, key: str) -> list | None:
        """The entry stored under `key` (kept by the next save), or None."""
        value = self._used.get(key) or self._disk.get(key)
        if value is not None:
            self._used[key] = value
        return value

    def put_entry(self, key: str, value: list) -> None:
        """Store `value` under `key` at the next save."""
        self._used[key] = value

    def save(self) -> None:
        """Write the entries this load used (and, with keep_unused, every other one read) to the file, atomically;
        no-op without a folder or when unchanged."""
        entries = {**self._disk, **self._used} if self.keep_unused else self._used
        if self.path is None or entries.keys() == self._disk.keys():
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.stem}-", suffix=".json")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(entries, out, ensure_ascii=False, separators=(",", ":"))
            os.replace(temporary, self.path)
            self._disk = dict(entries)
        except OSError as exc:  # a read-only instance folder only costs speed
            log.warning("could not write the %s %s: %s", self.label, self.path, exc)
