"""Parsed YAML kept across loads and processes, keyed by the text itself: start-up parses only what changed.

Even with libyaml, turning 100-odd YAML files into Python values and the line of every field takes most of a
second (the resolver and constructor are Python). A document's values and lines depend only on its text, where
it starts in its file and this package's YAML code, so the key is a hash of those. Only documents that parsed
without a problem are kept (a problem is reported again on every load). The cache lives in memory for the process
(the test suite reuses it) and, with a folder, in `parsed.json` there, beside the render cache; deleting it is
always safe. JSON, not pickle, so that the file can never run code: values JSON cannot say exactly (a date, a
mapping with a key that is not text) are written tagged, and a document with anything else stays in memory only.
"""

from __future__ import annotations

import hashlib
import pickle
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .issues import Issues
from .jsonstore import JsonFileStore
from .yamlsource import Doc, KeyPath, parse_yaml

_FILE = "parsed.json"
_CODE = hashlib.sha256((Path(__file__).parent / "yamlsource.py").read_bytes()).hexdigest()
_memory: dict[str, bytes] = {}  # key -> pickled (data, lines, text_lines): a fresh copy for every load
_MEMORY_LIMIT = 20_000


class _Unstorable(ValueError):
    """A value that JSON (with the tags below) cannot carry exactly."""


def _pack(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        return [_pack(item) for item in value]
    if isinstance(value, dict):
        if all(isinstance(key, str) and key != "$" for key in value):
            return {key: _pack(item) for key, item in value.items()}
        raise _Unstorable("mapping key")
    if isinstance(value, datetime):
        return {"$": "datetime", "v": value.isoformat()}
    if isinstance(value, date):
        return {"$": "date", "v": value.isoformat()}
    raise _Unstorable(type(value).__name__)


def _unpack(value: Any) -> Any:
    if isinstance(value, list):
        return [_unpack(item) for item in value]
    if isinstance(value, dict):
        tag = value.get("$")
        if tag == "datetime":
            return datetime.fromisoformat(value["v"])
        if tag == "date":
            return date.fromisoformat(value["v"])
        return {key: _unpack(item) for key, item in value.items()}
    return value


def _lines_out(lines: dict[KeyPath, int]) -> list:
    return [[list(keypath), line] for keypath, line in lines.items()]


def _lines_in(rows: list) -> dict[KeyPath, int]:
    return {tuple(keypath): line for keypath, line in rows}


class ParseCache(JsonFileStore):
    """Parsed documents by key: the process-wide memory first, then `parsed.json` in `folder` (if any)."""

    def __init__(self, folder: str | Path | None = None) -> None:
        super().__init__(folder, _FILE, "YAML cache")

    def parse(self, text: str, path: str, issues: Issues, first_line: int = 1) -> Doc | None:
        """parse_yaml(text, path, issues, first_line), from the cache when this text was parsed cleanly before."""
        key = hashlib.sha256(f"{_CODE}\0{first_line}\0{text}".encode()).hexdigest()
        kept = _memory.get(key)
        if kept is not None:
            data, lines, text_lines = pickle.loads(kept)  # noqa: S301  (bytes this process pickled itself)
            if key in self._disk:
                self._used[key] = self._disk[key]
            return Doc(path, data, lines, issues, first_line, text_lines)
        packed = self._disk.get(key)
        if packed is not None:
            try:
                data, lines, text_lines = _unpack(packed[0]), _lines_in(packed[1]), _lines_in(packed[2])
            except (TypeError, ValueError, KeyError):  # a damaged entry: parse again
                packed = None
            else:
                self._used[key] = packed
                _remember(key, data, lines, text_lines)
                return Doc(path, data, lines, issues, first_line, text_lines)
        own = Issues()
        doc = parse_yaml(text, path, own, first_line)
        issues.extend(own)
        if doc is None or own or own.warnings:
            return doc
        doc.issues = issues
        _remember(key, doc.data, doc.lines, doc.text_lines)
        try:
            self._used[key] = [_pack(doc.data), _lines_out(doc.lines), _lines_out(doc.text_lines)]
        except _Unstorable:
            pass
        return doc


def _remember(key: str, data: Any, lines: dict, text_lines: dict) -> None:
    if len(_memory) >= _MEMORY_LIMIT:
        _memory.clear()
    _memory[key] = pickle.dumps((data, lines, text_lines), protocol=pickle.HIGHEST_PROTOCOL)
