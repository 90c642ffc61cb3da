"""Moodle GIFT files read into question dicts of the quiz YAML format (pure functions, no app needed).

Supported: single and multiple choice (`=`, `~`, `~%50%` weights), true/false ({T}, {F}, {TRUE}, {FALSE}),
short answer ({=a =b}), matching ({=a -> b}), numeric ({#3.5:0.5}, {#1..5}, {#=3.5:0.5 =%50%3:1}),
missing-word questions (text after the braces: the gap shows as a line), per-answer feedback `#...`, general
feedback `####...`, titles ::title::, // comments, escapes \\= \\~ \\# \\{ \\} \\: \\n, and [markdown] / [html] /
[plain] / [moodle] format markers. Reported by line and skipped: essays ({}), description-only items,
unknown answer syntax. $CATEGORY lines are ignored with a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .giftext import ESCAPABLE, protect, restore, to_markdown

_TITLE = re.compile(r"^::(.*?)::", re.DOTALL)
_FORMAT = re.compile(r"^\s*\[(markdown|html|plain|moodle)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_TRUE_FALSE = re.compile(r"^(T|F|TRUE|FALSE)\s*(#.*)?$", re.IGNORECASE | re.DOTALL)
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_RANGE = re.compile(rf"^({_NUMBER})\s*\.\.\s*({_NUMBER})$")
_TOLERANCE = re.compile(rf"^({_NUMBER})\s*(?::\s*({_NUMBER}))?$")
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


class _Skip(Exception):
    """This question cannot be converted; the message says why."""


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
        except _Skip as skip:
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
    """Convert one protected block into quiz YAML fields. Raises _Skip for what cannot be converted."""
    title = None
    match = _TITLE.match(text.strip())
    if match:
        title = restore(match.group(1)).strip() or None
        text = text.strip()[match.end() :]
    fmt = "moodle"
    match = _FORMAT.match(text)
    if match:
        fmt, text = match.group(1).lower(), text[match.end() :]
    opening = text.find("{")
    if opening < 0:
        raise _Skip("a description without an answer block is not a question")
    closing = text.find("}", opening)
    if closing < 0:
        raise _Skip("the answer block has no closing }")
    before, body, after = text[:opening].strip(), text[opening + 1 : closing], text[closing + 1 :].strip()
    if "{" in after:
        raise _Skip("several answer blocks in one question are not supported")
    prompt = f"{before} {GAP} {after}" if after else before
    if not prompt.strip():
        raise _Skip("the question has no text")
    body, general = (body.split("####", 1) + [""])[:2]
    fields = _answers(body.strip(), fmt, notes)
    fields["prompt"] = to_markdown(prompt, fmt, notes)
    if general.strip():
        fields["explanation"] = to_markdown(general, fmt, notes)
    return fields, title


def _answers(body: str, fmt: str, notes: list[str]) -> dict[str, Any]:
    if not body:
        raise _Skip("essay questions ({}) are not supported")
    if body.startswith("#"):
        return _numeric(body[1:].strip(), notes)
    match = _TRUE_FALSE.match(body)
    if match:
        if match.group(2):
            notes.append("feedback on a true/false answer is not supported and was left out")
        return {"type": "true_false", "answer": match.group(1).upper().startswith("T")}
    answers = _split_answers(body)
    if not answers:
        raise _Skip(f'cannot read the answers "{restore(body)[:40]}": each answer starts with = or ~')
    if any("->" in text for marker, _weight, text, _fb in answers if marker == "="):
        return _matching(answers, notes)
    if all(marker == "=" for marker, _weight, _text, _fb in answers):
        return _short_answer(answers, notes)
    return _choice(answers, fmt, notes)


def _split_answers(body: str) -> list[tuple[str, float | None, str, str]]:
    """(marker, weight or None, text, feedback) of each answer; [] when the body does not start with = or ~."""
    if body[:1] not in ("=", "~"):
        return []
    answers = []
    for part in re.findall(r"[=~][^=~]*", body):
        marker, rest = part[0], part[1:].strip()
        weight = None
        match = _WEIGHT.match(rest)
        if match:
            weight, rest = float(match.group(1)), rest[match.end() :].strip()
        text, _hash, feedback = rest.partition("#")
        answers.append((marker, weight, text.strip(), feedback.strip()))
    return answers


def _choice(answers: list, fmt: str, notes: list[str]) -> dict[str, Any]:
    options = []
    for index, (marker, weight, text, feedback) in enumerate(answers):
        if not text:
            raise _Skip("an answer option is empty")
        correct = (marker == "=" and (weight is None or weight > 0)) or (weight is not None and weight > 0)
        option: dict[str, Any] = {"id": _option_id(index), "text": to_markdown(text, fmt, notes, one_line=True)}
        if correct:
            option["correct"] = True
        if feedback:
            option["feedback"] = to_markdown(feedback, fmt, notes)
        options.append(option)
    correct_count = sum(1 for option in options if option.get("correct"))
    if correct_count == 0:
        raise _Skip("no answer option is marked correct (= or a positive %weight%)")
    if len(options) < 2:
        raise _Skip("a choice question needs at least 2 options")
    positive = {weight for _m, weight, _t, _f in answers if weight is not None and weight > 0}
    if len(positive) > 1:
        notes.append("unequal answer weights are not kept: every option with a positive weight counts as correct")
    return {"type": "single" if correct_count == 1 else "multiple", "options": options}


def _short_answer(answers: list, notes: list[str]) -> dict[str, Any]:
    accept: list[str] = []
    for _marker, weight, text, feedback in answers:
        if weight is not None and weight < 100:
            notes.append(f'answer "{restore(text)}" gave {weight:g}% credit in Moodle: it is not accepted here')
            continue
        if "*" in text:
            notes.append(f'answer "{restore(text)}": the * wildcard is not supported and is matched as written')
        if feedback:
            notes.append("feedback on a short answer is not supported and was left out")
        value = " ".join(restore(text).split())
        if value and value not in accept:
            accept.append(value)
    if not accept:
        raise _Skip("no fully correct short answer")
    return {"type": "short_text", "accept": accept}


def _matching(answers: list, notes: list[str]) -> dict[str, Any]:
    pairs = []
    for marker, _weight, text, feedback in answers:
        left, arrow, right = text.partition("->")
        left, right = " ".join(restore(left).split()), " ".join(restore(right).split())
        if marker != "=" or not arrow or not right:
            raise _Skip(f'matching answer "{restore(text)[:40]}" must read =left -> right')
        if not left:
            notes.append(f'the extra right-hand item "{right}" (a distractor) is not supported and was left out')
            continue
        if feedback:
            notes.append("feedback on a matching pair is not supported and was left out")
        pairs.append({"left": left, "right": right})
    for side in ("left", "right"):
        names = [pair[side] for pair in pairs]
        if len(set(names)) != len(names):
            raise _Skip(f"the same {side}-hand item is used twice; each must be different")
    if len(pairs) < 2:
        raise _Skip("a matching question needs at least 2 pairs")
    return {"type": "matching", "pairs": pairs}


def _numeric(body: str, notes: list[str]) -> dict[str, Any]:
    candidates = _split_answers(body) if body[:1] == "=" else [("=", None, *(body.partition("#")[::2]))]
    best = next(((text, fb) for _m, weight, text, fb in candidates if weight is None or weight >= 100), None)
    if best is None:
        raise _Skip("no fully correct numeric answer")
    if len(candidates) > 1:
        notes.append("only the fully correct numeric answer is kept; partial-credit answers were left out")
    text, feedback = restore(best[0]).strip(), best[1]
    if feedback and feedback.strip():
        notes.append("feedback on a numeric answer is not supported and was left out")
    match = _RANGE.match(text)
    if match:
        low, high = sorted((float(match.group(1)), float(match.group(2))))
        return {"type": "numeric", "answer": _plain((low + high) / 2), "tolerance": _plain((high - low) / 2)}
    match = _TOLERANCE.match(text)
    if not match:
        raise _Skip(f'cannot read the number "{text[:40]}" (use #answer:tolerance or #low..high)')
    tolerance = abs(float(match.group(2))) if match.group(2) else 0
    return {"type": "numeric", "answer": _plain(float(match.group(1))), "tolerance": _plain(tolerance)}


def _plain(value: float) -> int | float:
    """Whole numbers are written without ".0"."""
    return int(value) if float(value).is_integer() else value


def _option_id(index: int) -> str:
    return chr(ord("a") + index) if index < 26 else f"o{index + 1}"


__all__ = ["ESCAPABLE", "GiftProblem", "GiftQuestion", "GiftResult", "parse_gift"]
