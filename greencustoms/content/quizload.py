"""Quiz files: checking the question bank and building the Quiz with its rendered questions."""

from __future__ import annotations

import json
from types import MappingProxyType
from typing import Any

from .assessment import lint_quiz
from .files import Parsed, short_hash
from .issues import Issues
from .links import LinkPolicy
from .questions import check_question
from .quizbank import Question, Quiz
from .render import MarkdownRenderer


def check_bank(quiz: Parsed) -> list[tuple[int, dict[str, Any]]]:
    """Check every question; ids unique in the quiz; `draw` no larger than the bank. Returns (index, fields)."""
    doc, raw = quiz.doc, quiz.doc.data.get("questions")
    if raw is None:
        return []
    if not isinstance(raw, list) or not raw:
        doc.error(("questions",), 'field "questions" must be a non-empty list of questions')
        return []
    checked: list[tuple[int, dict[str, Any]]] = []
    first_line: dict[str, int] = {}
    for index, item in enumerate(raw):
        values = check_question(doc, ("questions", index), item, index + 1)
        if values is None:
            continue
        question_id = values.get("id")
        if question_id in first_line:
            doc.error(
                ("questions", index, "id"),
                f'question id "{question_id}" is used twice (first on line {first_line[question_id]}); '
                "question ids must be unique in a quiz",
            )
            continue
        if question_id:
            first_line[question_id] = doc.line(("questions", index, "id"))
        checked.append((index, values))
    lint_quiz(quiz, checked, lambda keypath, message: doc.issues.warn(doc.path, doc.line(keypath), message))
    draw = quiz.values.get("draw")
    if isinstance(draw, int) and draw > len(raw):
        doc.error(
            ("draw",),
            f'field "draw" asks for {draw} questions per attempt but the bank has only {len(raw)}: '
            "lower draw or add questions",
        )
    return checked


def build_quiz(
    quiz: Parsed, bank: list[tuple[int, dict[str, Any]]], renderer: MarkdownRenderer, policy: LinkPolicy, issues: Issues
) -> Quiz:
    """Render every question's Markdown (problems reported at their lines) and build the Quiz."""
    values, owner = quiz.values, quiz.values.get("belongs_to") or {}
    review = values.get("review") or {}
    questions = tuple(build_question(quiz, index, fields, renderer, policy, issues) for index, fields in bank)
    return Quiz(
        slug=quiz.source.slug,
        title=values.get("title") or "",
        module_slug=owner.get("module"),
        course_slug=owner.get("course"),
        pass_mark=values.get("pass_mark") or 0,
        draw=values.get("draw") or 0,
        balance_by=values.get("balance_by"),
        shuffle_questions=values["shuffle_questions"],
        shuffle_options=values["shuffle_options"],
        max_attempts=values.get("max_attempts"),
        wait_minutes=values["wait_minutes"],
        time_limit_minutes=values.get("time_limit_minutes"),
        grace_seconds=values["grace_seconds"],
        review_show=review.get("show") or "explanations",
        review_when=review.get("when") or "immediately",
        questions=questions,
        version=short_hash(quiz.raw),
        path=quiz.source.rel,
    )


class _QuestionBuilder:
    """The Builder a question type's `build` uses: Markdown and images, problems reported at their lines."""

    def __init__(self, quiz: Parsed, index: int, prefix: str, renderer: MarkdownRenderer, policy: LinkPolicy, issues):
        self.quiz, self.where, self.prefix = quiz, ("questions", index), prefix
        self.renderer, self.policy, self.issues = renderer, policy, issues

    def render(self, keypath: tuple, text: str | None, inline: bool = False) -> str:
        if not text:
            return ""
        line = self.quiz.doc.text_line(self.where + keypath)
        result = self.renderer.render(text, self.policy, line, inline=inline)
        for problem in result.problems:
            self.issues.add(self.quiz.source.rel, problem.line, self.prefix + problem.message)
        return result.html

    def image(self, keypath: tuple, src: str, alt: str) -> str:
        resolved = self.policy.image(src, alt)
        if resolved.problem:
            self.issues.add(
                self.quiz.source.rel, self.quiz.doc.line(self.where + keypath), self.prefix + resolved.problem
            )
        return resolved.url or ""

    def error(self, keypath: tuple, message: str) -> None:
        self.issues.add(self.quiz.source.rel, self.quiz.doc.line(self.where + keypath), self.prefix + message)


def build_question(
    quiz: Parsed, index: int, fields: dict[str, Any], renderer: MarkdownRenderer, policy: LinkPolicy, issues: Issues
) -> Question:
    from greencustoms.quiz.types import get_type  # late: the types build on this package

    prefix = f'question "{fields.get("id")}": '
    builder = _QuestionBuilder(quiz, index, prefix, renderer, policy, issues)
    kind = fields["type"]
    handler = get_type(kind)
    raw = quiz.doc.data["questions"][index]
    built = handler.build(fields, builder)
    if "data" in built:
        built["data"] = MappingProxyType(dict(built["data"]))  # the catalog is read-only
    question = Question(
        id=fields["id"],
        type=kind,
        prompt_html=builder.render(("prompt",), fields.get("prompt")),
        explanation_html=builder.render(("explanation",), fields.get("explanation")),
        reference=fields.get("reference") or "",
        tags=MappingProxyType({key: value for key, value in (fields.get("tags") or {}).items() if value is not None}),
        version=short_hash(json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)),
        **built,
    )
    if issues.count_in(quiz.source.rel):
        return question  # the file's own problems come first; the key is proved once they are fixed
    try:
        keyed = handler.score(question, handler.key_response(question))
    except Exception:  # noqa: BLE001 - a broken key is reported, whatever the type's code raises
        keyed = 0.0
    if keyed < 1.0:
        builder.error(
            ("type",), f"the answer key does not earn full credit (scored {keyed:g}): check the correct answers"
        )
    return question
