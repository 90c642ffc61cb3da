"""A translated quiz: each translated question laid over its source question, checked and built like the source.

The translation gives only text fields, mirroring the source's structure: the same option, pair, step and field
ids in the same order, lists of the same length. Everything else (type, correct, points, tags, reference...)
comes from the source, so the answer key and the grading never depend on the language. A field, id or list that
does not match the source is an error at its line (a non-text field repeating the source's value exactly is
ignored); a text field left out is a warning (the source text shows).
After merging, the question goes through the source's own checks and build, and the translated bank through the
assessment lint's length-cue rule (a translation must not make the key the longest option).
"""

from __future__ import annotations

import copy
import difflib
from typing import Any

from .assessment import LONGEST_KEY_LIMIT, LONGEST_KEY_MIN_ITEMS, longest_key_share
from .files import Parsed
from .issues import Issues
from .links import LinkPolicy
from .questions import check_question, translated_answers
from .quizbank import Question
from .quizload import build_question
from .render import MarkdownRenderer
from .versions import NOT_TEXT
from .yamlsource import Doc, KeyPath


def translate_quiz(
    source: Parsed,
    bank: list[tuple[int, dict[str, Any]]],
    translation: Parsed,
    renderer: MarkdownRenderer,
    policy: LinkPolicy,
    issues: Issues,
) -> list[tuple[int, Question, str]]:
    """(index in the translation, translated Question, its text) for every good translated question."""
    doc, raw = translation.doc, translation.values.get("questions")
    if raw is None:
        return []
    if not isinstance(raw, list):
        doc.error(("questions",), 'field "questions" must be a list of translated questions')
        return []
    by_id = {fields["id"]: index for index, fields in bank}
    source_raw = source.doc.data["questions"]
    merged: dict[int, tuple[int, dict[str, Any]]] = {}  # source index -> (translation index, merged question)
    for t_index, item in enumerate(raw):
        where = ("questions", t_index)
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            doc.error(where, f"question {t_index + 1}: give the id of the source question it translates")
            continue
        s_index = by_id.get(item["id"])
        if s_index is None:
            hint = difflib.get_close_matches(item["id"], list(by_id), n=1)
            doc.error(where + ("id",), f'question "{item["id"]}" is not in {source.source.rel}' + _did_you_mean(hint))
            continue
        if s_index in merged:
            doc.error(where + ("id",), f'question "{item["id"]}" is translated twice')
            continue
        if "source_version" not in item:
            doc.error(where, f'question "{item["id"]}": field "source_version" is required (write pending)')
        body = {key: value for key, value in item.items() if key != "source_version"}
        result = _merge(source_raw[s_index], body, doc, where, f'question "{item["id"]}": ')
        if result is not None:
            merged[s_index] = (t_index, result)
    remapped = _remap(doc, merged, len(source_raw))
    view = Parsed(translation.source, translation.raw, remapped, translation.values)
    built: list[tuple[int, Question, str]] = []
    checked_bank = []
    for s_index, (t_index, question) in sorted(merged.items()):
        values = check_question(remapped, ("questions", s_index), question, s_index + 1)
        if values is None:
            continue
        checked_bank.append((s_index, values))
        built_question = build_question(view, s_index, values, renderer, policy, issues)
        built.append((t_index, built_question, "\n".join(texts_of(question))))
    _lint(translation, bank, checked_bank)
    return built


def _did_you_mean(hint: list[str]) -> str:
    return f' (did you mean "{hint[0]}"?)' if hint else ": use the id of a question of the source quiz"


def _merge(source: Any, translated: Any, doc: Doc, path: KeyPath, where: str) -> Any:
    """The source value with the translated texts laid over it; None after reporting a structural mismatch."""
    if isinstance(source, str):
        if not isinstance(translated, str) or not translated.strip():
            doc.error(path, f"{where}{_name(path)} must be text, as in the source")
            return None
        return translated
    if isinstance(source, list):
        if not isinstance(translated, list) or len(translated) != len(source):
            count = len(translated) if isinstance(translated, list) else "no"
            doc.error(
                path, f"{where}{_name(path)} has {count} items; the source has {len(source)}: same items, same order"
            )
            return None
        items = [_merge(s, t, doc, path + (i,), where) for i, (s, t) in enumerate(zip(source, translated, strict=True))]
        return None if any(item is None for item in items) else items
    if isinstance(source, dict):
        return _merge_mapping(source, translated, doc, path, where)
    doc.error(path, f"{where}{_name(path)} is not translated: remove it (it comes from the source)")
    return None


def _merge_mapping(source: dict, translated: Any, doc: Doc, path: KeyPath, where: str) -> dict | None:
    if not isinstance(translated, dict):
        doc.error(path, f"{where}{_name(path)} must be a set of fields, as in the source")
        return None
    result, good = copy.deepcopy(source), True
    for key, value in translated.items():
        if len(path) == 2 and key in translated_answers(source.get("type")):
            result[key] = _more_answers(source.get(key), value, doc, path + (key,), where)
            good = good and result[key] is not None
            continue
        if key == "id" or key in NOT_TEXT:
            if key == "id" and value != source.get("id"):
                doc.error(
                    path + (key,),
                    f'{where}id "{value}" does not match the source\'s "{source.get("id")}" here: '
                    "keep the source's ids in the source's order",
                )
                good = False
            elif key != "id" and value != source.get(key):  # a copy of the source's value is harmless
                doc.error(
                    path + (key,), f'{where}field "{key}" is not translated: remove it (it comes from the source)'
                )
                good = False
            continue
        if key not in source:
            hint = difflib.get_close_matches(str(key), [k for k in source if k not in NOT_TEXT], n=1)
            doc.error(
                path + (key,), f'{where}unknown field "{key}"' + (f' (did you mean "{hint[0]}"?)' if hint else "")
            )
            good = False
            continue
        merged = _merge(source[key], value, doc, path + (key,), where)
        good = good and merged is not None
        result[key] = merged
    if "id" in source and len(path) > 2 and "id" not in translated:
        doc.error(path, f'{where}give the id of this item ("{source["id"]}") as in the source')
        good = False
    for key, value in source.items():
        if key not in translated and key not in NOT_TEXT and key != "id" and isinstance(value, str):
            doc.issues.warn(doc.path, doc.line(path), f'{where}field "{key}" is not translated: the source text shows')
    return result if good else None


def _more_answers(source: Any, value: Any, doc: Doc, path: KeyPath, where: str) -> list | None:
    """A short-text question's answers in this language, accepted besides the source's (never instead)."""
    if not isinstance(value, list) or not value or not all(isinstance(item, str) and item.strip() for item in value):
        doc.error(path, f'{where}field "accept" must be a list of the answers accepted in this language')
        return None
    return list(dict.fromkeys([*(source or []), *value]))


def _name(path: KeyPath) -> str:
    named = [str(part) if isinstance(part, str) else f"item {part + 1}" for part in path[2:]]
    return f'field "{".".join(named)}"' if named else "the question"


def _remap(doc: Doc, merged: dict[int, tuple[int, dict]], size: int) -> Doc:
    """A view of the translation whose questions sit at their source index, lines kept, for the source checks."""
    lines, text_lines = dict(doc.lines), dict(doc.text_lines)
    source_index = {t_index: s_index for s_index, (t_index, _question) in merged.items()}
    for table, own in ((lines, doc.lines), (text_lines, doc.text_lines)):
        for keypath, line in own.items():  # one pass over the line table, not one per question
            if len(keypath) >= 2 and keypath[0] == "questions" and keypath[1] in source_index:
                table[("questions", source_index[keypath[1]], *keypath[2:])] = line
    questions: list[Any] = [None] * size
    for s_index, (_t_index, question) in merged.items():
        questions[s_index] = question
    return Doc(doc.path, {"questions": questions}, lines, doc.issues, doc.first_line, text_lines)


def texts_of(value: Any) -> list[str]:
    """Every string in a value, ids left out."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for key, item in value.items() if key != "id" and key not in NOT_TEXT for text in texts_of(item)]
    if isinstance(value, list):
        return [text for item in value for text in texts_of(item)]
    return []


def _lint(translation: Parsed, bank: list[tuple[int, dict[str, Any]]], translated: list[tuple[int, dict]]) -> None:
    """The length-cue rule on the bank as read in this language (translated questions over the source's)."""
    by_index = dict(bank) | dict(translated)
    longest, total = longest_key_share(sorted(by_index.items()))
    if total >= LONGEST_KEY_MIN_ITEMS and longest > LONGEST_KEY_LIMIT * total:
        translation.doc.error(
            ("questions",),
            f"in this language the correct option is the longest in {longest} of {total} single-choice questions "
            f"({100 * longest / total:.0f}%); at most {LONGEST_KEY_LIMIT:.0%} may be: balance the options' lengths",
        )
