"""Link and image rules for Markdown: what `lesson:`, `glossary:` and `img/` mean in each kind of text."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath

IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".webp")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


@dataclass(frozen=True)
class Resolved:
    """The rewritten URL (None drops it), extra attributes to set, and a problem for the author if any."""

    url: str | None
    attrs: Mapping[str, str] = field(default_factory=dict)
    problem: str | None = None
    glossary_id: str | None = None


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


@dataclass(frozen=True)
class LinkPolicy:
    """Where a text lives decides its links: a lesson (module set), a course description (course set), or neither.

    `lessons` maps every module slug to its lesson slugs; `courses_of` maps a module to the courses that use
    it and `course_modules` a course to its modules, so a lesson link can be refused when some course
    containing the linking module does not contain the target module.
    """

    glossary: Mapping[str, str]
    lessons: Mapping[str, frozenset[str]] = field(default_factory=dict)
    module: str | None = None
    course: str | None = None
    courses_of: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    course_modules: Mapping[str, frozenset[str]] = field(default_factory=dict)
    media_url: str | None = None
    media_dir: Path | None = None
    media_label: str = ""
    # Where a glossary link points: the glossary page, or (in lessons) the lesson's own "Terms" list, so that a
    # learner on a slow link reads the definition without loading the whole glossary.
    glossary_anchor: str = "/glossary#"

    @cached_property
    def fingerprint(self) -> str:
        """Everything about this policy that can change a rendered text, as one string (the render cache's key).

        It includes the names of the image files, so deleting an image is noticed even when the text is cached.
        """
        folder = self.media_dir
        images = sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder and folder.is_dir() else []
        return repr(
            (
                sorted(self.glossary.items()),
                sorted((module, sorted(lessons)) for module, lessons in self.lessons.items()),
                self.module,
                self.course,
                sorted(self.courses_of.items()),
                sorted((course, sorted(modules)) for course, modules in self.course_modules.items()),
                self.media_url,
                str(self.media_dir),
                images,
                self.media_label,
                self.glossary_anchor,
            )
        )

    def link(self, href: str) -> Resolved:
        """Rewrite lesson:/glossary: links; accept https, http, mailto, #anchors and /site paths; refuse the rest."""
        if href.startswith("lesson:"):
            return self._lesson(href[len("lesson:") :])
        if href.startswith("glossary:"):
            return self._glossary(href[len("glossary:") :])
        if href.startswith(("#", "/")) and not href.startswith("//"):
            return Resolved(href)
        scheme = _SCHEME.match(href)
        if scheme:
            if scheme.group(1).lower() in ("http", "https", "mailto"):
                return Resolved(href)
            return Resolved(
                None,
                problem=f'link "{href}": "{scheme.group(1)}:" links are not allowed; use https://, mailto:, '
                "lesson: or glossary:",
            )
        if href.startswith("//"):
            return Resolved(None, problem=f'link "{href}" has no scheme; write https://{href[2:]}')
        return Resolved(
            None,
            problem=f'link "{href}" points to a file; link to a lesson with lesson:<module>/<lesson> '
            "or to a web page with https://",
        )

    def _lesson(self, target: str) -> Resolved:
        ref, _, fragment = target.partition("#")
        anchor = f"#{fragment}" if fragment else ""
        shown = f'link "lesson:{target}"'
        if self.module is None and self.course is None:
            return Resolved(None, problem=f"{shown}: lesson links work only in lessons and course descriptions")
        parts = ref.split("/")
        if len(parts) == 1 and self.module is not None:
            module, lesson = self.module, parts[0]
        elif len(parts) == 2:
            module, lesson = parts
        else:
            return Resolved(
                None, problem=f"{shown}: write lesson:<module>/<lesson>, or lesson:<lesson> in the same module"
            )
        if module not in self.lessons:
            return Resolved(
                None,
                problem=f'{shown}: no module named "{module}" (folder modules/{module}/ does not exist)'
                + _suggest(module, self.lessons),
            )
        if lesson not in self.lessons[module]:
            return Resolved(
                None,
                problem=f'{shown}: module "{module}" has no lesson "{lesson}"' + _suggest(lesson, self.lessons[module]),
            )
        # In a lesson, the courses using its module; in a course description (course is set, see above), that one.
        courses = (
            self.courses_of.get(self.module, ()) if self.module else (self.course,) if self.course is not None else ()
        )
        for course in courses:
            if module not in self.course_modules.get(course, frozenset()):
                return Resolved(
                    None,
                    problem=f'{shown}: course "{course}" does not include module "{module}", '
                    "so its learners could not open this lesson",
                )
        if self.module is not None:
            return Resolved(f"../{module}/{lesson}{anchor}")
        return Resolved(f"{self.course}/{module}/{lesson}{anchor}")

    def _glossary(self, term_id: str) -> Resolved:
        if term_id not in self.glossary:
            return Resolved(
                None,
                problem=f'link "glossary:{term_id}": no term "{term_id}" in glossary.yaml'
                + _suggest(term_id, self.glossary),
            )
        attrs = {"class": "glossary-term", "title": self.glossary[term_id]}
        return Resolved(f"{self.glossary_anchor}{term_id}", attrs, glossary_id=term_id)

    def image(self, src: str, alt: str) -> Resolved:
        """An image must be a file in this text's img/ folder and must have alt text; it gets loading="lazy"."""
        shown = f'image "{src}"'
        if self.media_url is None or self.media_dir is None:
            return Resolved(None, problem=f"{shown}: images are allowed only in lessons and quiz questions")
        if _SCHEME.match(src) or src.startswith("//"):
            return Resolved(None, problem=f"{shown}: images must be files in {self.media_label}, not web addresses")
        if not src.startswith("img/"):
            return Resolved(None, problem=f"{shown}: the path must start with img/, such as img/map.svg")
        name = src[len("img/") :]
        parts = PurePosixPath(name).parts
        if not name or ".." in parts or name.startswith("/"):
            return Resolved(None, problem=f"{shown}: the path must stay inside {self.media_label}")
        if not name.lower().endswith(IMAGE_SUFFIXES):
            return Resolved(None, problem=f"{shown}: use an .svg, .png, .jpg or .webp file")
        if not (self.media_dir / name).is_file():
            return Resolved(None, problem=f"{shown} not found: there is no file {self.media_label}{name}")
        if not alt.strip():
            return Resolved(None, problem=f"{shown} needs alt text describing it: ![what the image shows]({src})")
        return Resolved(f"{self.media_url}/{name}", {"loading": "lazy"})
