"""load_catalog: read the content folders, validate and cross-check them, render Markdown, build the Catalog (its
modules, lessons and courses are made by content/builders.py, its quizzes by content/quizload.py)."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .builders import build_course, build_module, link_policy
from .catalog import Catalog, GlossaryTerm
from .crosscheck import check_courses, check_modules, check_quiz_owner
from .facts import Fact, check_facts
from .files import Layout, Parsed, SourceFile, TranslationFile, discover, short_hash
from .issues import ContentError, ContentIssue, Issues
from .languages import LazyLanguages, pack_status, record_key, unpack_status
from .links import LinkPolicy
from .localize import localized_catalogs, localized_view
from .parsecache import ParseCache
from .quizload import build_quiz, check_bank
from .render import MarkdownRenderer
from .rendercache import RenderCache
from .schema import COURSE, GLOSSARY, GLOSSARY_TERM, LESSON, MODULE, QUIZ, Rule, check_fields
from .translations import SOURCE_LANGUAGE, Pieces, Status, TranslationReader
from .translationsources import source_status, translation_sources
from .yamlsource import read_text, split_front_matter

__all__ = ["ContentError", "ContentIssue", "load_catalog"]


def load_catalog(root: str | Path, cache_dir: str | Path | None = None, *, eager: bool = False) -> Catalog:
    """Build the Catalog from the content folders under `root`.

    Translated views are built at once the first time a content version is loaded, and after that when first
    read, unless `eager` (content/languages.py).

    Rendered Markdown is reused from the process's memory and from `cache_dir` (see rendercache.py), and the
    results of this load are written back there. Raises ContentError carrying every problem found (not just the
    first), sorted by (path, line).
    """
    loader = _Loader(Path(root).resolve(), RenderCache(cache_dir), ParseCache(cache_dir), eager)
    try:
        return loader.load()
    except ContentError:  # a load that stopped early read only part of the cache: keep the rest for the next one
        loader.renderer.cache.keep_unused = loader.yaml.keep_unused = True
        raise
    finally:
        loader.renderer.cache.save()
        loader.yaml.save()


class _Loader:
    """One load: the issues found so far, the Markdown renderer and the digest of every file read."""

    def __init__(self, root: Path, cache: RenderCache, yaml: ParseCache, eager: bool = True) -> None:
        self.root = root
        self.eager = eager
        self.yaml = yaml
        self.issues = Issues()
        self.renderer = MarkdownRenderer(cache)
        self.digests: dict[str, str] = {}
        self.glossary_parsed: Parsed | None = None

    def read(self, source: SourceFile) -> tuple[bytes, str] | None:
        """Read a file's bytes and text, remembering its digest for the catalog version."""
        result = read_text(source.path, source.rel, self.issues)
        if result is not None:
            self.digests[source.rel] = hashlib.sha256(result[0]).hexdigest()
        return result

    def parse(self, source: SourceFile, rules: dict[str, Rule]) -> Parsed | None:
        """Read, parse and check a YAML file against `rules`; None when it cannot be used at all."""
        read = self.read(source)
        doc = self.yaml.parse(read[1], source.rel, self.issues) if read else None
        if doc is None or read is None:
            return None
        if doc.data is None:  # an empty file: report its missing fields
            doc.data = {}
        values = check_fields(doc, (), doc.data, rules)
        return Parsed(source, read[0], doc, values) if values is not None else None

    def load(self) -> Catalog:
        """Read and check every file, cross-check them, render all Markdown; raise ContentError on any problem."""
        if not self.root.is_dir():
            message = f"content folder {self.root} does not exist (check CONTENT_ROOT)"
            raise ContentError([ContentIssue(".", 1, message)])
        layout = discover(self.root, self.issues)
        facts = self.facts(layout)
        self.renderer.facts = MappingProxyType({fact.id: fact for fact in facts})
        glossary = self.glossary(layout)
        courses = {c.slug: p for c in layout.courses if (p := self.parse(c, COURSE))}
        folders = {m.slug: m for m in layout.modules}
        modules = {m.slug: p for m in layout.modules if m.yaml and (p := self.parse(m.yaml, MODULE))}
        lessons = {m.slug: [p for f in m.lessons if (p := self.lesson_header(f))] for m in layout.modules}
        quizzes = {q.slug: p for q in layout.quizzes if (p := self.parse(q, QUIZ))}
        banks = {slug: check_bank(quiz) for slug, quiz in quizzes.items()}

        every_quiz = {q.slug: quizzes.get(q.slug) for q in layout.quizzes}  # None: a file too broken to read
        check_courses(courses, folders, every_quiz)
        check_modules(modules, every_quiz)
        every_module = {slug: modules.get(slug) for slug in folders}
        every_course = {c.slug: courses.get(c.slug) for c in layout.courses}
        for quiz in quizzes.values():
            check_quiz_owner(quiz, every_module, every_course)

        base = link_policy(glossary, courses, folders)
        built_modules = {
            slug: build_module(self.renderer, self.issues, modules.get(slug), folder, lessons[slug], base)
            for slug, folder in folders.items()
        }
        quiz_policy = replace(
            base, media_url="/media/quizzes", media_dir=self.root / "quizzes" / "img", media_label="quizzes/img/"
        )
        built_quizzes = {
            slug: build_quiz(quiz, banks[slug], self.renderer, quiz_policy, self.issues)
            for slug, quiz in quizzes.items()
        }
        built_courses = {
            slug: build_course(self.renderer, self.issues, course, built_modules, base)
            for slug, course in courses.items()
        }
        self.digest_images()
        reader: TranslationReader | None = None
        if layout.translations or any(set(c.languages) - {SOURCE_LANGUAGE} for c in built_courses.values()):
            texts = {header.source.rel: header.raw for headers in lessons.values() for header in headers}
            status = source_status(self, courses, modules, built_modules, texts, quizzes, built_quizzes, built_courses)
            sources = translation_sources(
                self,
                courses,
                modules,
                folders,
                built_modules,
                quizzes,
                banks,
                built_quizzes,
                base,
                quiz_policy,
                glossary,
            )
            reader = TranslationReader(self, sources, status)
            for translation in layout.translations:  # the version covers every translation, built now or later
                self.read(translation.file)
        version = short_hash(*(f"{rel}={digest}" for rel, digest in sorted(self.digests.items())))
        checked = None if reader is None or self.eager else self.yaml.entry(record_key(version))
        lazy = reader is not None and bool(checked) and unpack_status(reader.status, checked[0])  # type: ignore[index]
        pieces = reader.read_all(layout.translations) if reader is not None and not lazy else {}
        self.issues.raise_if_any()
        catalog = Catalog(
            courses=MappingProxyType(built_courses),
            modules=MappingProxyType({slug: module for slug, module in built_modules.items() if module}),
            quizzes=MappingProxyType(built_quizzes),
            glossary=MappingProxyType({term.id: term for term in sorted(glossary, key=lambda t: t.term.casefold())}),
            version=version,
            root=self.root,
            facts=self.renderer.facts,
            warnings=tuple(sorted(self.issues.warnings)),
        )
        if reader is None:
            return catalog
        if lazy:
            self.renderer.cache.keep_unused = self.yaml.keep_unused = True
            languages = {translation.language for translation in layout.translations}
            build = functools.partial(self.build_language, catalog, reader, layout.translations)
            return replace(catalog, translations=LazyLanguages(languages, build), status=reader.status)
        self.yaml.put_entry(record_key(version), [pack_status(reader.status)])
        return localized_catalogs(catalog, pieces, reader.status)

    def build_language(
        self, catalog: Catalog, full: TranslationReader, files: list[TranslationFile], language: str
    ) -> Catalog:
        """One language's view of a checked catalog (content/languages.py), its texts rendered from the cache."""
        self.issues = Issues()
        status = Status(sources=full.status.sources, groups=full.status.groups, declared=full.status.declared)
        reader = TranslationReader(self, full.sources, status)
        pieces = reader.read_all([file for file in files if file.language == language]).get(language, Pieces())
        self.issues.raise_if_any()
        self.renderer.cache.save()
        self.yaml.save()
        return localized_view(catalog, language, pieces)

    def digest_images(self) -> None:
        """Add every image to the catalog version, so replacing a picture is a new version too."""
        for path in sorted(self.root.glob("modules/*/img/**/*")) + sorted(self.root.glob("quizzes/img/**/*")):
            if path.is_file():
                self.digests[path.relative_to(self.root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()

    def facts(self, layout: Layout) -> list[Fact]:
        """facts.yaml (optional): the dated figures that lessons and questions draw with {{fact:ID}}."""
        if layout.facts is None:
            return []
        read = self.read(layout.facts)
        doc = self.yaml.parse(read[1], layout.facts.rel, self.issues) if read else None
        return check_facts(doc) if doc is not None else []

    def glossary(self, layout: Layout) -> list[GlossaryTerm]:
        """glossary.yaml (optional): terms with unique ids and Markdown definitions."""
        parsed = self.parse(layout.glossary, GLOSSARY) if layout.glossary else None
        self.glossary_parsed = parsed
        if parsed is None or parsed.values.get("terms") is None:
            return []
        doc, raw = parsed.doc, parsed.values["terms"]
        if not isinstance(raw, list):
            doc.error(("terms",), 'field "terms" must be a list of terms, each with id, term, mea and definition')
            return []
        checked = [
            (i, check_fields(doc, ("terms", i), item, GLOSSARY_TERM, _term_label(item, i)))
            for i, item in enumerate(raw)
        ]
        first: dict[str, int] = {}
        for index, values in checked:
            if values and values["id"] in first:
                doc.error(
                    ("terms", index, "id"),
                    f'glossary id "{values["id"]}" is used twice (first on line {first[values["id"]]})',
                )
            elif values and values["id"]:
                first[values["id"]] = doc.line(("terms", index, "id"))
        names = {values["id"]: values["term"] for _, values in checked if values and values["id"]}
        policy = LinkPolicy(glossary=names)
        terms = []
        for index, values in checked:
            if not values or not values["id"] or not values["definition"]:
                continue
            rendered = self.renderer.render(values["definition"], policy, doc.text_line(("terms", index, "definition")))
            for problem in rendered.problems:
                self.issues.add(doc.path, problem.line, f'term "{values["id"]}": {problem.message}')
            terms.append(GlossaryTerm(values["id"], values["term"] or "", values["mea"] or "", rendered.html))
        return list({term.id: term for term in terms}.values())

    def lesson_header(self, source: SourceFile) -> Parsed | None:
        """A lesson's front matter (offset to its file lines), checked against the lesson fields."""
        read = self.read(source)
        front = split_front_matter(read[1], source.rel, self.issues) if read else None
        if read is None or front is None:
            return None
        doc = self.yaml.parse(front.header, source.rel, self.issues, first_line=front.header_line)
        if doc is None:
            return None
        if doc.data is None:
            doc.data, doc.lines[()] = {}, front.header_line
        values = check_fields(doc, (), doc.data, LESSON)
        if values is None:
            return None
        values["_body"], values["_body_line"] = front.body, front.body_line
        return Parsed(source, read[0], doc, values)


def _term_label(item: Any, index: int) -> str:
    """'term "<id>": ' when the entry has an id, else 'term <n>: ' (counting from 1)."""
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return f'term "{item["id"]}": '
    return f"term {index + 1}: "
