"""The question-type contract: a type is one module plus registration, and every registered type has each part."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from jinja2 import ChoiceLoader, FileSystemLoader
from markupsafe import escape
from werkzeug.datastructures import MultiDict

from greencustoms.content.loader import load_catalog
from greencustoms.content.schema import Rule, text
from greencustoms.quiz.stats import item_statistics
from greencustoms.quiz.types import REGISTRY, QuestionType
from greencustoms.quiz.types.base import InvalidAnswer
from tests.conftest import FIXTURE_CONTENT, csrf_token
from tests.quiz.helpers import load, start, submit, take_url
from tests.quiz.test_content_change import sign_in_again

REQUIRED = ("build", "key_response", "parse", "score", "widget", "key_lines")  # no usable default for these


def missing_parts(kind: QuestionType) -> list[str]:
    """The parts a type must define itself but inherits from the base class."""
    return [part for part in REQUIRED if getattr(type(kind), part) is getattr(QuestionType, part)]


TEMPLATES = FIXTURE_CONTENT.parent / "templates"


class Stamp(QuestionType):
    """A throwaway type: the learner types the word stamped on a crate; full credit for the exact word."""

    name = "stamp"
    label = "stamp"
    fields = {"stamp": Rule("the word stamped on the crate", text, required=True)}

    def build(self, values: dict[str, Any], builder) -> dict[str, Any]:
        return {"data": {"stamp": values.get("stamp") or ""}}

    def key_response(self, question):
        return question.data["stamp"]

    def parse(self, entry, form: MultiDict, saved: Any = None):
        value = (form.get(f"a-{entry['id']}") or "").strip()
        if len(value) > 20:
            raise InvalidAnswer(entry["id"], "too long")
        return value or None

    def score(self, question, response) -> float:
        return 1.0 if response == question.data["stamp"] else 0.0

    def widget(self, question, entry, response):
        return {"value": response or ""}

    def key_lines(self, question):
        return [escape(question.data["stamp"])]

    def tally(self, response):
        return [str(response)]


STAMP_ITEM = """  - id: practice-stamp
    type: stamp
    prompt: Which word is stamped on the crate?
    stamp: FRAGILE
    explanation: The crate says FRAGILE.
    reference: "Test suite"
    tags: {mea: basel, topic: stamps, difficulty: easy}
"""


@pytest.fixture
def stamp_type():
    """Register the throwaway type for one test, then remove it."""
    REGISTRY["stamp"] = Stamp()
    yield REGISTRY["stamp"]
    del REGISTRY["stamp"]


def test_every_registered_type_has_every_part(app):
    """Each type defines its fields, catalog data, key, parsing, grading, widget (a template with a `widget`
    macro), key lines and says what GIFT maps to it (None when GIFT has no such question)."""
    with app.app_context():
        for name, kind in REGISTRY.items():
            assert not missing_parts(kind), f"{name} lacks {missing_parts(kind)}"
            assert kind.label and isinstance(kind.fields, dict) and kind.fields, name
            assert "gift" in {k for cls in type(kind).__mro__[:-2] for k in vars(cls)}, f"{name} says nothing of GIFT"
            assert callable(app.jinja_env.get_template(kind.template_name).module.widget), name


def test_a_type_without_a_part_fails_the_contract():
    """The contract check is not vacuous: a type that forgot its grader or its key is named."""

    class Forgetful(QuestionType):
        name = "forgetful"
        label = "forgetful"
        fields = {"x": Rule("x", text)}
        build = Stamp.build
        widget = Stamp.widget
        parse = Stamp.parse

    assert missing_parts(Forgetful()) == ["key_response", "score", "key_lines"]
    assert missing_parts(Stamp()) == []


def test_every_registered_type_keeps_its_key_on_load():
    """The fixture content has a question of every registered type, and each one's key earns full credit
    after loading: a type whose build dropped the key would fail here (and at load time)."""
    catalog = load_catalog(FIXTURE_CONTENT)
    questions = [question for quiz in catalog.quizzes.values() for question in quiz.questions]
    for name, kind in REGISTRY.items():
        ours = [question for question in questions if question.type == name]
        assert ours, f"no fixture question of type {name}"
        for question in ours:
            assert kind.score(question, kind.key_response(question)) == 1.0, question.id
            assert kind.key_lines(question), question.id


def test_a_type_that_loses_its_key_is_refused_at_load(stamp_type, edited_content, monkeypatch):
    """A build that drops the answer key makes `content check` fail at the question's line."""
    root = edited_content({"quizzes/demo-practice.yaml": [("questions:\n", "questions:\n" + STAMP_ITEM)]})
    monkeypatch.setattr(Stamp, "build", lambda self, values, builder: {})
    with pytest.raises(Exception) as raised:
        load_catalog(root)
    assert 'question "practice-stamp": the answer key does not earn full credit' in str(raised.value)


def test_a_type_registered_from_the_tests_works_end_to_end(app, stamp_type, other_app, edited_content, auth):
    """Registering is the only step: the throwaway type loads, renders, autosaves, grades 1 and 0, reviews and
    tallies through the real pages."""
    root = edited_content(
        {"quizzes/demo-practice.yaml": [("questions:\n", "questions:\n" + STAMP_ITEM), ("draw: 4", "draw: 5")]}
    )
    auth.create()
    edited, client = sign_in_again(other_app, root)
    edited.jinja_env.loader = ChoiceLoader([edited.jinja_env.loader, FileSystemLoader(str(TEMPLATES))])
    slug = "demo-practice"
    for answer, credit in (("FRAGILE", 1.0), ("fragile", 0.0)):
        attempt_id = start(client, slug)
        page = client.get(take_url(slug, attempt_id)).get_data(as_text=True)
        assert "data-stamp-widget" in page and "FRAGILE" not in page
        token = csrf_token(client, "/")
        saved = client.post(
            take_url(slug, attempt_id, "/autosave"),
            json={"revision": 0, "shown": ["practice-stamp"], "fields": {"a-practice-stamp": answer}},
            headers={"X-CSRFToken": token},
        )
        assert saved.status_code == 200, saved.get_json()
        row = load(edited, attempt_id)
        assert row.answers == {"practice-stamp": answer}
        assert submit(client, slug, attempt_id, row.revision).status_code == 303
        assert load(edited, attempt_id).results["practice-stamp"] == credit
        review = client.get(take_url(slug, attempt_id, "/result")).get_data(as_text=True)
        assert f"<li>{answer}</li>" in review and "<li>FRAGILE</li>" in review
    with edited.app_context():
        stats = item_statistics(slug)["practice-stamp"]
        assert stats.distribution == {"FRAGILE": 1, "fragile": 1} and stats.mean_score == 0.5


def test_no_production_file_names_a_type_outside_its_module():
    """Adding a type touches no shared table: the loader, review, stats and analysis name no type."""
    import greencustoms.content.quizload as quizload
    import greencustoms.quiz.review as review
    import greencustoms.quiz.stats as stats
    import greencustoms.workshops.analysis as analysis

    for module in (quizload, review, stats, analysis):
        source = inspect.getsource(module)
        for name in REGISTRY:
            assert f'"{name}"' not in source, f"{module.__name__} names the type {name}"


def test_the_gift_import_writes_only_types_that_declare_a_gift_mapping():
    """The types the GIFT converter produces are exactly those whose module declares a GIFT mapping, and a
    converted question of a type without one is reported, not written."""
    from greencustoms.quiz.gift import GiftQuestion, GiftResult, parse_gift
    from greencustoms.quiz.giftyaml import build_quiz

    sample = (
        "::a::Q? {=yes ~no}\n\n::b::Q? {T}\n\n::c::Q? {=x =y}\n\n::d::Q? {=a -> b =c -> d =e -> f}\n\n::e::Q? {#3:1}\n"
    )
    produced = {question.fields["type"] for question in parse_gift(sample).questions}
    produced.add("multiple")  # "{~%50%a ~%50%b ~c}"
    declared = {name for name, kind in REGISTRY.items() if kind.gift}
    assert produced == declared
    stray = GiftResult(questions=[GiftQuestion(7, None, None, {"type": "scenario", "prompt": "Q"})])
    quiz, problems = build_quiz(
        stray, quiz_slug="q", owner={"module": "m"}, title="T", pass_mark=70, mea="basel", source="f.gift"
    )
    assert quiz["questions"] == [] and problems[0].line == 7 and "scenario" in problems[0].message
