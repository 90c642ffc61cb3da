"""Content that no course lists is not served: the quiz (and lessons and images) of an unlisted module answer
404 by URL, even to a signed-in learner (issue 20, item 10)."""

from __future__ import annotations

import shutil

import pytest

from greencustoms.content import get_catalog
from tests.adminkit import signed_in
from tests.conftest import FIXTURE_CONTENT, csrf_token


@pytest.fixture
def orphan_app(tmp_path, other_app):
    """The fixture content plus module "demo-orphan" (with its quiz) that no course lists."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    shutil.copytree(root / "modules" / "demo-basics", root / "modules" / "demo-orphan")
    module = root / "modules" / "demo-orphan" / "module.yaml"
    module.write_text(module.read_text().replace("quiz: demo-basics", "quiz: demo-orphan"))
    quiz = root / "quizzes" / "demo-orphan.yaml"
    quiz.write_text((root / "quizzes" / "demo-basics.yaml").read_text().replace("demo-basics", "demo-orphan"))
    app = other_app(CONTENT_ROOT=str(root))
    with app.app_context():
        catalog = get_catalog()
        assert "demo-orphan" in catalog.quizzes and "demo-orphan" in catalog.modules
        assert not catalog.courses_with_module("demo-orphan")
    return app


def test_the_quiz_of_an_unlisted_module_is_not_open_by_url(orphan_app):
    """Intro and start of the unlisted module's quiz answer 404, and no attempt is started; a listed quiz opens."""
    _uid, learner = signed_in(orphan_app, role="learner", email="l@example.org")
    assert learner.get("/quizzes/demo-orphan").status_code == 404
    assert orphan_app.test_client().get("/quizzes/demo-orphan").status_code == 404
    token = csrf_token(learner, "/quizzes/demo-basics")
    assert learner.post("/quizzes/demo-orphan", data={"csrf_token": token}).status_code == 404
    assert learner.post("/quizzes/demo-basics", data={"csrf_token": token}).status_code == 303


def test_the_lessons_and_images_of_an_unlisted_module_are_not_served(orphan_app):
    """No course URL reaches the unlisted module's lessons, and its images answer 404."""
    client = orphan_app.test_client()
    assert client.get("/courses/demo/demo-orphan/welcome").status_code == 404
    assert client.get("/media/modules/demo-orphan/flow.svg").status_code == 404
    with client.get("/media/modules/demo-basics/flow.svg") as listed:
        assert listed.status_code == 200
