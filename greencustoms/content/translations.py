"""Translation files beside their sources, read into translated catalog items (docs/translations.md).

Each translation (`01-x.fr.md`, `module.fr.yaml`, `courses/c.fr.yaml`, `quizzes/q.fr.yaml`, `glossary.fr.yaml`)
is checked like a source file: unknown fields, a translation of nothing, an unknown question or term id and a
structure that does not match the source (option ids, list lengths, a non-text field such as `correct`) are
errors at `file:line`. Lessons and texts are rendered by the same renderer (and render cache) as the sources, in
the translation's language. Only files that exist are read: a content tree without translations costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from .catalog import Course, GlossaryTerm, Lesson
from .files import Parsed, TranslationFile
from .issues import Issues
from .links import LinkPolicy
from .quizbank import Question
from .quizmerge import translate_quiz
from .schema import SOURCE_LANGUAGE, Invalid, Rule, check_fields, listing, slug, text
from .versions import PENDING, VERSION_LENGTH, item_version, text_version
from .yamlsource import parse_yaml, split_front_matter


def source_version(value: Any) -> str:
    """`pending` or the 12 hex digits of a source version."""
    if value == PENDING:
        return value
    if not isinstance(value, str) or len(value) != VERSION_LENGTH or any(c not in "0123456789abcdef" for c in value):
        raise Invalid(f'must be "{PENDING}" or the 12-digit version `flask content stamp` writes (found {value!r})')
    return value


VERSION = Rule(f'the source version it translates; write "{PENDING}" and run flask content stamp', source_version)
REQUIRED_VERSION = replace(VERSION, required=True)
LESSON_T = {
    "title": Rule("the translated lesson title", text, required=True),
    "summary": Rule("the translated summary", text, required=True),
    "objectives": Rule("the translated objectives, as many as the source's", listing(text, 1), required=True),
    "source_version": REQUIRED_VERSION,
}
MODULE_T = {"source_version": REQUIRED_VERSION, "title": LESSON_T["title"], "summary": LESSON_T["summary"]}
COURSE_T = {**MODULE_T, "description": Rule("the translated Markdown description", text)}
QUIZ_T = {
    "title": Rule("the translated quiz title", text),
    "source_version": VERSION,
    "questions": Rule("the translated questions, each with the id of its source question"),
}
GLOSSARY_T = {"terms": Rule("the translated terms, each with the id of its source term", required=True)}
TERM_T = {
    "id": Rule("the id of the source term", slug, required=True),
    "source_version": REQUIRED_VERSION,
    "term": Rule("the term in this language (the official one, see docs/terminology)", text, required=True),
    "definition": Rule("the translated Markdown definition", text, required=True),
}


@dataclass(frozen=True)
class Translated:
    """One translated item: the source version it declares, where it is, and its text (for the token checks)."""

    declared: str
    path: str
    line: int
    text: str = ""


@dataclass
class Status:
    """What the source items are (key -> (version, path, line, text)) and what each language translates.

    Keys: course:<slug>, module:<slug>, lesson:<module>/<lesson>, quiz:<slug> (its title),
    question:<quiz>/<id>, term:<id>. `groups` lists the keys of each course (and "glossary").
    """

    sources: dict[str, tuple[str, str, int, str]] = field(default_factory=dict)
    translated: dict[str, dict[str, Translated]] = field(default_factory=dict)
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    declared: dict[str, tuple[str, ...]] = field(default_factory=dict)  # course -> languages declared complete
    # (course, language) -> percent translated, or None when nothing is: computed once, read by every page that
    # offers study languages (content/coverage.py course_languages)
    percents: dict[tuple[str, str], int | None] = field(default_factory=dict, repr=False, compare=False)

    def add(self, language: str, key: str, item: Translated) -> None:
        self.translated.setdefault(language, {})[key] = item


@dataclass
class Pieces:
    """The translated items of one language, by id, before they are put into a localized catalog."""

    lessons: dict[str, Lesson] = field(default_factory=dict)
    modules: dict[str, tuple[str, str]] = field(default_factory=dict)
    courses: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    quiz_titles: dict[str, str] = field(default_factory=dict)
    questions: dict[str, dict[str, Question]] = field(default_factory=dict)
    terms: dict[str, GlossaryTerm] = field(default_factory=dict)


class TranslationReader:
    """Reads every translation file of a load with the loader's reader, renderer and issue list.

    `loader` is the content loader (read, parse, renderer, issues); `sources` maps a source path to what the
    translation needs from it: ("lesson", Lesson, policy), ("module", Parsed), ("course", Parsed, policy),
    ("quiz", Parsed, bank, policy, Quiz) or ("glossary", Parsed, {id: (index, GlossaryTerm)}).
    """

    def __init__(self, loader: Any, sources: dict[str, tuple], status: Status) -> None:
        self.loader, self.sources, self.status = loader, sources, status
        self.issues: Issues = loader.issues
        self.pieces: dict[str, Pieces] = {}
        self._policies: dict[tuple[int, str], LinkPolicy] = {}

    def read_all(self, files: list[TranslationFile]) -> dict[str, Pieces]:
        """Read the glossaries first (lessons link to the translated terms), then everything else."""
        for translation in sorted(files, key=lambda t: (t.kind != "glossary", t.file.rel)):
            rel, language = translation.file.rel, translation.language
            if language == SOURCE_LANGUAGE:
                self.issues.add(rel, 1, f'"{language}" is the source language: the source file itself is the text')
                continue
            source = self.sources.get(translation.source_rel)
            if source is None or source[0] != translation.kind:
                self.issues.add(
                    rel, 1, f"this translates {translation.source_rel}, which does not exist: name it after its source"
                )
                continue
            pieces = self.pieces.setdefault(language, Pieces())
            getattr(self, f"_{translation.kind}")(translation, source, pieces)
        return self.pieces

    def _lesson(self, translation: TranslationFile, source: tuple, pieces: Pieces) -> None:
        _kind, lesson, policy = source
        file, language = translation.file, translation.language
        read = self.loader.read(file)
        front = split_front_matter(read[1], file.rel, self.issues) if read else None
        doc = parse_yaml(front.header, file.rel, self.issues, first_line=front.header_line) if front else None
        if front is None or doc is None:
            return
        values = check_fields(doc, (), doc.data if doc.data is not None else {}, LESSON_T)
        if not values or not values["title"]:
            return
        policy = self._policy(policy, language, pieces)
        rendered = self._render(front.body, policy, front.body_line, language, file.rel)
        if tuple(entry.level for entry in rendered.toc) != tuple(entry.level for entry in lesson.toc):
            self.issues.warn(file.rel, front.body_line, "the headings differ from the source's: keep its structure")
        if len(values["objectives"] or ()) != len(lesson.objectives):
            doc.issues.warn(file.rel, doc.line(("objectives",)), "the objectives are not as many as the source's")
        if set(rendered.glossary_ids) != set(lesson.glossary_ids):
            self.issues.warn(file.rel, front.body_line, "the glossary links differ from the source's")
        pieces.lessons[lesson.id] = replace(
            lesson,
            title=values["title"],
            summary=values["summary"] or "",
            objectives=tuple(values["objectives"] or ()),
            words=rendered.words,
            html=rendered.html,
            toc=rendered.toc,
            path=file.rel,
            glossary_ids=rendered.glossary_ids,
            language=language,
        )
        self.status.add(language, f"lesson:{lesson.id}", Translated(values["source_version"], file.rel, 1, read[1]))

    def _module(self, translation: TranslationFile, source: tuple, pieces: Pieces) -> None:
        parsed = self.loader.parse(translation.file, MODULE_T)
        if parsed is None or not parsed.values["title"]:
            return
        values, module_slug = parsed.values, source[1].source.path.parent.name
        pieces.modules[module_slug] = (values["title"], values["summary"] or "")
        self._record(translation, f"module:{module_slug}", parsed, parsed.doc.data, ())

    def _course(self, translation: TranslationFile, source: tuple, pieces: Pieces) -> None:
        _kind, course, policy = source
        parsed = self.loader.parse(translation.file, COURSE_T)
        if parsed is None or not parsed.values["title"]:
            return
        values, description = parsed.values, ""
        if values.get("description"):
            line = parsed.doc.text_line(("description",))
            description = self._render(values["description"], policy, line, translation.language, parsed.source.rel)
            description = description.html
        pieces.courses[course.source.slug] = (values["title"], values["summary"] or "", description)
        self._record(translation, f"course:{course.source.slug}", parsed, parsed.doc.data, ())

    def _quiz(self, translation: TranslationFile, source: tuple, pieces: Pieces) -> None:
        _kind, quiz, bank, policy, built = source
        parsed = self.loader.parse(translation.file, QUIZ_T)
        if parsed is None:
            return
        slug_ = quiz.source.slug
        if parsed.values.get("title"):
            pieces.quiz_titles[slug_] = parsed.values["title"]
            if parsed.values.get("source_version") is None:
                parsed.doc.error(("title",), f'field "source_version" is required with the title: {VERSION.help}')
            title = {"title": parsed.values["title"], "source_version": parsed.values.get("source_version")}
            self._record(translation, f"quiz:{slug_}", parsed, title, ())
        previous, self.loader.renderer.locale = self.loader.renderer.locale, translation.language
        try:
            questions = translate_quiz(quiz, bank, parsed, self.loader.renderer, policy, self.issues)
        finally:
            self.loader.renderer.locale = previous
        pieces.questions[slug_] = {}
        for index, question, raw_text in questions:
            version = built.question(question.id).version  # progress and attempts follow the source
            pieces.questions[slug_][question.id] = replace(question, language=translation.language, version=version)
            declared = parsed.doc.data["questions"][index].get("source_version")
            item = Translated(str(declared), translation.file.rel, parsed.doc.line(("questions", index)), raw_text)
            self.status.add(translation.language, f"question:{slug_}/{question.id}", item)

    def _glossary(self, translation: TranslationFile, source: tuple, pieces: Pieces) -> None:
        _kind, _glossary, known = source
        parsed = self.loader.parse(translation.file, GLOSSARY_T)
        raw = parsed.values.get("terms") if parsed else None
        if parsed is None or raw is None:
            return
        doc = parsed.doc
        policy = LinkPolicy(glossary={term_id: term.term for term_id, (_i, term) in known.items()})
        if not isinstance(raw, list):
            doc.error(
                ("terms",), 'field "terms" must be a list of terms, each with id, source_version, term, definition'
            )
            return
        for index, entry in enumerate(raw):
            values = check_fields(doc, ("terms", index), entry, TERM_T, f"term {index + 1}: ")
            if not values or not values["id"] or not values["term"] or not values["definition"]:
                continue
            if values["id"] not in known:
                doc.error(("terms", index, "id"), f'term "{values["id"]}" is not in glossary.yaml: use its id')
                continue
            if values["id"] in pieces.terms:
                doc.error(("terms", index, "id"), f'term "{values["id"]}" is translated twice')
                continue
            line = doc.text_line(("terms", index, "definition"))
            rendered = self._render(values["definition"], policy, line, translation.language, doc.path)
            term = replace(known[values["id"]][1], term=values["term"], definition_html=rendered.html)
            pieces.terms[term.id] = replace(term, language=translation.language)
            self._record(translation, f"term:{term.id}", parsed, entry, ("terms", index))

    def _policy(self, policy: LinkPolicy, language: str, pieces: Pieces) -> LinkPolicy:
        """A module's link policy with the glossary's translated names (link titles), built once per module and
        language: a policy's fingerprint (the render cache's key) is worth computing once."""
        key = (id(policy), language)
        if key not in self._policies:
            names = {term_id: term.term for term_id, term in pieces.terms.items()}
            self._policies[key] = replace(policy, glossary={**policy.glossary, **names})
        return self._policies[key]

    def _record(self, translation: TranslationFile, key: str, parsed: Parsed, data: Any, keypath: tuple) -> None:
        declared = (data or {}).get("source_version") if isinstance(data, dict) else None
        texts = [str(value) for name, value in (data or {}).items() if name not in ("id", "source_version")]
        item = Translated(str(declared), translation.file.rel, parsed.doc.line(keypath), "\n".join(texts))
        self.status.add(translation.language, key, item)

    def _render(self, body: str, policy: LinkPolicy, line: int, language: str, rel: str):
        """Render in the translation's language through the loader's renderer (and so its render cache)."""
        renderer = self.loader.renderer
        previous, renderer.locale = renderer.locale, language
        try:
            rendered = renderer.render(body, policy, line)
        finally:
            renderer.locale = previous
        for problem in rendered.problems:
            self.issues.add(rel, problem.line, problem.message)
        return rendered


def localize_course(course: Course, pieces: Pieces, language: str) -> Course:
    """The course with its translated title, summary and description, if it has them."""
    if course.slug not in pieces.courses:
        return course
    title, summary, description = pieces.courses[course.slug]
    return replace(
        course, title=title, summary=summary, description_html=description or course.description_html, language=language
    )


def source_versions(status: Status, key: str, kind: str, values: dict[str, Any], rel: str, line: int = 1) -> None:
    """Record a YAML source item's current version and text (course, module, quiz title, glossary term)."""
    texts = "\n".join(
        str(values[name]) for name in ("title", "summary", "description", "term", "definition") if name in values
    )
    status.sources[key] = (item_version(kind, values), rel, line, texts)


def lesson_version(status: Status, lesson: Lesson, text_: str) -> None:
    """Record a source lesson's current version (its whole text) and text."""
    status.sources[f"lesson:{lesson.id}"] = (text_version(text_), lesson.path, 1, text_)
