"""Scenario: a branching case played one step per page. Each step is a situation with choices; each choice is
scored and leads to another step or to an outcome (a step without choices).

The response is the path taken, [[step id, choice id], ...], stored on the attempt as it grows: leaving and
coming back resumes at the same step, and a decided step cannot be changed. Credit = points of the path taken /
points of the best path. The review walks the path taken beside the best path, with each choice's consequence.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from greencustoms.content.quizbank import Question
from greencustoms.content.schema import Rule, check_fields, number, slug, text
from greencustoms.content.yamlsource import Doc, KeyPath

from .base import UNKNOWN_OPTION, Builder, Entry, InvalidAnswer, QuestionType, Tokens, one_value, register, sanitised

STEP = {
    "id": Rule("a short id such as arrival, unique in the scenario", slug, required=True),
    "situation": Rule("Markdown: what the officer sees at this step (or how the case ends)", text, required=True),
    "choices": Rule("the choices (id, text, points, next, consequence); none for an outcome"),
}
CHOICE = {
    "id": Rule("a short id such as open, unique in the step", slug, required=True),
    "text": Rule("what the officer decides", text, required=True),
    "points": Rule("the points this choice earns, 0 or more", number(low=0), default=0.0),
    "next": Rule("the id of the step it leads to", slug, required=True),
    "consequence": Rule("Markdown: what follows and why (shown in the review)", text, required=True),
}
MAX_STEPS = 30


@register
class Scenario(QuestionType):
    """A step is decided with its own button; the answer is never autosaved on a change of the radio."""

    name = "scenario"
    label = "scenario"
    gift = None  # GIFT has no branching questions
    autosave = False
    fields = {
        "start": Rule("the id of the first step", slug, required=True),
        "steps": Rule("a list of steps, each with id, situation and choices", required=True),
    }

    def check(self, doc: Doc, keypath: KeyPath, raw: dict, values: dict, where: str) -> None:
        """Steps unique, `start` and every `next` known, no loop, every step reachable, some points to earn."""
        steps, path = raw.get("steps"), keypath + ("steps",)
        values["steps"] = []
        if steps is None:
            return
        if not isinstance(steps, list) or not 2 <= len(steps) <= MAX_STEPS:
            doc.error(path, f'{where}field "steps" must be a list of 2 to {MAX_STEPS} steps')
            return
        by_id: dict[str, dict] = {}
        for index, step in enumerate(steps):
            checked = check_fields(doc, path + (index,), step, STEP, f"{where}step {index + 1}: ")
            if checked is None or checked["id"] is None:
                continue
            if checked["id"] in by_id:
                doc.error(path + (index, "id"), f'{where}step id "{checked["id"]}" is used twice')
                continue
            checked["choices"] = self._choices(doc, path + (index,), step.get("choices"), where, index)
            checked["index"] = index
            by_id[checked["id"]] = checked
        values["steps"] = list(by_id.values())
        start = values.get("start")
        if start and start not in by_id:
            doc.error(keypath + ("start",), f'{where}start: no step "{start}"')
            return
        for step in by_id.values():
            for number_, choice in enumerate(step["choices"]):
                if choice["next"] not in by_id:
                    doc.error(
                        path + (step["index"], "choices", number_, "next"), f'{where}next: no step "{choice["next"]}"'
                    )
                    return
        if start is None:
            return
        order, loop = _walk(start, by_id)
        if loop:
            doc.error(path, f'{where}the steps loop back to "{loop}": a scenario must always move on to an outcome')
            return
        for step in by_id.values():
            if step["id"] not in order:
                doc.error(path + (step["index"],), f'{where}step "{step["id"]}" cannot be reached from the start')
        if _best(start, by_id)[0] <= 0:
            doc.error(path, f"{where}no path earns points: give the good choices points above 0")

    def _choices(self, doc: Doc, path: KeyPath, choices: Any, where: str, index: int) -> list[dict]:
        if choices is None:
            return []
        if not isinstance(choices, list) or len(choices) < 2:
            doc.error(
                path + ("choices",), f"{where}step {index + 1}: a step needs at least 2 choices (or none: an outcome)"
            )
            return []
        good, seen = [], set()
        for number_, choice in enumerate(choices):
            checked = check_fields(
                doc, path + ("choices", number_), choice, CHOICE, f"{where}step {index + 1}, choice {number_ + 1}: "
            )
            if checked is None or checked["id"] is None or checked["next"] is None:
                continue
            if checked["id"] in seen:
                doc.error(
                    path + ("choices", number_, "id"), f'{where}choice id "{checked["id"]}" is used twice in this step'
                )
            seen.add(checked["id"])
            good.append(checked)
        return good

    def build(self, values: dict[str, Any], builder: Builder) -> dict[str, Any]:
        steps = {}
        for step in values.get("steps") or ():
            at = ("steps", step["index"])
            steps[step["id"]] = {
                "html": builder.render(at + ("situation",), step["situation"]),
                "choices": tuple(
                    {
                        "id": c["id"],
                        "html": builder.render(at + ("choices", n, "text"), c["text"], inline=True),
                        "points": c["points"],
                        "next": c["next"],
                        "consequence_html": builder.render(at + ("choices", n, "consequence"), c["consequence"]),
                    }
                    for n, c in enumerate(step["choices"])
                ),
            }
        start = values.get("start") or ""
        best_points, best_path = _best(start, steps) if start in steps else (0.0, [])
        return {"data": {"start": start, "steps": steps, "best": best_points, "best_path": tuple(best_path)}}

    def key_response(self, question: Question) -> Any:
        return [list(pair) for pair in question.data["best_path"]]

    def present(self, question: Question, token: Tokens, rng: random.Random, shuffle: bool) -> dict[str, Any]:
        steps = {}
        for step_id, step in question.data["steps"].items():
            choices = [[token(), c["id"], c["next"]] for c in step["choices"]]
            if shuffle:
                rng.shuffle(choices)
            steps[step_id] = choices
        return {"start": question.data["start"], "steps": steps}

    def parse(self, entry: Entry, form: MultiDict, saved: Any = None) -> list[list[str]] | None:
        """The saved path plus the choice made at the current step. A choice of a step already decided is
        accepted only when it repeats the choice made (a retried request); anything else is refused."""
        path = [list(pair) for pair in saved or ()]
        token = one_value(entry, form)
        if token is None:
            return path or None
        owner = next(
            ((step_id, c) for step_id, choices in entry["steps"].items() for c in choices if c[0] == token), None
        )
        if owner is None:
            raise InvalidAnswer(entry["id"], UNKNOWN_OPTION)
        step_id, (_token, choice_id, _next) = owner
        if [step_id, choice_id] in path:
            return path
        if step_id != current_step(entry, path):
            raise InvalidAnswer(entry["id"], _l("This step was already decided. Reload the page to see the next one."))
        return path + [[step_id, choice_id]]

    def score(self, question: Question, response: Any) -> float:
        best = question.data.get("best") or 0
        if not response or best <= 0:
            return 0.0
        steps = question.data["steps"]
        points, at = 0.0, question.data["start"]
        for step_id, choice_id in response:
            step = steps.get(step_id)
            choice = (
                next((c for c in step["choices"] if c["id"] == choice_id), None) if step and step_id == at else None
            )
            if choice is None:
                break  # a path that no longer fits the scenario earns what it earned up to there
            points, at = points + choice["points"], choice["next"]
        return min(1.0, points / best)

    def is_answered(self, entry: Entry, response: Any) -> bool:
        return bool(response) and not entry["steps"].get(current_step(entry, response) or "", [])

    def holds_page(self, entry: Entry, response: Any) -> bool:
        return bool(response) and not self.is_answered(entry, response)

    def widget(self, question: Question, entry: Entry, response: Any) -> dict[str, Any]:
        path = response or []
        step_id = current_step(entry, path) or ""
        step = question.data["steps"].get(step_id)
        html = {c["id"]: c["html"] for c in step["choices"]} if step else {}
        return {
            "number": len(path) + 1,
            "situation": sanitised(step["html"]) if step else escape(_("(this step has since been removed)")),
            "choices": [
                {"token": t, "html": sanitised(html[cid])}
                for t, cid, _n in entry["steps"].get(step_id, [])
                if cid in html
            ],
            "finished": bool(path) and not entry["steps"].get(step_id),
        }

    def _lines(self, question: Question, path: Any) -> list[Markup]:
        steps, lines = question.data.get("steps", {}), []
        for number_, (step_id, choice_id) in enumerate(path or (), start=1):
            choice = next((c for c in steps.get(step_id, {}).get("choices", ()) if c["id"] == choice_id), None)
            if choice is None:
                lines.append(escape(_("Step %(n)d: a choice that has since been removed", n=number_)))
                continue
            lines.append(
                Markup('<strong>{}</strong> {}<div class="consequence">{}</div>').format(
                    _("Step %(n)d:", n=number_),
                    sanitised(choice["html"]),
                    sanitised(choice["consequence_html"]),
                )
            )
        return lines

    def answer_lines(self, question: Question, response: Any) -> list[Markup]:
        return self._lines(question, response)

    def key_lines(self, question: Question) -> list[Markup]:
        return self._lines(question, question.data.get("best_path"))

    def tally(self, response: Any) -> list[str]:
        return [" > ".join(f"{step}:{choice}" for step, choice in response or ())]


def current_step(entry: Entry, path: Any) -> str | None:
    """The step the learner is at after `path` (the start for an empty path), following the layout's graph."""
    at = entry["start"]
    for _step_id, choice_id in path or ():
        nxt = next((c[2] for c in entry["steps"].get(at, []) if c[1] == choice_id), None)
        if nxt is None:
            return None
        at = nxt
    return at


def _walk(start: str, steps: Mapping[str, Any]) -> tuple[list[str], str | None]:
    """Depth-first from `start`: every step reached, and the first step found on a loop (None when none)."""
    seen: list[str] = []
    state: dict[str, int] = {}

    def visit(step_id: str) -> str | None:
        state[step_id] = 1
        seen.append(step_id)
        for choice in steps[step_id]["choices"]:
            nxt = choice["next"]
            if state.get(nxt) == 1:
                return nxt
            if nxt not in state and (loop := visit(nxt)):
                return loop
        state[step_id] = 2
        return None

    return seen, visit(start)


def _best(at: str, steps: Mapping[str, Any], visiting: frozenset[str] = frozenset()) -> tuple[float, list]:
    """The most points any path from `at` earns, and that path (first choice wins a tie). A next step that is
    unknown or on a loop ends the path there (check() reports both; this only keeps the build from failing)."""
    best: tuple[float, list[tuple[str, str]]] = (0.0, [])
    for choice in steps[at]["choices"]:
        nxt = choice["next"]
        points, rest = (0.0, []) if nxt not in steps or nxt in visiting else _best(nxt, steps, visiting | {at})
        if choice["points"] + points > best[0] or not best[1]:
            best = (choice["points"] + points, [(at, choice["id"]), *rest])
    return best
