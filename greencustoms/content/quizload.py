"""Quiz files: checking the question bank and building the Quiz with its rendered questions."""

from __future__ import annotations

import json
from types import MappingProxyType
from typing import Any

from .catalog import Option, Question, Quiz
from .files import Parsed, short_hash
from .issues import Issues
from .links import LinkPolicy
from .questions import check_question
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
    questions = tuple(_build_question(quiz, index, fields, renderer, policy, issues) for index, fields in bank)
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


def _build_question(
    quiz: Parsed, index: int, fields: dict[str, Any], renderer: MarkdownRenderer, policy: LinkPolicy, issues: Issues
) -> Question:
    where = ("questions", index)
    prefix = f'question "{fields.get("id")}": '

    def render(keypath: tuple, text: str | None, inline: bool = False) -> str:
        if not text:
            return ""
        result = renderer.render(text, policy, quiz.doc.text_line(where + keypath), inline=inline)
        for problem in result.problems:
            issues.add(quiz.source.rel, problem.line, prefix + problem.message)
        return result.html

    options = tuple(
        Option(
            id=option["id"],
            html=render(("options", number, "text"), option["text"], inline=True),
            correct=option["correct"],
            feedback_html=render(("options", number, "feedback"), option.get("feedback")),
        )
        for number, option in enumerate(fields.get("options") or ())
    )
    kind = fields["type"]
    raw = quiz.doc.data["questions"][index]
    return Question(
        id=fields["id"],
        type=kind,
        prompt_html=render(("prompt",), fields.get("prompt")),
        explanation_html=render(("explanation",), fields.get("explanation")),
        reference=fields.get("reference") or "",
        tags=MappingProxyType({key: value for key, value in (fields.get("tags") or {}).items() if value is not None}),
        version=short_hash(json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)),
        options=options,
        answer=fields.get("answer") if kind in ("true_false", "numeric") else None,
        tolerance=float(fields.get("tolerance") or 0.0),
        unit=fields.get("unit"),
        accept=tuple(fields.get("accept") or ()),
        pairs=tuple((pair["left"], pair["right"]) for pair in fields.get("pairs") or ()),
        items=tuple(fields.get("items") or ()),
    )
