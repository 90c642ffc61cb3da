"""Hotspot: an image shipped with the content, with numbered markers over regions the YAML defines; the learner
picks the marker(s) that answer the prompt (a hazard label, a container marking, a field of a document).

Markers are numbered in YAML order and carry only their number as text alternative ("Marker 3"), so neither
the page nor its attributes say which one is right.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from greencustoms.content.quizbank import Question
from greencustoms.content.schema import Rule, boolean, check_fields, integer, number, slug, text
from greencustoms.content.yamlsource import Doc, KeyPath

from .base import Builder, Entry, QuestionType, Tokens, register, sanitised, tokens_chosen

IMAGE = {
    "src": Rule("a file in quizzes/img/, such as img/container.svg", text, required=True),
    "alt": Rule("what the image shows, for screen readers (without saying which marker is right)", text, required=True),
    "width": Rule("the image width in its own units (pixels, or the SVG viewBox)", integer(1), required=True),
    "height": Rule("the image height in the same units", integer(1), required=True),
}
MARKER = {
    "id": Rule("a short id such as label-1, unique in the question", slug, required=True),
    "x": Rule("the left edge of the region, in image units", number(low=0), required=True),
    "y": Rule("the top edge of the region, in image units", number(low=0), required=True),
    "width": Rule("the region width, in image units", number(above=0), required=True),
    "height": Rule("the region height, in image units", number(above=0), required=True),
    "correct": Rule("true or false", boolean, default=False),
    "feedback": Rule("Markdown shown in the review when a learner picks this marker", text),
}
MARKERS = Rule("a list of at least 2 markers, each with id, x, y, width and height", required=True)


@register
class Hotspot(QuestionType):
    """Credit = (right markers picked - wrong markers picked) / right markers, never below 0 (as for multiple
    choice). With exactly one right marker the learner picks one (radio buttons)."""

    name = "hotspot"
    label = "hotspot"
    gift = None  # GIFT has no image questions
    fields = {"image": Rule("the image: src, alt, width and height", required=True, fields=IMAGE), "markers": MARKERS}

    def check(self, doc: Doc, keypath: KeyPath, raw: dict, values: dict, where: str) -> None:
        """At least 2 markers, ids unique, each region inside the image, at least one right marker."""
        markers, path = raw.get("markers"), keypath + ("markers",)
        values["markers"] = []
        if markers is None:
            return
        if not isinstance(markers, list) or len(markers) < 2:
            doc.error(path, f'{where}field "markers" must be {MARKERS.help}')
            return
        image = values.get("image") or {}
        seen: set[str] = set()
        for index, marker in enumerate(markers):
            result = check_fields(doc, path + (index,), marker, MARKER, f"{where}marker {index + 1}: ")
            if result is None or result["id"] is None:
                continue
            if result["id"] in seen:
                doc.error(path + (index, "id"), f'{where}marker id "{result["id"]}" is used twice')
            seen.add(result["id"])
            if image.get("width") and image.get("height") and None not in (result["x"], result["y"]):
                right, bottom = result["x"] + (result["width"] or 0), result["y"] + (result["height"] or 0)
                if right > image["width"] or bottom > image["height"]:
                    doc.error(
                        path + (index,),
                        f"{where}marker {index + 1} reaches outside the image ({image['width']} x {image['height']})",
                    )
            values["markers"].append(result)
        if values["markers"] and not any(marker["correct"] for marker in values["markers"]):
            doc.error(path, f"{where}a hotspot question needs at least one marker with correct: true")

    def build(self, values: dict[str, Any], builder: Builder) -> dict[str, Any]:
        image = values.get("image") or {}
        markers = tuple(
            {
                "id": marker["id"],
                "number": number,
                "cx": marker["x"] + marker["width"] / 2,
                "cy": marker["y"] + marker["height"] / 2,
                "correct": marker["correct"],
                "feedback_html": builder.render(("markers", number - 1, "feedback"), marker.get("feedback")),
            }
            for number, marker in enumerate(values.get("markers") or (), start=1)
        )
        url = builder.image(("image", "src"), image.get("src") or "", image.get("alt") or "")
        return {
            "data": {
                "src": url,
                "alt": image.get("alt") or "",
                "width": image.get("width") or 1,
                "height": image.get("height") or 1,
                "markers": markers,
                "multiple": sum(1 for marker in markers if marker["correct"]) > 1,
            }
        }

    def key_response(self, question: Question) -> Any:
        return sorted(marker["id"] for marker in question.data["markers"] if marker["correct"])

    def present(self, question: Question, token: Tokens, rng: random.Random, shuffle: bool) -> dict[str, Any]:
        return {"markers": [[token(), marker["id"]] for marker in question.data["markers"]]}  # numbered in order

    def parse(self, entry: Entry, form: MultiDict, saved: Any = None) -> list[str] | None:
        return sorted(tokens_chosen(entry, form, entry["markers"])) or None

    def score(self, question: Question, response: Any) -> float:
        chosen = set(response or ())
        right = {marker["id"] for marker in question.data.get("markers", ()) if marker["correct"]}
        wrong = {marker["id"] for marker in question.data.get("markers", ()) if not marker["correct"]}
        if not right or not chosen:
            return 0.0
        return max(0.0, (len(chosen & right) - len(chosen & wrong)) / len(right))

    def widget(self, question: Question, entry: Entry, response: Any) -> dict[str, Any]:
        chosen = set(response or ())
        by_id = {marker["id"]: marker for marker in question.data["markers"]}
        markers = [
            {
                "token": token,
                "number": by_id[marker_id]["number"],
                "cx": by_id[marker_id]["cx"],
                "cy": by_id[marker_id]["cy"],
                "checked": marker_id in chosen,
            }
            for token, marker_id in entry["markers"]
            if marker_id in by_id
        ]
        data = question.data
        radius = max(12, min(data["width"], data["height"]) / 30)
        return {
            "src": data["src"],
            "alt": data["alt"],
            "width": data["width"],
            "height": data["height"],
            "markers": markers,
            "multiple": data["multiple"],
            "radius": radius,
        }

    def _names(self, question: Question, ids: Any) -> list[Markup]:
        numbers = {marker["id"]: marker["number"] for marker in question.data.get("markers", ())}
        return [
            escape(_("Marker %(n)d", n=numbers[i]))
            for i in sorted(ids or (), key=lambda i: numbers.get(i, 0))
            if i in numbers
        ]

    def answer_lines(self, question: Question, response: Any) -> list[Markup]:
        return self._names(question, response)

    def key_lines(self, question: Question) -> list[Markup]:
        return self._names(question, self.key_response(question))

    def feedback(self, question: Question, response: Any) -> list[Markup]:
        chosen = set(response or ())
        return [
            sanitised(m["feedback_html"]) for m in question.data["markers"] if m["id"] in chosen and m["feedback_html"]
        ]

    def tally(self, response: Any) -> list[str]:
        return sorted(response or ())

    def analysis(self, question: Question, distribution: Mapping[str, int]) -> list[tuple[Markup, int, bool | None]]:
        """Every marker in number order, with how many picked it."""
        return [
            (escape(_("Marker %(n)d", n=m["number"])), distribution.get(m["id"], 0), m["correct"])
            for m in question.data.get("markers", ())
        ]
