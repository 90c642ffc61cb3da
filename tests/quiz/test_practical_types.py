"""The practical types' graders: empty, partial, tampered and unknown answers, and boundary scores."""

from __future__ import annotations

import random

import pytest
from werkzeug.datastructures import MultiDict

from greencustoms.content.loader import load_catalog
from greencustoms.quiz.draw import build_layout
from greencustoms.quiz.types import InvalidAnswer, get_type
from greencustoms.quiz.types.code_entry import normalise_code
from tests.conftest import FIXTURE_CONTENT

CATALOG = load_catalog(FIXTURE_CONTENT)
PRACTICE = CATALOG.quiz("demo-practice")
PAPERS, LABEL, CODE, CASE = (
    PRACTICE.question(i) for i in ("practice-papers", "practice-label", "practice-code", "practice-case")
)


def entry_of(question):
    return build_layout(PRACTICE, [question], random.Random(3))[0]


def parse(question, entry, fields, saved=None):
    return get_type(question.type).parse(entry, MultiDict(fields), saved)


def score(question, response):
    return get_type(question.type).score(question, response)


# --- code entry --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "typed, credit",
    [
        ("3915.10", 1.0),
        ("3915 10", 1.0),
        (" 391510 ", 1.0),
        ("3915-10", 1.0),
        ("3915.90", 0.5),
        ("3915", 0.5),
        ("39", 0.0),
        ("8471.30", 0.0),
        ("391510.00", 0.5),
    ],
)
def test_code_entry_normalises_and_gives_credit_by_level(typed, credit):
    """Spaces, dots and dashes do not matter; the heading right earns the level's credit; a chapter alone none."""
    entry = entry_of(CODE)
    assert score(CODE, parse(CODE, entry, {"a-practice-code": typed})) == credit


def test_code_entry_empty_tampered_and_too_long():
    """No answer is None and scores 0; two values, punctuation inside a code or a long text are refused."""
    entry = entry_of(CODE)
    assert parse(CODE, entry, {"a-practice-code": "  "}) is None and score(CODE, None) == 0.0
    for bad in (
        MultiDict([("a-practice-code", "3915"), ("a-practice-code", "3916")]),
        {"a-practice-code": "39;15"},
        {"a-practice-code": "1" * 41},
        {"a-practice-code": "<script>"},
    ):
        with pytest.raises(InvalidAnswer):
            get_type("code_entry").parse(entry, MultiDict(bad))
    assert score(CODE, 3915.10) == 0.0  # a stored value of the wrong kind earns nothing


def test_un_numbers_with_or_without_the_prefix():
    """ "UN 3077", "un3077" and "3077" are one UN number; a Basel entry keeps its letter."""
    assert normalise_code("UN 3077", "un") == normalise_code("un3077", "un") == normalise_code("3077", "un") == "3077"
    assert normalise_code("a 1180", "basel") == "A1180" and normalise_code("7439-97-6", "cas") == "7439976"


# --- hotspot -----------------------------------------------------------------------------------------------------
def marker_token(entry, marker_id):
    return next(token for token, shown in entry["markers"] if shown == marker_id)


def test_hotspot_right_wrong_and_both():
    """The right marker earns 1; a wrong one 0; the right one plus a wrong one 0 (guessing all earns nothing)."""
    entry = entry_of(LABEL)
    right, wrong = marker_token(entry, "panel"), marker_token(entry, "plate")
    assert score(LABEL, parse(LABEL, entry, {"a-practice-label": right})) == 1.0
    assert score(LABEL, parse(LABEL, entry, {"a-practice-label": wrong})) == 0.0
    both = parse(LABEL, entry, MultiDict([("a-practice-label", right), ("a-practice-label", wrong)]))
    assert score(LABEL, both) == 0.0
    every = MultiDict([("a-practice-label", token) for token, _id in entry["markers"]])
    assert score(LABEL, parse(LABEL, entry, every)) == 0.0


def test_hotspot_empty_and_tampered():
    """No marker is None; a token from elsewhere (or a marker id) is refused; unknown stored ids earn nothing."""
    entry = entry_of(LABEL)
    assert parse(LABEL, entry, {}) is None
    for bad in ("panel", "zzz"):
        with pytest.raises(InvalidAnswer):
            parse(LABEL, entry, {"a-practice-label": bad})
    assert score(LABEL, ["gone"]) == 0.0


# --- document check ----------------------------------------------------------------------------------------------
def doc_fields(entry, marks: dict[str, str | None]) -> MultiDict:
    """Form fields marking "document/field" keys, with the reason id picked (None: none)."""
    tokens = {key: token for token, key in entry["fields"]}
    reasons = {rid: token for token, rid in entry["reasons"]}
    form = MultiDict()
    for key, reason in marks.items():
        form.add("a-practice-papers", tokens[key])
        if reason:
            form.add(f"a-practice-papers-{tokens[key]}", reasons[reason])
    return form


@pytest.mark.parametrize(
    "marks, credit",
    [
        ({"movement/waste-code": "invalid", "lading/container": "mismatch"}, 1.0),
        ({"movement/waste-code": "invalid"}, 0.5),
        ({"movement/waste-code": "mismatch", "lading/container": "mismatch"}, 0.5),  # wrong reason: not found
        ({"movement/waste-code": "invalid", "movement/exporter": "mismatch"}, 0.0),  # one hit, one false alarm
        ({"movement/exporter": None, "lading/shipper": None}, 0.0),  # never below 0
        ({"movement/waste-code": None, "lading/container": None}, 0.0),  # found, but without the reason asked
    ],
)
def test_document_check_credit_is_flaws_found_minus_false_alarms(marks, credit):
    """Credit = (flaws found with their reason - false alarms) / flaws, never below 0."""
    entry = entry_of(PAPERS)
    assert score(PAPERS, parse(PAPERS, entry, doc_fields(entry, marks))) == credit


def test_document_check_marking_every_field_earns_nothing():
    """Ticking every box with every reason cannot pass."""
    entry = entry_of(PAPERS)
    form = MultiDict([("a-practice-papers", token) for token, _key in entry["fields"]])
    assert score(PAPERS, parse(PAPERS, entry, form)) == 0.0


def test_document_check_empty_tampered_and_reason_without_mark():
    """Nothing marked is None; an unknown field or reason token, or a reason for an unmarked box, is refused."""
    entry = entry_of(PAPERS)
    assert parse(PAPERS, entry, {}) is None and score(PAPERS, None) == 0.0 and score(PAPERS, "x") == 0.0
    token = entry["fields"][0][0]
    for bad in (
        {"a-practice-papers": "zzz"},
        {"a-practice-papers": token, f"a-practice-papers-{token}": "zzz"},
        {f"a-practice-papers-{token}": entry["reasons"][0][0]},
    ):
        with pytest.raises(InvalidAnswer):
            parse(PAPERS, entry, bad)
    assert score(PAPERS, {"gone/field": "", "movement/waste-code": "invalid"}) == 0.5  # unknown keys ignored


# --- scenario ----------------------------------------------------------------------------------------------------
def step_token(entry, step_id, choice_id):
    return next(token for token, cid, _next in entry["steps"][step_id] if cid == choice_id)


def test_scenario_builds_the_path_step_by_step_and_scores_it():
    """Each decision extends the stored path; the best path earns 1, a half-good path 0.5, a bad one 0."""
    entry, kind = entry_of(CASE), get_type("scenario")
    first = parse(CASE, entry, {"a-practice-case": step_token(entry, "arrival", "inspect")})
    assert first == [["arrival", "inspect"]] and not kind.is_answered(entry, first) and kind.holds_page(entry, first)
    second = parse(CASE, entry, {"a-practice-case": step_token(entry, "opened", "seize")}, first)
    assert second == [["arrival", "inspect"], ["opened", "seize"]] and kind.is_answered(entry, second)
    assert score(CASE, second) == 1.0 and not kind.holds_page(entry, second)
    assert score(CASE, [["arrival", "inspect"], ["opened", "fine"]]) == 0.5
    assert score(CASE, [["arrival", "release"]]) == 0.0 and score(CASE, None) == 0.0


def test_scenario_refuses_to_change_a_decided_step_or_to_skip_ahead():
    """A repeated decision is harmless; another choice at a decided step, a later step's choice, or an unknown
    token is refused; sending nothing keeps the path."""
    entry = entry_of(CASE)
    path = [["arrival", "inspect"]]
    assert parse(CASE, entry, {"a-practice-case": step_token(entry, "arrival", "inspect")}, path) == path
    assert parse(CASE, entry, {}, path) == path
    for token in (step_token(entry, "arrival", "release"), "zzz"):
        with pytest.raises(InvalidAnswer):
            parse(CASE, entry, {"a-practice-case": token}, path)
    with pytest.raises(InvalidAnswer):
        parse(CASE, entry, {"a-practice-case": step_token(entry, "opened", "seize")})  # skipping the first step


def test_scenario_path_that_no_longer_fits_earns_what_it_earned():
    """A stored path with a step that does not follow is scored up to there (tampered or changed content)."""
    assert score(CASE, [["arrival", "inspect"], ["arrival", "inspect"]]) == 0.5
    assert score(CASE, [["opened", "seize"]]) == 0.0
