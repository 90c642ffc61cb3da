"""Where content lives on disk: the folder layout, file-name rules, fingerprints and content hashes."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .issues import Issues
from .schema import is_slug
from .yamlsource import Doc

LESSON_NAME = re.compile(r"^(\d{2})-(.+)\.md$")
# A translation beside its source: 01-welcome.fr.md, module.fr.yaml, demo.fr.yaml, glossary.fr.yaml.
TRANSLATION_NAME = re.compile(r"^(?P<stem>[^.]+)\.(?P<lang>[a-z]{2})\.(?P<ext>md|yaml)$")
_SLUG_HELP = "lowercase letters, digits and single dashes"


@dataclass(frozen=True)
class SourceFile:
    """A content file: its slug (from the file or folder name), absolute path and path relative to the root."""

    slug: str
    path: Path
    rel: str
    number: int = 0


@dataclass(frozen=True)
class TranslationFile:
    """A translation file: what it translates (`kind` lesson, module, course, quiz or glossary, and the source's
    path relative to the root), its language and the file itself."""

    kind: str
    language: str
    source_rel: str
    file: SourceFile


def translation_of(path: Path, root: Path, kind: str) -> TranslationFile | None:
    """The TranslationFile when `path` is named like a translation (<stem>.<lang>.<ext>), else None."""
    match = TRANSLATION_NAME.match(path.name)
    if not match:
        return None
    stem, ext = match.group("stem"), match.group("ext")
    rel = path.relative_to(root).as_posix()
    source_rel = f"{rel.rsplit('/', 1)[0]}/{stem}.{ext}" if "/" in rel else f"{stem}.{ext}"
    number = LESSON_NAME.match(f"{stem}.md") if kind == "lesson" else None
    slug = number.group(2) if number else stem
    return TranslationFile(
        kind, match.group("lang"), source_rel, SourceFile(slug, path, rel, int(number.group(1)) if number else 0)
    )


@dataclass
class ModuleFolder:
    """A module folder with its module.yaml (None if missing) and its lesson files in number order."""

    slug: str
    path: Path
    rel: str
    yaml: SourceFile | None
    lessons: list[SourceFile] = field(default_factory=list)
    translations: list[TranslationFile] = field(default_factory=list)


@dataclass
class Layout:
    """Every content file found under the root, sorted by name."""

    courses: list[SourceFile]
    modules: list[ModuleFolder]
    quizzes: list[SourceFile]
    glossary: SourceFile | None
    facts: SourceFile | None = None
    translations: list[TranslationFile] = field(default_factory=list)


def short_hash(*parts: bytes | str) -> str:
    """sha256 of the parts (text as UTF-8, joined by a NUL byte), hex, first 16 characters."""
    digest = hashlib.sha256()
    for index, part in enumerate(parts):
        if index:
            digest.update(b"\0")
        digest.update(part.encode() if isinstance(part, str) else part)
    return digest.hexdigest()[:16]


def _visible(path: Path) -> bool:
    return not path.name.startswith((".", "_", "~")) and not path.name.endswith("~")


def _yaml_files(
    folder: Path, root: Path, kind: str, issues: Issues, translations: list[TranslationFile]
) -> list[SourceFile]:
    """The <slug>.yaml files of courses/ or quizzes/; a .yml file or a name that is not a slug is an error.
    Translations (<slug>.<lang>.yaml) go to `translations`."""
    found = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or not _visible(path):
            continue
        translated = translation_of(path, root, kind)
        if translated is not None and translated.file.rel.endswith(".yaml"):
            translations.append(translated)
            continue
        if path.suffix == ".yml":
            issues.add(rel, 1, f"{kind} files must end in .yaml: rename it to {path.stem}.yaml")
        elif path.suffix == ".yaml":
            if is_slug(path.stem):
                found.append(SourceFile(path.stem, path, rel))
            else:
                issues.add(rel, 1, f'file name "{path.stem}" is not a valid name: use {_SLUG_HELP}, such as basel.yaml')
    return found


def _module_folder(path: Path, root: Path, issues: Issues) -> ModuleFolder:
    """A module folder: module.yaml, NN-<slug>.md lessons (numbers and slugs unique), img/."""
    rel = path.relative_to(root).as_posix()
    yaml_path = path / "module.yaml"
    module = ModuleFolder(path.name, path, rel, SourceFile(path.name, yaml_path, f"{rel}/module.yaml"))
    if not yaml_path.is_file():
        module.yaml = None
        issues.add(
            f"{rel}/module.yaml", 1, "file missing: every module folder needs a module.yaml with title and summary"
        )
    numbers: dict[int, str] = {}
    slugs: dict[str, str] = {}
    for file in sorted(path.iterdir()):
        file_rel = file.relative_to(root).as_posix()
        if not file.is_file() or not _visible(file):
            continue
        if file.name == "module.yml":
            issues.add(file_rel, 1, "rename this file to module.yaml")
        translated = translation_of(file, root, "lesson" if file.suffix == ".md" else "module")
        if translated is not None and (file.suffix == ".md" or translated.file.slug == "module"):
            module.translations.append(translated)
            continue
        if file.suffix.lower() not in (".md", ".markdown"):
            continue
        match = LESSON_NAME.match(file.name)
        if not match or not is_slug(match.group(2)):
            issues.add(
                file_rel,
                1,
                "a lesson file name must be NN-<slug>.md: two digits, a dash, then "
                f"{_SLUG_HELP}, such as 01-introduction.md",
            )
            continue
        number, lesson_slug = int(match.group(1)), match.group(2)
        if number in numbers:
            issues.add(
                file_rel,
                1,
                f"lesson number {match.group(1)} is already used by {numbers[number]}; give each lesson its own number",
            )
            continue
        if lesson_slug in slugs:
            issues.add(
                file_rel,
                1,
                f'lesson name "{lesson_slug}" is already used by {slugs[lesson_slug]}; '
                "lesson names must be unique in a module",
            )
            continue
        numbers[number], slugs[lesson_slug] = file.name, file.name
        module.lessons.append(SourceFile(lesson_slug, file, file_rel, number))
    module.lessons.sort(key=lambda lesson: lesson.number)
    if not module.lessons:
        issues.add(
            module.yaml.rel if module.yaml else rel, 1, "this module has no lessons: add files named 01-<slug>.md"
        )
    return module


def discover(root: Path, issues: Issues) -> Layout:
    """Find every content file under `root`; report missing folders and badly named files."""
    for folder in ("courses", "modules"):
        if not (root / folder).is_dir():
            issues.add(folder, 1, f"folder not found: the content root {root} must contain {folder}/")
    modules = []
    modules_dir = root / "modules"
    for path in sorted(modules_dir.iterdir()) if modules_dir.is_dir() else []:
        if not path.is_dir() or not _visible(path):
            continue
        if not is_slug(path.name):
            rel = path.relative_to(root).as_posix()
            issues.add(rel, 1, f'folder name "{path.name}" is not a valid module name: use {_SLUG_HELP}, such as basel')
            continue
        modules.append(_module_folder(path, root, issues))
    glossary, facts = root / "glossary.yaml", root / "facts.yaml"
    translations = [t for m in modules for t in m.translations]
    translations += [
        t for path in sorted(root.glob("glossary.*.yaml")) if (t := translation_of(path, root, "glossary")) is not None
    ]
    return Layout(
        courses=_yaml_files(root / "courses", root, "course", issues, translations),
        modules=modules,
        quizzes=_yaml_files(root / "quizzes", root, "quiz", issues, translations),
        glossary=SourceFile("glossary", glossary, "glossary.yaml") if glossary.is_file() else None,
        facts=SourceFile("facts", facts, "facts.yaml") if facts.is_file() else None,
        translations=translations,
    )


def content_files(root: Path) -> list[Path]:
    """Every file the catalog is built from (YAML, Markdown, images), sorted; hidden files skipped."""
    files: list[Path] = [path for path in (root / "glossary.yaml", root / "facts.yaml") if path.is_file()]
    files.extend(path for path in root.glob("glossary.*.yaml") if path.is_file())
    for folder in ("courses", "modules", "quizzes"):
        base = root / folder
        if base.is_dir():
            files.extend(
                path
                for path in base.rglob("*")
                if path.is_file() and all(_visible(Path(part)) for part in path.relative_to(base).parts)
            )
    return sorted(files)


def fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    """A cheap change detector: sorted (path, mtime_ns, size) of every content file, from stat() alone."""
    result = []
    for path in content_files(root):
        try:
            stat = path.stat()
        except OSError:  # removed between listing and stat: the next check sees it gone
            continue
        result.append((path.as_posix(), stat.st_mtime_ns, stat.st_size))
    return tuple(result)


@dataclass
class Parsed:
    """A YAML file (or lesson header) that parsed: its source, raw bytes, located document and checked values."""

    source: SourceFile
    raw: bytes
    doc: Doc
    values: dict
