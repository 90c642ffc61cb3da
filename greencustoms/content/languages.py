"""Translated views built when a page first asks for them, once the content they come from has been checked whole.

Building every language's lessons and questions is about two thirds of a start-up with translations. So the first
load of a content version builds and checks all of them, as before (a broken translation stops the app), and then
records in the YAML cache that this exact content (the catalog version) passed under this exact code, with what
each language translates: the translation status, without its texts. A later load of the same version (a restart,
another process, another worker) takes the status from that record and builds a language's view only when it is
first asked for, or when `warm()` builds them all (gunicorn's master does, before it forks its workers).
`flask content check` always builds everything. Deleting the cache only brings the full load back.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from .catalog import Catalog
from .translations import Status, Translated

RECORD_PREFIX = "checked:"


@cache
def code_version() -> str:
    """A digest of the code that reads, checks and builds content: a change to it checks the content again."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for folder in ("content", "quiz"):
        for path in sorted((package / folder).rglob("*.py")):
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    for name in ("Markdown", "nh3", "PyYAML"):
        digest.update(metadata.version(name).encode())
    return digest.hexdigest()


def record_key(version: str) -> str:
    """The cache key saying "catalog `version` passed every check under this code"."""
    return RECORD_PREFIX + hashlib.sha256(f"{code_version()}\0{version}".encode()).hexdigest()


def pack_status(status: Status) -> dict[str, list]:
    """What each language translates (declared version, file, line), ready for JSON; texts are left out."""
    return {
        language: [[key, item.declared, item.path, item.line] for key, item in sorted(items.items())]
        for language, items in sorted(status.translated.items())
    }


def unpack_status(status: Status, record: Any) -> bool:
    """Fill `status.translated` from a packed record; False (and `status` untouched) when the record is damaged."""
    try:
        translated = {
            str(language): {
                str(key): Translated(str(declared), str(path), int(line)) for key, declared, path, line in rows
            }
            for language, rows in record.items()
        }
    except (AttributeError, TypeError, ValueError):
        return False
    status.translated = translated
    return True


class LazyLanguages(Mapping[str, Catalog]):
    """The translated views by language (Catalog.translations), each built by `build` the first time it is read.

    Reads are safe from several threads: a view is built once, under a lock, and never changes afterwards.
    """

    def __init__(self, languages: Iterable[str], build: Callable[[str], Catalog]) -> None:
        self._languages = tuple(sorted(set(languages)))
        self._build = build
        self._views: dict[str, Catalog] = {}
        self._lock = threading.Lock()

    def __getitem__(self, language: str) -> Catalog:
        view = self._views.get(language)
        if view is not None:
            return view
        if language not in self._languages:
            raise KeyError(language)
        with self._lock:
            if language not in self._views:
                self._views[language] = self._build(language)
        return self._views[language]

    def __iter__(self) -> Iterator[str]:
        return iter(self._languages)

    def __len__(self) -> int:
        return len(self._languages)

    def built(self) -> tuple[str, ...]:
        """The languages whose view exists already."""
        return tuple(language for language in self._languages if language in self._views)

    def warm(self) -> None:
        """Build every language's view now (before forking workers, so that they share it)."""
        for language in self._languages:
            self[language]


def warm(catalog: Catalog) -> None:
    """Build every translated view of `catalog` that is not built yet (nothing to do after a full load)."""
    if isinstance(catalog.translations, LazyLanguages):
        catalog.translations.warm()
