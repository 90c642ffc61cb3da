"""Write questions read from a GIFT file as a quiz file of the authoring format (quizzes/<slug>.yaml)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import yaml

from .gift import GiftProblem, GiftResult
from .types import REGISTRY

NO_EXPLANATION = "(no explanation in the GIFT source)"


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line text, so the written file reads like one an author wrote."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def slugify(text: str, limit: int = 64) -> str:
    """Lowercase ASCII words joined by single dashes (accents dropped), at most `limit` characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:limit].strip("-")


def build_quiz(
    result: GiftResult, *, quiz_slug: str, owner: dict[str, str], title: str, pass_mark: int, mea: str, source: str
) -> tuple[dict[str, Any], list[GiftProblem]]:
    """The quiz file's data for the converted questions, and the problems found while filling required fields:
    a question without general feedback gets the explanation NO_EXPLANATION (reported by line, so the author
    sees it in review); every reference says the file it came from; tags are mea=`mea`, topic from the GIFT
    category (else "imported") and difficulty "medium"."""
    problems: list[GiftProblem] = []
    used: set[str] = set()
    questions = []
    for number, item in enumerate(result.questions, start=1):
        handler = REGISTRY.get(item.fields.get("type", ""))
        if handler is None or handler.gift is None:  # a type owns its GIFT mapping: none, nothing is written
            problems.append(
                GiftProblem(item.line, f'no question type takes GIFT "{item.fields.get("type")}" questions')
            )
            continue
        question_id = _unique(slugify(item.title or ""), used) or _unique(f"{quiz_slug[:58]}-{number:03d}", used)
        fields = dict(item.fields)
        if "explanation" not in fields:
            fields["explanation"] = NO_EXPLANATION
            problems.append(
                GiftProblem(
                    item.line,
                    f'question "{question_id}" has no general feedback (####): '
                    f'its explanation reads "{NO_EXPLANATION}"',
                )
            )
        topic = slugify((item.category or "").rsplit("/", 1)[-1], 40) or "imported"
        questions.append(
            {
                "id": question_id,
                "type": fields.pop("type"),
                "prompt": fields.pop("prompt"),
                **{k: v for k, v in fields.items() if k != "explanation"},
                "explanation": fields["explanation"],
                "reference": f"(imported from GIFT: {source})",
                "tags": {"mea": mea, "topic": topic, "difficulty": "medium"},
            }
        )
    quiz = {"title": title, "belongs_to": owner, "pass_mark": pass_mark, "draw": len(questions), "questions": questions}
    return quiz, problems


def _unique(candidate: str, used: set[str]) -> str:
    """`candidate`, or candidate-2, -3 ... when taken; "" for an empty candidate."""
    if not candidate:
        return ""
    value, counter = candidate, 2
    while value in used:
        suffix = f"-{counter}"
        value, counter = candidate[: 64 - len(suffix)].strip("-") + suffix, counter + 1
    used.add(value)
    return value


def dump_quiz(quiz: dict[str, Any], source: str) -> str:
    """The quiz as YAML text with a header comment telling the author what to review."""
    header = (
        f"# Imported from the GIFT file {source} by `flask content import-gift`.\n"
        "# Review before publishing: tags (mea, topic, difficulty), explanations and references.\n"
    )
    body = yaml.dump(quiz, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    return header + body
