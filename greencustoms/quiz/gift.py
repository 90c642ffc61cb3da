"""Moodle GIFT files read into question dicts of the quiz YAML format (pure functions, no app needed).

Supported: single and multiple choice (`=`, `~`, `~%50%` and negative weights, scored as Moodle does), true/false
({T}, {F}, {TRUE}, {FALSE}, with right/wrong feedback), short answer ({=a =%50%b =%0%*#other}), matching
({=a -> b}, `= -> c` distractors), numeric ({#3.5:0.5}, {#1..5}, {#=3.5:0.5 =%50%3:1 ~#wrong}), missing-word
questions (text after the braces: the gap shows as a line), per-answer feedback `#...`, general feedback
`####...`, titles ::title::, // comments, escapes \\= \\~ \\# \\{ \\} \\: \\n, and [markdown] / [html] / [plain] /
[moodle] format markers before any text. Reported by line and skipped: essays ({}), description-only items,
unknown answer syntax and weights this platform cannot score as Moodle does (giftanswers.py says which).
$CATEGORY lines are ignored with a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .giftanswers import FORMAT, Skip, answers, markdown
from .giftext import ESCAPABLE, protect, restore, to_markdown

_TITLE = re.compile(r"^::(.*?)::", re.DOTALL)
GAP = "\\_\\_\\_\\_\\_"


@dataclass(frozen=True)
class GiftProblem:
    """Something the import could not keep, at a line of the GIFT file."""

    line: int
    message: str


@dataclass
class GiftQuestion:
    """One converted question: its first line in the file, GIFT title, category, and the quiz YAML fields
    (type, prompt and the fields of the type; explanation only when the file had general feedback)."""

    line: int
    title: str | None
    category: str | None
    fields: dict[str, Any]


@dataclass
class GiftResult:
    """Everything read from a file: converted questions and problems, both in file order."""

    questions: list[GiftQuestion] = field(default_factory=list)
    problems: list[GiftProblem] = field(default_factory=list)


def parse_gift(text: str) -> GiftResult:
    """Read a whole GIFT file. Questions are separated by blank lines; comment lines (//) are dropped."""
    result = GiftResult()
    category = None
    for line, block in _blocks(text):
        if block.lstrip().startswith("$CATEGORY:"):
            first, _newline, block = block.partition("\n")
            category = first.split(":", 1)[1].strip()
            result.problems.append(
                GiftProblem(line, f'category "{category}" ignored: every question goes into this one quiz')
            )
            line += 1
            if not block.strip():
                continue
        notes: list[str] = []
        try:
            fields, title = _question(protect(block), notes)
        except Skip as skip:
            result.problems.append(GiftProblem(line, f"{skip} (question skipped)"))
            continue
        result.problems.extend(GiftProblem(line, note) for note in notes)
        result.questions.append(GiftQuestion(line, title, category, fields))
    return result


def _blocks(text: str) -> list[tuple[int, str]]:
    """(first line number, text) of each blank-line separated block, without comment lines."""
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if raw.lstrip().startswith("//"):
            continue
        if raw.strip():
            start = start if current else number
            current.append(raw)
        elif current:
            blocks.append((start, "\n".join(current)))
            current = []
    if current:
        blocks.append((start, "\n".join(current)))
    return blocks


def _question(text: str, notes: list[str]) -> tuple[dict[str, Any], str | None]:
    """Convert one protected block into quiz YAML fields. Raises Skip for what cannot be converted."""
    title = None
    match = _TITLE.match(text.strip())
    if match:
        title = restore(match.group(1)).strip() or None
        text = text.strip()[match.end() :]
    fmt = "moodle"
    match = FORMAT.match(text)
    if match:
        fmt, text = match.group(1).lower(), text[match.end() :]
    opening = text.find("{")
    if opening < 0:
        raise Skip("a description without an answer block is not a question")
    closing = text.find("}", opening)
    if closing < 0:
        raise Skip("the answer block has no closing }")
    before, body, after = text[:opening].strip(), text[opening + 1 : closing], text[closing + 1 :].strip()
    if "{" in after:
        raise Skip("several answer blocks in one question are not supported")
    # Moodle's rule: text after the block makes a missing-word question, the gap where the block was.
    prompt = f"{text[:opening]}{GAP}{text[closing + 1 :]}".strip() if after else before
    if not prompt.strip():
        raise Skip("the question has no text")
    body, general = (body.split("####", 1) + [""])[:2]
    fields = answers(body.strip(), fmt, notes)
    fields["prompt"] = to_markdown(prompt, fmt, notes)
    if general.strip():
        fields["explanation"] = markdown(general, fmt, notes)
    return fields, title


__all__ = ["ESCAPABLE", "GiftProblem", "GiftQuestion", "GiftResult", "parse_gift"]
