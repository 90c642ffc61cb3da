"""Files touched by a GIFT import: a scratch copy of the content to check the result in, the owner's file that
must name the new quiz, and writes that never leave half a file behind."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

CONTENT_ENTRIES = ("courses", "modules", "quizzes")  # plus the top-level glossary*.yaml and facts.yaml


@dataclass(frozen=True)
class OwnerEdit:
    """The new text of a module.yaml (key `quiz`) or course file (key `final_quiz`) that names the quiz."""

    path: Path
    key: str
    text: str


def owner_edit(path: Path, key: str, quiz_slug: str) -> tuple[OwnerEdit | None, str | None]:
    """(edit, replaced): the edit that makes `path` say `key: quiz_slug`, keeping every other line as written
    (None when it already does), and the slug of another quiz that the edit would replace (the caller decides)."""
    text = path.read_text(encoding="utf-8")
    line = re.compile(rf"^{key}:[ \t]*(?P<value>[^\s#]*)[ \t]*(#.*)?$", re.MULTILINE)
    match = line.search(text)
    if match is None:
        separator = "" if not text or text.endswith("\n") else "\n"
        return OwnerEdit(path, key, f"{text}{separator}{key}: {quiz_slug}\n"), None
    value = match.group("value").strip("\"'")
    if value == quiz_slug:
        return None, None
    edit = OwnerEdit(path, key, text[: match.start()] + f"{key}: {quiz_slug}" + text[match.end() :])
    return edit, (None if value in ("", "null", "~") else value)


def copy_content(root: Path, scratch: Path) -> Path:
    """Copy the content folders and top-level content files of `root` into `scratch`; returns the copy's root."""
    copy = scratch / "content"
    copy.mkdir()
    for name in CONTENT_ENTRIES:
        if (root / name).is_dir():
            shutil.copytree(root / name, copy / name)
    for path in [*root.glob("glossary*.yaml"), root / "facts.yaml"]:
        if path.is_file():
            shutil.copy2(path, copy / path.name)
    return copy


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder, so a failure leaves the old file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
