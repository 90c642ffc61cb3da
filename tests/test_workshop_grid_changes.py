"""The live grid's refresh: only what changed since the page's version, the whole table when rows came or went
or something appeared with an old time stamp, nothing (204) when nothing changed; trainers of the workshop only;
the same number of queries for 5 and 200 participants."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from greencustoms.content import get_catalog
from greencustoms.extensions import db
from greencustoms.models import LessonProgress, User, Workshop, WorkshopParticipant, utcnow
from greencustoms.workshops.gridchanges import current_version
from tests.conftest import recorded_statements
from tests.workshopkit import add_attempt, add_participants, make_workshop, signed_in

BASICS = "demo-basics"


@pytest.fixture
def trainer(app):
    return signed_in(app, role="trainer", email="trainer@example.org", name="Tess Trainer")


def _version_at(app, workshop_id: int, minutes_ago: float) -> str:
    """The version a page made `minutes_ago` would carry."""
    with app.test_request_context():
        workshop = db.session.get(Workshop, workshop_id)
        return str(current_version(workshop, get_catalog(), utcnow() - timedelta(minutes=minutes_ago)))


def _complete_first_lesson(app, user_id: int, minutes_ago: float = 1) -> None:
    with app.app_context():
        _module, lesson = get_catalog().lesson_sequence("demo")[0]
        db.session.add(
            LessonProgress(
                user_id=user_id,
                module_slug=lesson.module_slug,
                lesson_slug=lesson.slug,
                content_version="v1",
                completed_at=utcnow() - timedelta(minutes=minutes_ago),
            )
        )
        db.session.commit()


def _participant_id(app, user_id: int) -> int:
    with app.app_context():
        return db.session.scalar(db.select(WorkshopParticipant.id).where(WorkshopParticipant.user_id == user_id))


def _changes(client, workshop_id: int, since: str, sort: str = "name"):
    return client.get(f"/workshops/{workshop_id}/progress/changes", query_string={"since": since, "sort": sort})


def test_the_page_carries_its_version_and_an_unchanged_grid_answers_204(app, trainer):
    """The page names the refresh address and its version; asking with it at once gets 204 and no body."""
    workshop_id = make_workshop(app, trainer[0])
    add_participants(app, workshop_id, 3)
    page = trainer[1].get(f"/workshops/{workshop_id}/progress").get_data(as_text=True)
    version = re.search(r'data-version="([^"]+)"', page).group(1)
    assert f'data-refresh-url="/workshops/{workshop_id}/progress/changes?sort=name"' in page
    assert 'id="grid-announce" aria-live="polite"' in page and 'id="grid-pause"' in page
    response = _changes(trainer[1], workshop_id, version)
    assert response.status_code == 204 and response.data == b""


def test_a_lesson_done_sends_only_that_row_and_a_short_sentence(app, trainer):
    """One participant completes a lesson: the answer holds their row alone (as the table shows it) and
    "1 participant progressed."; with the new version, nothing more is sent."""
    workshop_id = make_workshop(app, trainer[0])
    users = add_participants(app, workshop_id, 5)
    since = _version_at(app, workshop_id, minutes_ago=5)
    _complete_first_lesson(app, users[2], minutes_ago=1)
    body = _changes(trainer[1], workshop_id, since).get_json()
    row_id = f"grid-p{_participant_id(app, users[2])}"
    assert list(body["rows"]) == [row_id] and "table" not in body
    assert body["announce"] == ["1 participant progressed."]
    table = trainer[1].get(f"/workshops/{workshop_id}/progress/table").get_data(as_text=True)
    assert body["rows"][row_id] in table and '<td class="yes">✓</td>' in body["rows"][row_id]
    assert _changes(trainer[1], workshop_id, body["version"]).status_code == 204


def test_a_graded_attempt_is_a_change_but_one_in_progress_is_not(app, trainer):
    """A graded attempt sends the row with its score; an attempt still in progress changes nothing."""
    workshop_id = make_workshop(app, trainer[0])
    users = add_participants(app, workshop_id, 2)
    since = _version_at(app, workshop_id, minutes_ago=10)
    with app.app_context():
        add_attempt(users[0], BASICS, 0, {}, number=1, status="in_progress", started_at=utcnow() - timedelta(minutes=8))
    assert _changes(trainer[1], workshop_id, since).status_code == 204
    with app.app_context():
        add_attempt(users[1], BASICS, 85, {}, number=1, started_at=utcnow() - timedelta(minutes=8))
    body = _changes(trainer[1], workshop_id, since).get_json()
    assert list(body["rows"]) == [f"grid-p{_participant_id(app, users[1])}"]
    assert "85 ✓" in next(iter(body["rows"].values()))


@pytest.mark.parametrize("change", ["joined", "removed", "old_time_stamp", "bad_version", "sorted_by_progress"])
def test_the_whole_table_when_rows_come_or_go_or_cannot_be_told_apart(app, trainer, change):
    """A participant added or removed, an attempt closed by time (its deadline as time stamp, older than the
    version), a version that is not one, or a change while sorted by progress: the answer is the whole table."""
    workshop_id = make_workshop(app, trainer[0])
    users = add_participants(app, workshop_id, 3)
    since = _version_at(app, workshop_id, minutes_ago=5)
    sort = "name"
    if change == "joined":
        add_participants(app, workshop_id, 1, prefix="Late")
    elif change == "removed":
        with app.app_context():
            db.session.execute(db.delete(WorkshopParticipant).where(WorkshopParticipant.user_id == users[0]))
            db.session.commit()
    elif change == "old_time_stamp":
        with app.app_context():
            add_attempt(users[0], BASICS, 40, {}, number=1, status="expired", started_at=utcnow() - timedelta(days=2))
    elif change == "bad_version":
        since = "1.2.3'; drop table users"
    else:
        sort = "progress"
        _complete_first_lesson(app, users[1])
    body = _changes(trainer[1], workshop_id, since, sort).get_json()
    assert "rows" not in body and body["table"].lstrip().startswith('<div class="table-wrap">')
    assert body["table"].count('<th scope="row">') == (4 if change == "joined" else 2 if change == "removed" else 3)
    assert body["announce"] == ["The progress table was updated."]
    assert _changes(trainer[1], workshop_id, body["version"], sort).status_code == 204


def test_only_the_workshops_trainers_see_its_changes(app, trainer):
    """Another trainer gets 404, a learner 403, and a signed-out visitor is sent to sign in."""
    workshop_id = make_workshop(app, trainer[0])
    add_participants(app, workshop_id, 1)
    since = _version_at(app, workshop_id, minutes_ago=5)
    other = signed_in(app, role="trainer", email="other@example.org", name="Otto Other")[1]
    learner = signed_in(app, role="learner", email="learner@example.org", name="Lea Learner")[1]
    assert _changes(other, workshop_id, since).status_code == 404
    assert _changes(learner, workshop_id, since).status_code == 403
    anonymous = _changes(app.test_client(), workshop_id, since)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def _count_queries(app, client, url: str, expected: int) -> int:
    with recorded_statements(app) as statements:
        assert client.get(url).status_code == expected
    return len(statements)


def test_refresh_query_count_does_not_grow_with_participants(app, trainer):
    """Unchanged and changed refreshes cost the same number of queries for 5 and for 200 participants."""
    counts = {}
    for size in (5, 200):
        workshop_id = make_workshop(app, trainer[0], title=f"Room of {size}")
        users = add_participants(app, workshop_id, size, prefix=f"R{size}")
        since = _version_at(app, workshop_id, minutes_ago=5)
        url = f"/workshops/{workshop_id}/progress/changes?since={since}"
        unchanged = _count_queries(app, trainer[1], url, 204)
        for user_id in users[: size // 2]:
            _complete_first_lesson(app, user_id)
        changed = _count_queries(app, trainer[1], url, 200)
        counts[size] = (unchanged, changed)
    assert counts[5] == counts[200]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) > 200
