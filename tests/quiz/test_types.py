"""Question types: each grader, its parsing of submitted fields (empty, extra, tampered) and boundary scores."""

from __future__ import annotations

import random
from dataclasses import replace
from types import MappingProxyType

import pytest
from werkzeug.datastructures import MultiDict

from greencustoms.content import Option, Question, Quiz
from greencustoms.quiz.grading import attempt_score, grade_attempt, read_responses
from greencustoms.quiz.types import TEXT_LIMIT, InvalidAnswer, get_type, normalise_text, parse_number

TAGS = MappingProxyType({"mea": "basel", "topic": "t", "difficulty": "easy"})


def make(kind: str, **fields) -> Question:
    return Question(
        id="q1",
        type=kind,
        prompt_html="<p>?</p>",
        explanation_html="",
        reference="r",
        tags=TAGS,
        version="v1",
        **fields,
    )


SINGLE = make("single", options=(Option("a", "A", True), Option("b", "B", False, "<p>No: B is wrong.</p>")))
MULTIPLE = make(
    "multiple",
    options=(Option("a", "A", True), Option("b", "B", True), Option("c", "C", False), Option("d", "D", False)),
)
TRUE_FALSE = make("true_false", answer=False)
NUMERIC = make("numeric", answer=12500.0, tolerance=1.0, unit="kg")
SHORT = make("short_text", accept=("prior informed consent", "PIC"))
MATCHING = make("matching", pairs=(("Notification", "Exporter"), ("Movement document", "Carrier"), ("Permit", "State")))
ORDERING = make("ordering", items=("Notify", "Consent", "Ship", "Confirm"))


def present(question: Question) -> dict:
    counter = iter(range(1000))
    entry = {"id": question.id, "v": question.version, "type": question.type}
    entry.update(get_type(question.type).present(question, lambda: f"t{next(counter)}", random.Random(3), True))
    return entry


def token_of(entry: dict, value: str, key: str = "options") -> str:
    return next(token for token, shown in entry[key] if shown == value)


def parse(question: Question, fields: dict):
    entry = present(question)
    return get_type(question.type).parse(entry, MultiDict(fields(entry) if callable(fields) else fields))


@pytest.mark.parametrize("option_id, credit", [("a", 1.0), ("b", 0.0)])
def test_single_choice_scores_the_correct_option_only(option_id, credit):
    """Single choice: full credit for the correct option, none for another."""
    response = parse(SINGLE, lambda e: {"a-q1": token_of(e, option_id)})
    assert response == option_id and get_type("single").score(SINGLE, response) == credit


def test_single_choice_empty_tampered_and_repeated():
    """No answer is None (scores 0); an unknown token or two values are refused with a message."""
    assert parse(SINGLE, {}) is None and get_type("single").score(SINGLE, None) == 0.0
    assert parse(SINGLE, {"a-q1": "  "}) is None
    with pytest.raises(InvalidAnswer, match="q1") as error:
        parse(SINGLE, {"a-q1": "a"})  # the option id itself is not a token
    assert "not recognised" in str(error.value.message)
    with pytest.raises(InvalidAnswer):
        parse(SINGLE, lambda e: MultiDict([("a-q1", token_of(e, "a")), ("a-q1", token_of(e, "b"))]))


@pytest.mark.parametrize(
    "chosen, credit",
    [("ab", 1.0), ("a", 0.5), ("ac", 0.0), ("abc", 0.5), ("abcd", 0.0), ("cd", 0.0), ("", 0.0)],
)
def test_multiple_choice_partial_credit(chosen, credit):
    """Multiple choice: (correct chosen - wrong chosen) / number correct, never below 0."""
    response = parse(MULTIPLE, lambda e: MultiDict([("a-q1", token_of(e, c)) for c in chosen]))
    assert get_type("multiple").score(MULTIPLE, response) == credit
    assert (response is None) == (chosen == "")


def test_multiple_choice_refuses_an_extra_unknown_token():
    """One unknown token among valid ones refuses the whole answer."""
    with pytest.raises(InvalidAnswer):
        parse(MULTIPLE, lambda e: MultiDict([("a-q1", token_of(e, "a")), ("a-q1", "forged")]))


def test_true_false_uses_tokens_and_scores():
    """True/false values travel as tokens; the right one scores 1, the other 0, none 0."""
    kind = get_type("true_false")
    assert parse(TRUE_FALSE, lambda e: {"a-q1": token_of(e, "false")}) is False
    assert kind.score(TRUE_FALSE, False) == 1.0 and kind.score(TRUE_FALSE, True) == 0.0
    assert kind.score(TRUE_FALSE, None) == 0.0
    with pytest.raises(InvalidAnswer):
        parse(TRUE_FALSE, {"a-q1": "false"})


@pytest.mark.parametrize(
    "typed, value", [("12500", 12500.0), ("12 500", 12500.0), ("12,5", 12.5), (" -3.25 ", -3.25), ("1e3", 1000.0)]
)
def test_numeric_reads_numbers_as_people_write_them(typed, value):
    """Spaces as thousands separators and a decimal comma are understood."""
    assert parse_number(typed) == value


@pytest.mark.parametrize("typed", ["abc", "12,500", "1.2.3", "1,2.3", "1e999", "nan", "12kg", "x" * 60])
def test_numeric_refuses_what_is_not_one_number(typed):
    """Words, ambiguous commas, overflow and over-long input are refused with a message, never a crash."""
    with pytest.raises(InvalidAnswer) as error:
        parse(NUMERIC, {"a-q1": typed})
    assert error.value.question_id == "q1" and str(error.value.message)


@pytest.mark.parametrize("value, credit", [(12500, 1.0), (12501, 1.0), (12499, 1.0), (12501.01, 0.0), (0, 0.0)])
def test_numeric_tolerance_includes_both_ends(value, credit):
    """Within answer ± tolerance (ends included) earns full credit; outside none."""
    assert get_type("numeric").score(NUMERIC, float(value)) == credit


def test_numeric_empty_is_unanswered():
    """An empty box is no answer (score 0), not an error."""
    assert parse(NUMERIC, {"a-q1": ""}) is None and get_type("numeric").score(NUMERIC, None) == 0.0


@pytest.mark.parametrize(
    "typed, credit",
    [
        ("Prior Informed Consent", 1.0),
        ("  prior   informed\tconsent. ", 1.0),
        ("«pic»", 1.0),
        ("PIC!", 1.0),
        ("prior consent", 0.0),
        ("prior-informed consent", 0.0),
    ],
)
def test_short_text_ignores_case_spacing_and_surrounding_punctuation(typed, credit):
    """Accepted answers match whatever the capitals, runs of spaces and punctuation around the answer."""
    assert get_type("short_text").score(SHORT, parse(SHORT, {"a-q1": typed})) == credit


def test_short_text_keeps_accents_and_limits_length():
    """Accents count; text over the limit is refused; control characters are dropped."""
    assert normalise_text("Résumé") != normalise_text("resume")
    with pytest.raises(InvalidAnswer, match="q1"):
        parse(SHORT, {"a-q1": "a" * (TEXT_LIMIT + 1)})
    assert parse(SHORT, {"a-q1": "a" * TEXT_LIMIT}) == "a" * TEXT_LIMIT
    assert parse(SHORT, {"a-q1": "PIC\x00\x07"}) == "PIC"


def test_matching_gives_credit_per_pair():
    """Matching: correct pairs / pairs; unmatched rows count wrong; an unknown choice token is refused."""

    def fields(entry, mapping):
        rows = {left: token for token, left in entry["rows"]}
        return {f"a-q1-{rows[left]}": token_of(entry, right, "choices") for left, right in mapping.items()}

    kind = get_type("matching")
    all_right = parse(MATCHING, lambda e: fields(e, dict(MATCHING.pairs)))
    assert kind.score(MATCHING, all_right) == 1.0 and kind.is_answered(present(MATCHING), all_right)
    two = parse(MATCHING, lambda e: fields(e, {"Notification": "Exporter", "Movement document": "Carrier"}))
    assert kind.score(MATCHING, two) == pytest.approx(2 / 3) and not kind.is_answered(present(MATCHING), two)
    swapped = parse(MATCHING, lambda e: fields(e, {"Notification": "Carrier", "Movement document": "Exporter"}))
    assert kind.score(MATCHING, swapped) == 0.0
    assert parse(MATCHING, {}) is None
    with pytest.raises(InvalidAnswer):
        parse(MATCHING, lambda e: {f"a-q1-{e['rows'][0][0]}": "forged"})


def test_ordering_gives_credit_per_item_in_place():
    """Ordering: share of items at their correct position; a repeated position cannot earn more."""

    def fields(entry, positions):
        return {f"a-q1-{token}": str(positions[item]) for token, item in entry["items"] if item in positions}

    kind = get_type("ordering")
    exact = parse(ORDERING, lambda e: fields(e, {"Notify": 1, "Consent": 2, "Ship": 3, "Confirm": 4}))
    assert kind.score(ORDERING, exact) == 1.0
    swapped = parse(ORDERING, lambda e: fields(e, {"Notify": 2, "Consent": 1, "Ship": 3, "Confirm": 4}))
    assert kind.score(ORDERING, swapped) == 0.5
    all_first = parse(ORDERING, lambda e: fields(e, dict.fromkeys(ORDERING.items, 1)))
    assert kind.score(ORDERING, all_first) == 0.25
    for bad in ("0", "5", "two", "-1"):
        with pytest.raises(InvalidAnswer):
            parse(ORDERING, lambda e, bad=bad: {f"a-q1-{e['items'][0][0]}": bad})


def test_matching_and_ordering_always_shuffle_the_answer_side():
    """Right-hand items and ordering items appear in varying orders over many attempts (no fixed key order)."""
    orders = set()
    for seed in range(30):
        rng = random.Random(seed)
        entry = get_type("ordering").present(ORDERING, lambda: "t", rng, False)
        orders.add(tuple(item for _t, item in entry["items"]))
    assert len(orders) > 5


def quiz_of(*questions: Question, pass_mark: int = 70) -> Quiz:
    return Quiz(
        slug="q",
        title="Q",
        module_slug=None,
        course_slug=None,
        pass_mark=pass_mark,
        draw=len(questions),
        balance_by=None,
        shuffle_questions=False,
        shuffle_options=False,
        max_attempts=None,
        wait_minutes=0,
        time_limit_minutes=None,
        grace_seconds=0,
        review_show="score",
        review_when="immediately",
        questions=questions,
        version="x",
    )


def test_attempt_score_rounds_and_exactly_the_pass_mark_passes():
    """Score = sum / count * 100 to 2 decimals; a score equal to the pass mark passes, just below fails."""
    assert attempt_score([1, 1, 0]) == 66.67 and attempt_score([]) == 0.0
    quiz = quiz_of(*(replace(make("true_false", answer=True), id=f"q{i}") for i in range(10)))
    layout = [{"id": f"q{i}", "v": "v1", "type": "true_false"} for i in range(10)]
    seven = grade_attempt(quiz, layout, {f"q{i}": True for i in range(7)}, 70)
    assert (seven.score, seven.passed) == (70.0, True)
    six = grade_attempt(quiz, layout, {f"q{i}": True for i in range(6)}, 70)
    assert (six.score, six.passed) == (60.0, False)
    partial = grade_attempt(quiz_of(MULTIPLE), [present(MULTIPLE)], {"q1": ["a"]}, 50)
    assert (partial.score, partial.passed, partial.results) == (50.0, True, {"q1": 0.5})


def test_read_responses_refuses_fields_and_questions_outside_the_attempt():
    """A field of no shown question, or a shown id not drawn in the attempt, is an error, not an exception."""
    quiz = quiz_of(SINGLE)
    layout = [present(SINGLE)]
    good = read_responses(quiz, layout, MultiDict({"shown": "q1", "a-q1": token_of(layout[0], "a")}))
    assert good.answers == {"q1": "a"} and not good.errors
    extra = read_responses(quiz, layout, MultiDict({"shown": "q1", "a-q2": "x"}))
    assert None in extra.errors
    foreign = read_responses(quiz, layout, MultiDict({"shown": "other"}))
    assert None in foreign.errors and not foreign.answers
    tampered = read_responses(quiz, layout, MultiDict({"shown": "q1", "a-q1": "zz"}))
    assert "q1" in tampered.errors and "q1" not in tampered.answers
