"""Rendered Markdown kept across loads and processes, keyed by everything that decides the output.

Rendering every lesson, question and glossary definition is most of start-up. A text's HTML depends only on the
text, the link policy it is rendered under (glossary, lesson names, image files), the dated facts, the language,
and the rendering code itself, so the key is a hash of all of them: an edited file, a renamed lesson, a deleted
image or a new version of this package or of Markdown/nh3 simply misses. The cache lives in memory for the
process (the test suite and the reloader reuse it) and, when given a folder, in one JSON file there that every
process and every restart reads. Deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path
from typing import Any

from .catalog import TocEntry
from .jsonstore import JsonFileStore

_FILE = "rendered.json"
_MEMORY_LIMIT = 50_000
_memory: dict[str, Any] = {}


def _code_version() -> str:
    """A digest of the code that shapes rendered HTML, so a change to it never serves stale output."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for name in ("render.py", "typography.py", "links.py", "facts.py", "rendercache.py"):
        digest.update((here / name).read_bytes())
    for package in ("Markdown", "nh3"):
        digest.update(metadata.version(package).encode())
    return digest.hexdigest()


CODE_VERSION = _code_version()


def key_of(*parts: object) -> str:
    """The cache key of one render: a SHA-256 over the code version and `parts`."""
    digest = hashlib.sha256(CODE_VERSION.encode())
    for part in parts:
        digest.update(b"\x00")
        digest.update(str(part).encode())
    return digest.hexdigest()


def pack(rendered: Any) -> list:
    """A JSON-ready form of a Rendered result."""
    return [
        rendered.html,
        [[entry.level, entry.id, entry.title] for entry in rendered.toc],
        rendered.words,
        list(rendered.glossary_ids),
        [[problem.line, problem.message] for problem in rendered.problems],
    ]


class RenderCache(JsonFileStore):
    """Rendered results by key: the process-wide memory first, then the JSON file in `folder` (if any)."""

    def __init__(self, folder: str | Path | None = None) -> None:
        super().__init__(folder, _FILE, "render cache")

    def get(self, key: str) -> list | None:
        """The packed result for `key`, or None."""
        packed = _memory.get(key) or self._disk.get(key)
        if packed is not None:
            self._used[key] = packed
            _memory.setdefault(key, packed)
        return packed

    def put(self, key: str, packed: list) -> None:
        """Remember a freshly rendered result."""
        if len(_memory) >= _MEMORY_LIMIT:
            _memory.clear()
        _memory[key] = packed
        self._used[key] = packed


def render_cache_dir(app: Any) -> Path | None:
    """Where a Flask app keeps rendered Markdown: CONTENT_CACHE_DIR, by default <instance>/content-cache."""
    configured = app.config.get("CONTENT_CACHE_DIR")
    if configured is None:
        return Path(app.instance_path) / "content-cache"
    return Path(configured) if configured else None


def unpack_toc(rows: list) -> tuple[TocEntry, ...]:
    """The table of contents of a packed result."""
    return tuple(TocEntry(level, anchor, title) for level, anchor, title in rows)
