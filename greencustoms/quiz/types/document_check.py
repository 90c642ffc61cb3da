"""Document check: facsimiles of trade documents (fields with values) that the learner reads, marking the fields
that are wrong or inconsistent and, where the question asks, picking why.

Credit = (flaws found - false alarms) / flaws, never below 0. A flaw counts as found when its field is marked
and, if the question has `reasons`, the reason picked is the flaw's reason. A false alarm is a sound field
marked. Several documents may be shown together (a movement document beside a bill of lading).
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
from greencustoms.content.schema import Rule, check_fields, choice, slug, text
from greencustoms.content.yamlsource import Doc, KeyPath

from .base import UNKNOWN_OPTION, Builder, Entry, InvalidAnswer, QuestionType, Tokens, field_name, one_value, register

FORMS = (
    "basel-notification",
    "basel-movement",
    "cites-permit",
    "commercial-invoice",
    "bill-of-lading",
    "packing-list",
    "dangerous-goods",
    "ods-licence",
    "other",
)
FIELD = {
    "id": Rule("a short id such as exporter, unique in the document", slug, required=True),
    "label": Rule('the box label as printed, such as "1. Exporter"', text, required=True),
    "value": Rule("what the box says", text, required=True),
    "flaw": Rule("only for a wrong field: why it is wrong (shown in the review)", text),
    "reason": Rule("for a wrong field when the question has reasons: the id of the reason", slug),
}
DOCUMENT = {
    "id": Rule("a short id such as movement, unique in the question", slug, required=True),
    "title": Rule('the document title, such as "Movement document"', text, required=True),
    "form": Rule(f"the look of the form: one of {', '.join(FORMS)}", choice(*FORMS), default="other"),
    "fields": Rule("a list of fields, each with id, label and value", required=True),
}
REASON = {
    "id": Rule("a short id such as mismatch", slug, required=True),
    "text": Rule("the reason as the learner reads it", text, required=True),
}


@register
class DocumentCheck(QuestionType):
    """The response maps "document/field" of each marked field to the reason picked ("" when none)."""

    name = "document_check"
    label = "document-check"
    gift = None  # GIFT has no document questions
    fields = {
        "documents": Rule("a list of documents, each with id, title, form and fields", required=True),
        "reasons": Rule("optional: a list of reasons (id, text) the learner picks from for each marked field"),
    }

    def check(self, doc: Doc, keypath: KeyPath, raw: dict, values: dict, where: str) -> None:
        """Documents and fields well formed and unique; at least one flaw; reasons named where asked for."""
        reasons = self._reasons(doc, keypath, raw, values, where)
        documents, path = raw.get("documents"), keypath + ("documents",)
        values["documents"] = []
        if documents is None:
            return
        if not isinstance(documents, list) or not documents:
            doc.error(path, f'{where}field "documents" must be {self.fields["documents"].help}')
            return
        seen: set[str] = set()
        for index, document in enumerate(documents):
            checked = check_fields(doc, path + (index,), document, DOCUMENT, f"{where}document {index + 1}: ")
            if checked is None or checked["id"] is None:
                continue
            if checked["id"] in seen:
                doc.error(path + (index, "id"), f'{where}document id "{checked["id"]}" is used twice')
            seen.add(checked["id"])
            checked["fields"] = self._fields(doc, path + (index,), document.get("fields"), reasons, where)
            values["documents"].append(checked)
        flaws = sum(1 for d in values["documents"] for f in d["fields"] if f["flaw"])
        if values["documents"] and not flaws:
            doc.error(path, f"{where}a document check needs at least one field with a flaw: (why it is wrong)")

    def _reasons(self, doc: Doc, keypath: KeyPath, raw: dict, values: dict, where: str) -> set[str] | None:
        reasons = raw.get("reasons")
        values["reasons"] = []
        if reasons is None:
            return None
        if not isinstance(reasons, list) or len(reasons) < 2:
            doc.error(keypath + ("reasons",), f'{where}field "reasons" must be a list of at least 2 reasons (id, text)')
            return set()
        for index, reason in enumerate(reasons):
            checked = check_fields(doc, keypath + ("reasons", index), reason, REASON, f"{where}reason {index + 1}: ")
            if checked is not None:
                values["reasons"].append(checked)
        return {reason["id"] for reason in values["reasons"]}

    def _fields(self, doc: Doc, path: KeyPath, fields: Any, reasons: set[str] | None, where: str) -> list[dict]:
        if not isinstance(fields, list) or not fields:
            doc.error(
                path + ("fields",), f'{where}field "fields" must be a list of fields, each with id, label and value'
            )
            return []
        good, seen = [], set()
        for index, field in enumerate(fields):
            here = path + ("fields", index)
            checked = check_fields(doc, here, field, FIELD, f"{where}field {index + 1}: ")
            if checked is None or checked["id"] is None:
                continue
            if checked["id"] in seen:
                doc.error(here + ("id",), f'{where}field id "{checked["id"]}" is used twice in this document')
            seen.add(checked["id"])
            if checked["reason"] and not checked["flaw"]:
                doc.error(here + ("reason",), f"{where}a reason only belongs on a field with a flaw")
            elif checked["flaw"] and reasons is not None and checked["reason"] not in reasons:
                known = ", ".join(sorted(reasons)) or "none"
                doc.error(here, f"{where}this flaw needs reason: one of the question's reasons ({known})")
            elif checked["reason"] and reasons is None:
                doc.error(here + ("reason",), f'{where}"reason" needs a list of reasons on the question')
            good.append(checked)
        return good

    def build(self, values: dict[str, Any], builder: Builder) -> dict[str, Any]:
        documents = tuple(
            {
                "id": document["id"],
                "title": document["title"],
                "form": document["form"] or "other",
                "fields": tuple(
                    {
                        "key": f"{document['id']}/{f['id']}",
                        "label": f["label"],
                        "value": f["value"],
                        "flaw": f["flaw"] or "",
                        "reason": f["reason"] or "",
                    }
                    for f in document["fields"]
                ),
            }
            for document in values.get("documents") or ()
        )
        reasons = tuple((reason["id"], reason["text"]) for reason in values.get("reasons") or ())
        return {"data": {"documents": documents, "reasons": reasons}}

    def _all(self, question: Question) -> list[dict]:
        return [field for document in question.data.get("documents", ()) for field in document["fields"]]

    def key_response(self, question: Question) -> Any:
        return {field["key"]: field["reason"] for field in self._all(question) if field["flaw"]}

    def present(self, question: Question, token: Tokens, rng: random.Random, shuffle: bool) -> dict[str, Any]:
        reasons = [reason_id for reason_id, _text in question.data["reasons"]]
        if shuffle:
            rng.shuffle(reasons)
        return {
            "fields": [[token(), field["key"]] for field in self._all(question)],
            "reasons": [[token(), reason_id] for reason_id in reasons],
        }

    def field_names(self, entry: Entry) -> set[str]:
        return {field_name(entry)} | {field_name(entry, token) for token, _key in entry["fields"]}

    def parse(self, entry: Entry, form: MultiDict, saved: Any = None) -> dict[str, str] | None:
        fields = dict(entry["fields"])
        reasons = dict(entry.get("reasons") or ())
        marked = {value.strip() for value in form.getlist(field_name(entry)) if value.strip()}
        if any(token not in fields for token in marked):
            raise InvalidAnswer(entry["id"], UNKNOWN_OPTION)
        response = {}
        for token in marked:
            reason = one_value(entry, form, field_name(entry, token)) if reasons else None
            if reason is not None and reason not in reasons:
                raise InvalidAnswer(entry["id"], UNKNOWN_OPTION)
            response[fields[token]] = reasons[reason] if reason else ""
        for token in fields:
            if token not in marked and reasons and one_value(entry, form, field_name(entry, token)):
                raise InvalidAnswer(entry["id"], _l("Mark the field as wrong before choosing why."))
        return response or None

    def score(self, question: Question, response: Any) -> float:
        if not isinstance(response, dict) or not response:
            return 0.0
        fields = {field["key"]: field for field in self._all(question)}
        flaws = [field for field in fields.values() if field["flaw"]]
        asks_why = bool(question.data.get("reasons"))
        found = sum(1 for f in flaws if f["key"] in response and (not asks_why or response[f["key"]] == f["reason"]))
        alarms = sum(1 for key in response if key in fields and not fields[key]["flaw"])
        return max(0.0, (found - alarms) / len(flaws)) if flaws else 0.0

    def widget(self, question: Question, entry: Entry, response: Any) -> dict[str, Any]:
        response = response or {}
        tokens = {key: token for token, key in entry["fields"]}
        reason_text = dict(question.data["reasons"])
        reasons = [
            {"token": token, "text": reason_text[rid], "id": rid}
            for token, rid in entry.get("reasons") or ()
            if rid in reason_text
        ]
        documents = [
            {
                "title": document["title"],
                "form": document["form"],
                "fields": [
                    {
                        "token": tokens[f["key"]],
                        "label": f["label"],
                        "value": f["value"],
                        "marked": f["key"] in response,
                        "reason": next((r["token"] for r in reasons if r["id"] == response.get(f["key"])), ""),
                    }
                    for f in document["fields"]
                    if f["key"] in tokens
                ],
            }
            for document in question.data["documents"]
        ]
        return {"documents": documents, "reasons": reasons}

    def _describe(self, question: Question, key: str) -> str:
        for document in question.data.get("documents", ()):
            for f in document["fields"]:
                if f["key"] == key:
                    return f"{document['title']}: {f['label']} ({f['value']})"
        return _("(a field that has since been removed)")

    def _reason(self, question: Question, reason_id: str) -> str:
        return dict(question.data.get("reasons", ())).get(reason_id, "")

    def answer_lines(self, question: Question, response: Any) -> list[Markup]:
        lines = []
        for key, reason_id in sorted((response or {}).items()):
            why = self._reason(question, reason_id)
            lines.append(
                escape(_("Marked: %(field)s", field=self._describe(question, key)) + (f" — {why}" if why else ""))
            )
        return lines

    def key_lines(self, question: Question) -> list[Markup]:
        return [escape(f"{self._describe(question, f['key'])}: {f['flaw']}") for f in self._all(question) if f["flaw"]]

    def feedback(self, question: Question, response: Any) -> list[Markup]:
        """Each field marked that was sound: a false alarm."""
        return [
            escape(_("False alarm: %(field)s is correct.", field=self._describe(question, f["key"])))
            for f in self._all(question)
            if f["key"] in (response or {}) and not f["flaw"]
        ]

    def tally(self, response: Any) -> list[str]:
        return sorted(response or {})

    def analysis(self, question: Question, distribution: Mapping[str, int]) -> list[tuple[Markup, int, bool | None]]:
        """Every field with how many marked it: hits on a flawed field, false alarms on a sound one."""
        rows: list[tuple[Markup, int, bool | None]] = []
        for f in self._all(question):
            kind = _("flaw: hits") if f["flaw"] else _("sound: false alarms")
            rows.append(
                (
                    escape(f"{self._describe(question, f['key'])} · {kind}"),
                    distribution.get(f["key"], 0),
                    bool(f["flaw"]),
                )
            )
        return rows
