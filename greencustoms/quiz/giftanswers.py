"""The answer block of a GIFT question ({...}) as the fields of a quiz question type, scored as Moodle scores it.

Moodle's meaning is kept or the question is refused with the reason; it is never silently changed:
- choice: with an "=" it is single-answer (Moodle's rule); other options' positive %weights give partial
  credit; a negative weight there is refused. Without "=" it is multiple-answer: the %weights are kept and
  credit is their sum for the chosen options, between 0 and 100% (the positive ones must add up to 100); one
  where ticking every option earns credit is refused (guessing must not pay here).
- true/false: {F#shown if wrong#shown if right} keeps both feedbacks.
- short answer and numeric: the first fully correct answer (and those with the same feedback) are accepted;
  other answers keep their credit and feedback (`credited`); `*` with 0% is the feedback for any other answer.
- matching: `= -> item` (no left side) is a distractor on the right.
Format markers ([html], [markdown], [plain], [moodle]) before any answer or feedback are read and removed.
"""

from __future__ import annotations

import html
import re
import textwrap
from typing import Any

from .giftext import restore, to_markdown

FORMAT = re.compile(r"^\s*\[(markdown|html|plain|moodle)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_TRUE_FALSE = re.compile(r"^(T|F|TRUE|FALSE)\s*(#.*)?$", re.IGNORECASE | re.DOTALL)
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_RANGE = re.compile(rf"^({_NUMBER})\s*\.\.\s*({_NUMBER})$")
_TOLERANCE = re.compile(rf"^({_NUMBER})\s*(?::\s*({_NUMBER}))?$")
_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(.+?)\1")

Answer = tuple[str, float | None, str, str]  # marker (= or ~), weight or None, text, feedback


class Skip(Exception):
    """This question cannot be converted; the message says why."""


def answers(body: str, fmt: str, notes: list[str]) -> dict[str, Any]:
    """The type and type fields of one answer block (general feedback already removed)."""
    if not body:
        raise Skip("essay questions ({}) are not supported")
    if body.startswith("#"):
        return _numeric(body[1:].strip(), fmt, notes)
    match = _TRUE_FALSE.match(body)
    if match:
        return _true_false(match.group(1).upper().startswith("T"), match.group(2) or "", fmt, notes)
    parts = split_answers(body)
    if not parts:
        raise Skip(f'cannot read the answers "{restore(body)[:40]}": each answer starts with = or ~')
    if any("->" in text for marker, _weight, text, _fb in parts if marker == "="):
        return _matching(parts, fmt, notes)
    if all(marker == "=" for marker, _weight, _text, _fb in parts):
        return _short_answer(parts, fmt, notes)
    return _choice(parts, fmt, notes)


def part(text: str, fmt: str) -> tuple[str, str]:
    """A piece of GIFT text and its format: its own [format] marker if it starts with one, else `fmt`."""
    match = FORMAT.match(text)
    return (match.group(1).lower(), text[match.end() :].strip()) if match else (fmt, text.strip())


def markdown(text: str, fmt: str, notes: list[str], one_line: bool = False) -> str:
    """A piece of GIFT text (after any [format] marker) as Markdown."""
    own, rest = part(text, fmt)
    first, _newline, others = rest.partition("\n")  # continuation lines are indented in GIFT files
    rest = f"{first}\n{textwrap.dedent(others)}" if others else first
    return to_markdown(rest, own, notes, one_line=one_line)


def plain(text: str, fmt: str) -> str:
    """A piece of GIFT text as plain text on one line (matching items are shown as written, not as Markdown)."""
    own, rest = part(text, fmt)
    rest = restore(rest)
    if own == "html" or (own == "moodle" and _TAG.search(rest)):
        rest = html.unescape(_TAG.sub("", rest))
    elif own == "markdown":
        rest = _EMPHASIS.sub(r"\2", rest)
    return " ".join(rest.split())


def split_answers(body: str) -> list[Answer]:
    """Each answer of the block; [] when the block does not start with = or ~."""
    if body[:1] not in ("=", "~"):
        return []
    found = []
    for piece in re.findall(r"[=~][^=~]*", body):
        marker, rest = piece[0], piece[1:].strip()
        weight = None
        match = _WEIGHT.match(rest)
        if match:
            weight, rest = float(match.group(1)), rest[match.end() :].strip()
        text, _hash, feedback = rest.partition("#")
        found.append((marker, weight, text.strip(), feedback.strip()))
    return found


def _true_false(answer: bool, comments: str, fmt: str, notes: list[str]) -> dict[str, Any]:
    """{T} / {F}; Moodle's first #comment is shown for a wrong answer, the second for a right one."""
    fields: dict[str, Any] = {"type": "true_false", "answer": answer}
    wrong, _hash, right = comments[1:].partition("#") if comments else ("", "", "")
    if wrong.strip():
        fields["feedback_incorrect"] = markdown(wrong, fmt, notes)
    if right.strip():
        fields["feedback_correct"] = markdown(right, fmt, notes)
    return fields


def _choice(parts: list[Answer], fmt: str, notes: list[str]) -> dict[str, Any]:
    if any(not text for _m, _w, text, _f in parts):
        raise Skip("an answer option is empty")
    if len(parts) < 2:
        raise Skip("a choice question needs at least 2 options")
    single = any(marker == "=" for marker, _w, _t, _f in parts)
    options = []
    for index, (marker, weight, text, feedback) in enumerate(parts):
        option: dict[str, Any] = {"id": _option_id(index), "text": markdown(text, fmt, notes, one_line=True)}
        if feedback:
            option["feedback"] = markdown(feedback, fmt, notes)
        options.append((marker, weight, option))
    if single:
        return _single(options)
    return _multiple(options)


def _single(options: list[tuple[str, float | None, dict[str, Any]]]) -> dict[str, Any]:
    """One "=" is the correct option; other "=" and positive weights are partial (or full) credit."""
    correct_index = next(index for index, (marker, _w, _o) in enumerate(options) if marker == "=")
    weighted = False
    for index, (marker, weight, option) in enumerate(options):
        share = 100.0 if marker == "=" and weight is None else weight
        if share is not None and share < 0:
            raise Skip(
                f'option "{option["text"][:30]}" takes marks away ({share:g}%) in a single-answer question, '
                "which Moodle counts against the whole quiz: not supported"
            )
        if index == correct_index:
            if share not in (None, 100):
                raise Skip(f"the option marked = has the weight {share:g}%: the correct option must earn 100%")
            option["correct"] = True
        elif share:
            option["weight"] = share
            weighted = True
    fields: dict[str, Any] = {"type": "single", "options": [option for _m, _w, option in options]}
    if weighted:
        for option in fields["options"]:
            option.setdefault("weight", 100.0 if option.get("correct") else 0.0)
    return fields


def _multiple(options: list[tuple[str, float | None, dict[str, Any]]]) -> dict[str, Any]:
    """No "=": Moodle's multiple-answer question, credit = sum of the chosen options' weights."""
    weights = [weight or 0.0 for _m, weight, _o in options]
    positive = sum(weight for weight in weights if weight > 0)
    if positive == 0:
        raise Skip("no answer option is marked correct (= or a positive %weight%)")
    if abs(positive - 100) > 0.01:
        raise Skip(f"the positive weights add up to {positive:g}%; Moodle needs 100% for a multiple-answer question")
    result = []
    for (_m, _w, option), weight in zip(options, weights, strict=True):
        if weight > 0:
            option["correct"] = True
        option["weight"] = weight
        result.append(option)
    everything = max(0.0, min(100.0, sum(weights)))
    if everything > 0:  # the assessment lint refuses it too: guessing must not pay
        raise Skip(
            f"ticking every option earns {everything:g}% (as in Moodle): give the wrong options negative weights "
            "so that all the weights add up to 0 or less"
        )
    return {"type": "multiple", "options": result}


def _accepted_and_credited(
    parts: list[Answer], value: Any, fmt: str, notes: list[str]
) -> tuple[list[Any], list[dict[str, Any]], dict[str, str]]:
    """Split answers into those accepted for full credit (all with the first one's feedback), credited answers
    (any other credit or feedback) and outcome feedback (`*` at 0% is the feedback for any other answer).
    `value(text)` turns an answer's text into the fields kept for it."""
    accepted: list[Any] = []
    credited: list[dict[str, Any]] = []
    outcome: dict[str, str] = {}
    first_feedback: str | None = None
    for _marker, weight, text, feedback in parts:
        credit = 100.0 if weight is None else weight
        if restore(text).strip() == "*":
            if credit > 0:
                raise Skip(f'"*" (any other answer) earns {credit:g}% in Moodle: not supported')
            if feedback:
                outcome["feedback_incorrect"] = markdown(feedback, fmt, notes)
            continue
        if credit < 0:
            raise Skip(f'the answer "{restore(text)[:30]}" takes marks away ({credit:g}%): not supported')
        if credit == 100 and (first_feedback is None or feedback == first_feedback):
            if first_feedback is None:
                first_feedback = feedback
                if feedback:
                    outcome["feedback_correct"] = markdown(feedback, fmt, notes)
            accepted.append(value(text))
            continue
        entry = {**value(text, keyed=True), "credit": credit}
        if feedback:
            entry["feedback"] = markdown(feedback, fmt, notes)
        credited.append(entry)
    if not accepted:
        raise Skip("no fully correct answer")
    return accepted, credited, outcome


def _short_answer(parts: list[Answer], fmt: str, notes: list[str]) -> dict[str, Any]:
    def value(text: str, keyed: bool = False) -> Any:
        shown = plain(text, fmt)
        if "*" in shown:
            notes.append(f'answer "{shown}": the * wildcard is not supported and is matched as written')
        return {"text": shown} if keyed else shown

    accepted, credited, outcome = _accepted_and_credited(parts, value, fmt, notes)
    fields: dict[str, Any] = {"type": "short_text", "accept": list(dict.fromkeys(accepted)), **outcome}
    if credited:
        fields["credited"] = credited
    return fields


def _matching(parts: list[Answer], fmt: str, notes: list[str]) -> dict[str, Any]:
    pairs, extras = [], []
    for marker, _weight, text, feedback in parts:
        left, arrow, right = text.partition("->")
        left, right = plain(left, fmt), plain(right, fmt)
        if marker != "=" or not arrow or not right:
            raise Skip(f'matching answer "{restore(text)[:40]}" must read =left -> right')
        if feedback:
            raise Skip("feedback on a matching pair has no place in a matching question here")
        if left:
            pairs.append({"left": left, "right": right})
        else:
            extras.append(right)
    for side in ("left", "right"):
        names = [pair[side] for pair in pairs] + (extras if side == "right" else [])
        if len(set(names)) != len(names):
            raise Skip(f"the same {side}-hand item is used twice; each must be different")
    if len(pairs) < 2:
        raise Skip("a matching question needs at least 2 pairs")
    fields: dict[str, Any] = {"type": "matching", "pairs": pairs}
    if extras:
        fields["distractors"] = extras
    return fields


def _numeric(body: str, fmt: str, notes: list[str]) -> dict[str, Any]:
    """{#3:2}, {#1..5}, {#=1822:0 #right =%50%1822:2 #close ~#wrong}."""
    parts = split_answers(body if body[:1] in ("=", "~") else "=" + body)

    def value(text: str, keyed: bool = False) -> Any:
        answer, tolerance = _number(restore(text).strip())
        return {"answer": answer, "tolerance": tolerance} if keyed else (answer, tolerance)

    for index, (marker, weight, text, feedback) in enumerate(parts):
        if marker == "~" and not text:  # Moodle's "any other answer"
            parts[index] = ("=", 0.0 if weight is None else weight, "*", feedback)
    accepted, credited, outcome = _accepted_and_credited(parts, value, fmt, notes)
    answer, tolerance = accepted[0]
    for extra in accepted[1:]:
        credited.append({"answer": extra[0], "tolerance": extra[1], "credit": 100.0})
    fields: dict[str, Any] = {"type": "numeric", "answer": answer, "tolerance": tolerance, **outcome}
    if credited:
        fields["credited"] = credited
    return fields


def _number(text: str) -> tuple[int | float, int | float]:
    """(answer, tolerance) of `3.5:0.5`, `1..5` (its midpoint and half width) or `7`."""
    match = _RANGE.match(text)
    if match:
        low, high = sorted((float(match.group(1)), float(match.group(2))))
        return _plain((low + high) / 2), _plain((high - low) / 2)
    match = _TOLERANCE.match(text)
    if not match:
        raise Skip(f'cannot read the number "{text[:40]}" (use #answer:tolerance or #low..high)')
    tolerance = abs(float(match.group(2))) if match.group(2) else 0
    return _plain(float(match.group(1))), _plain(tolerance)


def _plain(value: float) -> int | float:
    """Whole numbers are written without ".0"."""
    return int(value) if float(value).is_integer() else value


def _option_id(index: int) -> str:
    return chr(ord("a") + index) if index < 26 else f"o{index + 1}"
