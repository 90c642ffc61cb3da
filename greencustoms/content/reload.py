"""Development reload: notice edited content files and swap in a freshly loaded catalog."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from flask import Flask

from .files import fingerprint
from .issues import ContentError
from .loader import load_catalog
from .rendercache import render_cache_dir


class ContentWatcher:
    """Checks at most once per `interval` seconds whether any content file changed (by stat only).

    On a change it reloads; a broken reload logs each issue with app.logger.error and keeps serving
    the previous catalog until the files are fixed.
    """

    def __init__(self, app: Flask, root: str | Path, interval: float = 1.0) -> None:
        self.app = app
        self.root = Path(root)
        self.interval = interval
        self._lock = threading.Lock()
        self._checked = time.monotonic()
        self._fingerprint = fingerprint(self.root)  # taken before the first load, so no edit is missed

    def check(self) -> None:
        """before_request hook: reload the catalog when the files changed since the last look."""
        now = time.monotonic()
        if now - self._checked < self.interval or not self._lock.acquire(blocking=False):
            return
        try:
            self._checked = now
            current = fingerprint(self.root)
            if current == self._fingerprint:
                return
            self._fingerprint = current
            try:
                catalog = load_catalog(self.root, render_cache_dir(self.app))
            except ContentError as exc:
                self.app.logger.error("content reload failed; still serving the previous content")
                for issue in exc.issues:
                    self.app.logger.error(str(issue))
                return
            self.app.extensions["catalog"] = catalog
            self.app.logger.info("content reloaded: version %s", catalog.version)
        finally:
            self._lock.release()
