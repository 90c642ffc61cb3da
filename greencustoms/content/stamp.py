"""`flask content stamp FILE...`: write the current source version into a translation's `source_version: pending`.

Only the word `pending` is replaced, on its own line, with the version of the item's source as it is now (see
versions.py); a version already written is never touched, so stamping records "this translation says what the
source says today" only for what the translator has just written. The rest of the file is kept byte for byte.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .files import TRANSLATION_NAME
from .issues import Issues
from .versions import PENDING, item_version, question_version, text_version
from .yamlsource import Doc, parse_yaml, read_text, split_front_matter

_PENDING_LINE = re.compile(r"^(\s*(?:-\s+)?source_version:\s*)pending(\s*(?:#.*)?)$")


class StampError(Exception):
    """The file cannot be stamped (not a translation, no source, unreadable): the message says why."""


def stamp_file(root: Path, path: Path) -> int:
    """Replace every `source_version: pending` in the translation `path` with its source's current version.

    Returns how many were replaced. Raises StampError when `path` is not a translation file of the content under
    `root`, its source is missing, either file cannot be read, or a pending item has no source item (its id).
    """
    match = TRANSLATION_NAME.match(path.name)
    if not match or match.group("lang") == "en":
        raise StampError(f"{path}: not a translation file (name it like 01-lesson.fr.md or module.fr.yaml)")
    source = path.with_name(f"{match.group('stem')}.{match.group('ext')}")
    if not source.is_file():
        raise StampError(f"{path}: its source {source.name} does not exist")
    issues = Issues()
    own, src = read_text(path, str(path), issues), read_text(source, str(source), issues)
    if own is None or src is None:
        raise StampError(f"{path}: not UTF-8 text")
    lines = own[1].split("\n")
    versions = _versions(path, root, own[1], src[1], issues)
    if issues:
        raise StampError("\n".join(str(issue) for issue in issues))
    count = 0
    for number, version in versions.items():
        found = _PENDING_LINE.match(lines[number - 1])
        if found:
            lines[number - 1] = f"{found.group(1)}{version}{found.group(2)}"
            count += 1
    if count:
        newline = "\r\n" if b"\r\n" in own[0] else "\n"
        path.write_bytes(
            ("\ufeff" if own[0].startswith(b"\xef\xbb\xbf") else "").encode() + newline.join(lines).encode()
        )
    return count


def _versions(path: Path, root: Path, text: str, source_text: str, issues: Issues) -> dict[int, str]:
    """{line of a pending source_version: the version it should carry}."""
    rel = str(path)
    if path.suffix == ".md":
        front = split_front_matter(text, rel, issues)
        doc = parse_yaml(front.header, rel, issues, first_line=front.header_line) if front else None
        return _at(doc, (), text_version(source_text)) if doc else {}
    doc = parse_yaml(text, rel, issues)
    source = parse_yaml(source_text, rel, issues)
    if doc is None or source is None or not isinstance(doc.data, dict) or not isinstance(source.data, dict):
        return {}
    kind = _kind(path, root)
    if kind in ("course", "module"):
        return _at(doc, (), item_version(kind, source.data))
    if kind == "quiz":
        found = _at(doc, (), item_version("quiz", source.data))
        by_id = {q.get("id"): q for q in source.data.get("questions") or () if isinstance(q, dict)}
        return found | _items(doc, "questions", by_id, question_version, issues)
    by_id = {t.get("id"): t for t in source.data.get("terms") or () if isinstance(t, dict)}
    return _items(doc, "terms", by_id, lambda raw: item_version("term", raw), issues)


def _kind(path: Path, root: Path) -> str:
    parts = path.resolve().relative_to(root.resolve()).parts if path.resolve().is_relative_to(root.resolve()) else ()
    if path.name.startswith("module."):
        return "module"
    if parts[:1] == ("courses",) or path.parent.name == "courses":
        return "course"
    if parts[:1] == ("quizzes",) or path.parent.name == "quizzes":
        return "quiz"
    return "glossary"


def _at(doc: Doc, keypath: tuple, version: str) -> dict[int, str]:
    data: Any = doc.data
    for part in keypath:
        data = data[part]
    if isinstance(data, dict) and data.get("source_version") == PENDING:
        return {doc.line((*keypath, "source_version")): version}
    return {}


def _items(doc: Doc, field: str, by_id: dict, version_of, issues: Issues) -> dict[int, str]:
    found: dict[int, str] = {}
    for index, item in enumerate(doc.data.get(field) or ()):
        if not isinstance(item, dict) or item.get("source_version") != PENDING:
            continue
        if item.get("id") not in by_id:
            issues.add(doc.path, doc.line((field, index)), f'"{item.get("id")}" is not in the source: cannot stamp it')
            continue
        found |= _at(doc, (field, index), version_of(by_id[item["id"]]))
    return found
