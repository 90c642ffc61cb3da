"""The practical types through the real pages: render without the key, autosave, resume, step, submit, review."""

from __future__ import annotations

import re

from tests.conftest import csrf_token
from tests.quiz.helpers import load, post_page, start, submit, take_url

SLUG = "demo-practice"
TEXT_SECRETS = (  # never anywhere on a take page
    "Untested CRT",
    "container number differs",
    "A1180",
    "3915",
    "391510",
    "orange panel carries",
    "Right. A red flag",
    "A fine does not stop",
    "Undeclared hazardous waste",
)
ID_SECRETS = {  # never in an attribute (ids of markers, fields, reasons, steps and choices)
    "diamond-white",
    "diamond-orange",
    "panel",
    "plate",
    "waste-code",
    "container",
    "movement",
    "lading",
    "mismatch",
    "invalid",
    "arrival",
    "opened",
    "inspect",
    "release",
    "seize",
    "fine",
    "released",
    "seized",
}
ATTRIBUTE = re.compile(r"\s[\w:-]+=\"([^\"]*)\"")


def entry(row, question_id):
    return next(e for e in row.layout if e["id"] == question_id)


def step_token(layout_entry, step_id, choice_id):
    return next(token for token, cid, _next in layout_entry["steps"][step_id] if cid == choice_id)


def shown(row) -> list[str]:
    return [e["id"] for e in row.layout]


def test_no_practical_page_carries_the_key(app, client, learner):
    """The take page of every new type (and after a step, the next step) names no flaw, marker, code, reason,
    step or choice id, score or consequence, in text, attributes or scripts."""
    attempt_id = start(client, SLUG)
    row = load(app, attempt_id)
    pages = [client.get(take_url(SLUG, attempt_id)).get_data(as_text=True)]
    case = entry(row, "practice-case")
    post_page(
        client,
        SLUG,
        attempt_id,
        {
            "revision": "0",
            "shown": ["practice-case"],
            "go": "stay",
            "a-practice-case": step_token(case, "arrival", "inspect"),
        },
    )
    pages.append(client.get(take_url(SLUG, attempt_id)).get_data(as_text=True))
    for page in pages:
        body = page[page.index("<main") :]
        for secret in TEXT_SECRETS:
            assert secret not in body, secret
        values = " ".join(ATTRIBUTE.findall(body))
        for secret in ID_SECRETS:
            assert not re.search(rf"(?<![\w-]){secret}(?![\w-])", values), secret
        assert "correct" not in values and "flaw" not in values and "points" not in values
        assert not re.search(r"<script(?![^>]*\bsrc=)", body), "inline script"
        assert "MSKU 1234565" in body and "Marker 4" in body and "/media/quizzes/container-door.svg" in body


def test_scenario_is_played_one_step_per_page_and_resumes(app, client, learner):
    """A decision keeps the learner on the page with the next step; leaving and coming back shows the same
    step; the last decision ends the case and the page moves on; the path is stored on the attempt."""
    attempt_id = start(client, SLUG)
    row = load(app, attempt_id)
    case = entry(row, "practice-case")
    first = client.get(take_url(SLUG, attempt_id)).get_data(as_text=True)
    assert "The container is at the terminal" in first and "Inside are bald tyres" not in first
    decided = post_page(
        client,
        SLUG,
        attempt_id,
        {"revision": "0", "shown": shown(row), "go": "next", "a-practice-case": step_token(case, "arrival", "inspect")},
    )
    assert decided.status_code == 303 and decided.headers["Location"].endswith(take_url(SLUG, attempt_id) + "?page=1")
    assert load(app, attempt_id).answers == {"practice-case": [["arrival", "inspect"]]}
    client.get(f"/quizzes/{SLUG}")
    again = client.get(take_url(SLUG, attempt_id)).get_data(as_text=True)
    assert "Inside are bald tyres" in again and "The container is at the terminal" not in again
    stale_choice = post_page(
        client,
        SLUG,
        attempt_id,
        {
            "revision": "1",
            "shown": ["practice-case"],
            "go": "stay",
            "a-practice-case": step_token(case, "arrival", "release"),
        },
    )
    assert stale_choice.status_code == 400 and "already decided" in stale_choice.get_data(as_text=True)
    moved_on = post_page(client, SLUG, attempt_id, {"revision": "1", "shown": ["practice-case"], "go": "review"})
    assert moved_on.headers["Location"].endswith("/submit"), "a save without a decision never holds the page"
    finished = post_page(
        client,
        SLUG,
        attempt_id,
        {
            "revision": "1",
            "shown": ["practice-case"],
            "go": "next",
            "a-practice-case": step_token(case, "opened", "fine"),
        },
    )
    assert finished.status_code == 303 and finished.headers["Location"].endswith("/submit")
    assert load(app, attempt_id).answers["practice-case"] == [["arrival", "inspect"], ["opened", "fine"]]
    assert "This case is finished" in client.get(take_url(SLUG, attempt_id)).get_data(as_text=True)


def autosave(client, attempt_id, revision, question_id, fields):
    return client.post(
        take_url(SLUG, attempt_id, "/autosave"),
        json={"revision": revision, "shown": [question_id], "fields": fields},
        headers={"X-CSRFToken": csrf_token(client, "/")},
    )


def test_autosave_resume_and_review_of_the_practical_types(app, client, learner):
    """Autosaved marks, marker and code come back checked on the page; the graded review shows each flaw and
    why, the marker, the code levels, and the path taken beside the best path with each consequence."""
    attempt_id = start(client, SLUG)
    row = load(app, attempt_id)
    papers, label = entry(row, "practice-papers"), entry(row, "practice-label")
    token = {key: tok for tok, key in papers["fields"]}
    reason = {rid: tok for tok, rid in papers["reasons"]}
    marks = {
        "a-practice-papers": [token["movement/waste-code"], token["lading/goods"]],
        f"a-practice-papers-{token['movement/waste-code']}": reason["invalid"],
    }
    assert autosave(client, attempt_id, 0, "practice-papers", marks).status_code == 200
    marker = next(tok for tok, mid in label["markers"] if mid == "panel")
    assert autosave(client, attempt_id, 1, "practice-label", {"a-practice-label": marker}).status_code == 200
    assert autosave(client, attempt_id, 2, "practice-code", {"a-practice-code": "3915.90"}).status_code == 200
    bad = autosave(client, attempt_id, 3, "practice-code", {"a-practice-code": "39;15"})
    assert bad.status_code == 400 and load(app, attempt_id).answers["practice-code"] == "3915.90"
    page = client.get(take_url(SLUG, attempt_id)).get_data(as_text=True)
    assert re.search(rf'value="{token["movement/waste-code"]}" checked', page)
    assert re.search(rf'value="{marker}" checked', page) and 'value="3915.90"' in page
    assert re.search(rf'<option value="{reason["invalid"]}" selected>', page)
    case = entry(row, "practice-case")
    for revision, (step, choice) in enumerate((("arrival", "inspect"), ("opened", "fine")), start=3):
        post_page(
            client,
            SLUG,
            attempt_id,
            {
                "revision": str(revision),
                "shown": ["practice-case"],
                "go": "stay",
                "a-practice-case": step_token(case, step, choice),
            },
        )
    graded = load(app, attempt_id)
    assert submit(client, SLUG, attempt_id, graded.revision).status_code == 303
    results = load(app, attempt_id).results
    assert results == {"practice-papers": 0.0, "practice-label": 1.0, "practice-code": 0.5, "practice-case": 0.5}
    review = client.get(take_url(SLUG, attempt_id, "/result")).get_data(as_text=True)
    assert "Untested CRT monitors are A1180" in review and "container number differs" in review
    assert "False alarm: Bill of lading: Description of goods" in review
    assert "Marker 4" in review and "3915.10" in review and "first 4 characters" in review
    taken = review.index("A fine does not stop")
    assert "Right. A red flag" in review and "Right. Undeclared hazardous waste" in review[taken:]


def test_item_analysis_of_the_practical_types(app, client, learner):
    """Per-field hits and false alarms, markers picked, codes given and paths taken, from graded attempts."""
    from greencustoms.content import get_catalog
    from greencustoms.quiz.stats import item_statistics
    from greencustoms.quiz.types import get_type

    attempt_id = start(client, SLUG)
    row = load(app, attempt_id)
    papers, label, case = entry(row, "practice-papers"), entry(row, "practice-label"), entry(row, "practice-case")
    token = {key: tok for tok, key in papers["fields"]}
    form = {
        "revision": "0",
        "shown": shown(row),
        "go": "stay",
        "a-practice-papers": [token["lading/container"], token["movement/exporter"]],
        "a-practice-label": next(tok for tok, mid in label["markers"] if mid == "plate"),
        "a-practice-code": "un 39.15.90",
        "a-practice-case": step_token(case, "arrival", "release"),
    }
    assert post_page(client, SLUG, attempt_id, form).status_code == 303
    assert submit(client, SLUG, attempt_id, load(app, attempt_id).revision).status_code == 303
    with app.test_request_context():
        stats = item_statistics(SLUG)
        quiz = get_catalog().quiz(SLUG)
        rows = {
            qid: get_type(quiz.question(qid).type).analysis(quiz.question(qid), stats[qid].distribution)
            for qid in stats
        }
    assert stats["practice-papers"].distribution == {"lading/container": 1, "movement/exporter": 1}
    assert stats["practice-label"].distribution == {"plate": 1}
    assert stats["practice-code"].distribution == {"UN391590": 1}
    assert stats["practice-case"].distribution == {"arrival:release": 1}
    papers_rows = {str(label_): (count, flaw) for label_, count, flaw in rows["practice-papers"]}
    assert papers_rows["Bill of lading: Container no. (MSCU 7788991) · flaw: hits"] == (1, True)
    assert papers_rows[
        "Movement document (Basel Convention): 2. Exporter (Eko Trading Ltd, Hamburg, Germany) · sound: false alarms"
    ] == (1, False)
    assert [(str(a), b, c) for a, b, c in rows["practice-label"]][2:] == [("Marker 3", 1, False), ("Marker 4", 0, True)]
    assert [(str(a), b, c) for a, b, c in rows["practice-code"]] == [("UN391590", 1, False)]
