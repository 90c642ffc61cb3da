"""Code entry: the learner types a code (HS subheading, UN number, Basel entry, CAS number).

Input is normalised before it is compared (spaces, dots and dashes dropped, letters upper-cased, "UN" before a
UN number optional), and a question may give partial credit for a code that is right to some length (HS chapter,
heading, subheading).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from greencustoms.content.quizbank import Question
from greencustoms.content.schema import Rule, choice, listing, text
from greencustoms.content.yamlsource import Doc, KeyPath

from .base import Builder, Entry, InvalidAnswer, QuestionType, register

CODE_LIMIT = 40
SCHEMES = ("hs", "un", "basel", "cas", "other")
_DROP = re.compile(r"[\s.\-\u2010-\u2015\u00a0\u202f/]+")
_CODE = re.compile(r"^[A-Z0-9]+$")


def normalise_code(raw: str, scheme: str = "other") -> str:
    """The form in which codes are compared: NFKC, upper case, without spaces, dots, dashes or slashes; for a
    UN number the "UN" prefix is dropped ("un 1263", "UN1263" and "1263" are one code)."""
    code = _DROP.sub("", unicodedata.normalize("NFKC", raw).upper())
    if scheme == "un" and code.startswith("UN"):
        code = code[2:]
    return code


def _level(value: Any) -> dict[str, Any]:
    """One partial-credit level: {length: 4, credit: 0.5}."""
    from greencustoms.content.schema import Invalid

    if not isinstance(value, dict) or set(value) != {"length", "credit"}:
        raise Invalid("needs exactly length and credit, e.g. {length: 4, credit: 0.5}")
    length, credit = value["length"], value["credit"]
    if isinstance(length, bool) or not isinstance(length, int) or length < 1:
        raise Invalid("length must be a whole number of characters of at least 1")
    if isinstance(credit, bool) or not isinstance(credit, int | float) or not 0 < credit < 1:
        raise Invalid("credit must be a number above 0 and below 1")
    return {"length": length, "credit": float(credit)}


@register
class CodeEntry(QuestionType):
    """Full credit for an accepted code after normalise_code(); otherwise the best partial level whose first
    `length` characters match an accepted code (e.g. HS 3915.10 typed as 3915.90 earns the heading's credit)."""

    name = "code_entry"
    label = "code-entry"
    gift = None  # GIFT short answers become short_text questions
    fields = {
        "scheme": Rule(f"the kind of code: one of {', '.join(SCHEMES)}", choice(*SCHEMES), required=True),
        "accept": Rule("a list of accepted codes, as written officially", listing(text, 1, unique=True), required=True),
        "partial": Rule(
            "a list of partial-credit levels such as {length: 4, credit: 0.5} (first 4 characters right: half)",
            listing(_level, 1),
        ),
    }

    def check(self, doc: Doc, keypath: KeyPath, raw: dict, values: dict, where: str) -> None:
        """Every accepted code normalises to letters and digits; a level is shorter than the shortest code."""
        scheme = values.get("scheme") or "other"
        codes = [normalise_code(code, scheme) for code in values.get("accept") or ()]
        for index, code in enumerate(codes):
            if not _CODE.match(code):
                doc.error(keypath + ("accept", index), f"{where}accepted code {index + 1} must be letters and digits")
        shortest = min((len(code) for code in codes), default=0)
        for index, level in enumerate(values.get("partial") or ()):
            if level["length"] >= shortest:
                doc.error(
                    keypath + ("partial", index),
                    f"{where}partial level {index + 1} (length {level['length']}) must be shorter than the "
                    f"shortest accepted code ({shortest} characters)",
                )

    def build(self, values: dict[str, Any], builder: Builder) -> dict[str, Any]:
        scheme = values.get("scheme") or "other"
        levels = sorted(values.get("partial") or (), key=lambda level: -level["length"])
        return {
            "accept": tuple(values.get("accept") or ()),
            "data": {"scheme": scheme, "levels": tuple((level["length"], level["credit"]) for level in levels)},
        }

    def key_response(self, question: Question) -> Any:
        return question.accept[0] if question.accept else None

    def parse(self, entry: Entry, form: MultiDict, saved: Any = None) -> str | None:
        values = [value for value in form.getlist(f"a-{entry['id']}") if value.strip()]
        if len(values) > 1:
            raise InvalidAnswer(entry["id"], _l("Enter one code only."))
        if not values:
            return None
        typed = values[0].strip()
        if len(typed) > CODE_LIMIT or not _CODE.match(normalise_code(typed)):
            raise InvalidAnswer(
                entry["id"], _l("Enter the code with letters and digits (spaces, dots and dashes are fine).")
            )
        return typed

    def score(self, question: Question, response: Any) -> float:
        if not isinstance(response, str) or not response.strip():
            return 0.0
        scheme = question.data.get("scheme", "other")
        given = normalise_code(response, scheme)
        keys = [normalise_code(code, scheme) for code in question.accept]
        if given in keys:
            return 1.0
        for length, credit in question.data.get("levels", ()):
            if len(given) >= length and any(given[:length] == key[:length] for key in keys):
                return credit
        return 0.0

    def widget(self, question: Question, entry: Entry, response: Any) -> dict[str, Any]:
        hints = {
            "hs": _("An HS code, such as 1234.56"),
            "un": _("A UN number, such as UN 1234"),
            "basel": _("A Basel Convention entry, such as A1234 or Y12"),
            "cas": _("A CAS number, such as 1234-56-7"),
            "other": _("A code"),
        }
        return {"value": response or "", "hint": hints[question.data.get("scheme", "other")]}

    def key_lines(self, question: Question) -> list[Markup]:
        lines = [escape(code) for code in question.accept]
        for length, credit in question.data.get("levels", ()):
            lines.append(
                escape(
                    _(
                        "Partial credit (%(percent)d%%) when the first %(n)d characters are right.",
                        percent=round(credit * 100),
                        n=length,
                    )
                )
            )
        return lines

    def tally(self, response: Any) -> list[str]:
        return [normalise_code(str(response))]

    def analysis(self, question: Question, distribution: Mapping[str, int]) -> list[tuple[Markup, int, bool | None]]:
        """Every code given, most frequent first, marked right when it earns full credit."""
        ranked = sorted(distribution.items(), key=lambda pair: (-pair[1], pair[0]))
        return [(escape(code), count, self.score(question, code) >= 1.0) for code, count in ranked]
