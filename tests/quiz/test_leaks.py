"""No leaks: nothing in a take page tells which option is correct before the review policy allows it."""

from __future__ import annotations

import re

from greencustoms.content import get_catalog
from tests.conftest import AuthActions
from tests.quiz.helpers import BASICS, load, start, submit, take_url

INPUT = re.compile(r"<input [^>]*>")
OPTION = re.compile(r"<option [^>]*>")


def collect_pages(client, attempt_id) -> str:
    return "".join(client.get(take_url(BASICS, attempt_id) + f"?page={n}").get_data(as_text=True) for n in (1, 2))


def test_take_pages_carry_no_mark_of_the_correct_answers(other_app, edited_content):
    """Over 25 shuffled attempts: option values are fresh opaque tokens, correct and wrong options have identical
    markup, the correct option moves around, and no key, feedback or explanation text is on the page."""
    root = edited_content(
        {
            "quizzes/demo-basics.yaml": [
                (
                    "shuffle_questions: false\nshuffle_options: false\n",
                    "shuffle_questions: true\nshuffle_options: true\n",
                )
            ]
        }
    )
    app = other_app(CONTENT_ROOT=str(root))
    client = app.test_client()
    auth = AuthActions(app, client)
    auth.create()
    auth.login()
    with app.app_context():
        quiz = get_catalog().quizzes[BASICS]
    secrets = ["correct", 'value="60"', "prior informed consent"]
    for question in quiz.questions:
        secrets += [question.explanation_html, *(o.feedback_html for o in question.options if o.feedback_html)]
    correct_tokens, correct_positions, question_orders = set(), set(), set()
    for _ in range(25):
        attempt_id = start(client)
        row = load(app, attempt_id)
        html = collect_pages(client, attempt_id)
        assert not [secret for secret in secrets if secret.lower() in html.lower()]
        layout = {entry["id"]: entry for entry in row.layout}
        question_orders.add(tuple(layout))
        single = layout["basics-single"]["options"]
        tokens = {
            token
            for entry in row.layout
            for key in ("options", "choices", "items", "rows")
            for token, _value in entry.get(key, [])
        }
        for tag in INPUT.findall(html) + OPTION.findall(html):
            value = re.search(r'value="([^"]*)"', tag)
            if value and ('name="a-' in tag or tag.startswith("<option")) and not value.group(1).isdigit():
                assert value.group(1) in tokens or value.group(1) == "" or 'type="text"' in tag, tag
        single_tags = [tag for tag in INPUT.findall(html) if 'name="a-basics-single"' in tag]
        shapes = {tag.replace(token, "TOKEN") for tag in single_tags for token, _id in single if token in tag}
        assert len(shapes) == 1, shapes
        correct = next(token for token, option_id in single if option_id == "a")
        assert correct not in correct_tokens
        correct_tokens.add(correct)
        correct_positions.add([token for token, _id in single].index(correct))
        submit(client, BASICS, attempt_id, row.revision)
    assert correct_positions == {0, 1}
    assert len(question_orders) > 5


def test_token_values_never_equal_option_ids_or_values(app, client, learner):
    """Option ids ("a", "b") and true/false words never appear as input values on the take page."""
    attempt_id = start(client)
    html = collect_pages(client, attempt_id)
    tags = [tag for tag in INPUT.findall(html) if 'name="a-' in tag]
    values = {match for tag in tags for match in re.findall(r'value="([^"]*)"', tag)}
    assert values and not values & {"a", "b", "c", "true", "false", "0", "1"}
