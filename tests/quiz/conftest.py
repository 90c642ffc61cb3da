"""Quiz fixtures: a signed-in learner, the fixture quizzes, copies of the fixture content with edits, a clock."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from greencustoms.content import get_catalog
from greencustoms.signals import attempt_graded
from tests.conftest import FIXTURE_CONTENT


@pytest.fixture
def learner(app, auth):
    """A learner account, signed in on `client`; returns the user id."""
    user_id = auth.create()
    auth.login()
    return user_id


@pytest.fixture
def quizzes(app):
    with app.app_context():
        return dict(get_catalog().quizzes)


class Clock:
    """A settable clock for QUIZ_CLOCK: time only moves when a test says so."""

    def __init__(self):
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock(app):
    """Freeze the quiz clock of `app`."""
    frozen = Clock()
    app.config["QUIZ_CLOCK"] = frozen
    return frozen


@pytest.fixture
def graded_signals():
    """Every attempt_graded signal sent during the test, as dicts of its keyword arguments."""
    received = []

    def receiver(sender, **kwargs):
        received.append(dict(kwargs, sender=sender))

    attempt_graded.connect(receiver)
    yield received
    attempt_graded.disconnect(receiver)


@pytest.fixture
def edited_content(tmp_path):
    """Factory: a copy of the fixture content (sources only: these tests edit question banks, and a translation
    of a removed question is an error) with text replacements, {relative path: [(old, new), ...]}."""
    counter = iter(range(100))

    def make(edits: dict[str, list[tuple[str, str]]]) -> Path:
        root = tmp_path / f"content-{next(counter)}"
        shutil.copytree(FIXTURE_CONTENT, root, ignore=shutil.ignore_patterns("*.??.md", "*.??.yaml"))
        for rel, replacements in edits.items():
            path = root / rel
            text = path.read_text(encoding="utf-8")
            for old, new in replacements:
                assert old in text, f"{old!r} not in {rel}"
                text = text.replace(old, new)
            path.write_text(text, encoding="utf-8")
        return root

    return make
