"""Content routes (/media images, /glossary) and the development reload of edited content."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import Babel
from jinja2 import ChoiceLoader, FileSystemLoader

from greencustoms import content, i18n
from greencustoms.content import views as content_views
from tests.test_content_loader import FIXTURE, broken_copy

PROJECT = Path(__file__).resolve().parent.parent
STAND_IN_BASE = (
    "<!doctype html><title>{% block title %}{% endblock %}</title><main>{% block content %}{% endblock %}</main>"
)


def content_app(root: Path, templates: Path, **config) -> Flask:
    """A bare app with the content extension, Babel, and a stand-in base.html in front of the real templates."""
    app = Flask(__name__)
    # the session's temporary cache folder (conftest), never the checkout's instance/
    config.setdefault("CONTENT_CACHE_DIR", os.environ["GREENCUSTOMS_CONTENT_CACHE_DIR"])
    app.config.update(TESTING=True, CONTENT_ROOT=str(root), **config)
    templates.mkdir(exist_ok=True)
    (templates / "base.html").write_text(STAND_IN_BASE, encoding="utf-8")
    app.jinja_loader = ChoiceLoader([FileSystemLoader(templates), FileSystemLoader(PROJECT / "templates")])
    Babel(app)
    i18n.register_template_helpers(app)
    content.init_app(app)
    app.register_blueprint(content_views.bp)
    return app


@pytest.fixture
def client(tmp_path):
    return content_app(FIXTURE, tmp_path / "templates").test_client()


def test_module_image_is_served_with_cache_headers(client):
    """/media/modules/<module>/<file> serves the module's img/ file, cacheable for a day, sandboxed."""
    with client.get("/media/modules/demo-basics/flow.svg") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
        assert response.data == (FIXTURE / "modules/demo-basics/img/flow.svg").read_bytes()
        assert response.cache_control.public and response.cache_control.max_age == 86400
        assert "sandbox" in response.headers["Content-Security-Policy"]


def test_quiz_image_is_served(client):
    """/media/quizzes/<file> serves quizzes/img/."""
    with client.get("/media/quizzes/label.svg") as response:
        assert response.status_code == 200
        assert response.data == (FIXTURE / "quizzes/img/label.svg").read_bytes()


@pytest.mark.parametrize(
    "url",
    [
        "/media/modules/nope/flow.svg",
        "/media/modules/demo-basics/missing.svg",
        "/media/modules/demo-basics/../module.yaml",
        "/media/modules/demo-basics/..%2fmodule.yaml",
        "/media/modules/demo-basics/%2e%2e/01-welcome.md",
        "/media/quizzes/../demo-basics.yaml",
        "/media/quizzes/..%2f..%2fcourses/demo.yaml",
    ],
)
def test_unknown_or_escaping_media_paths_are_404(client, url):
    """Unknown modules, missing files and any path leaving img/ answer 404."""
    assert client.get(url).status_code == 404


def test_glossary_groups_terms_by_letter(client):
    """/glossary shows every term under its letter, with its id as anchor, MEA label and definition."""
    response = client.get("/glossary")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<a href="#letter-B">B</a>' in page and '<h2 id="letter-O">O</h2>' in page
    assert '<dt id="basel-convention">Basel Convention' in page
    assert "Montreal Protocol" in page
    assert 'href="/glossary#basel-convention"' in page  # the definition's own glossary link
    assert page.index('id="basel-convention"') < page.index('id="hazardous-waste"') < page.index('id="ozone-depleting')


def _edit(path: Path, old: str, new: str) -> None:
    """Change a file and make sure its mtime moves, even on coarse filesystem clocks."""
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def test_reload_swaps_in_edited_content(tmp_path):
    """With CONTENT_RELOAD, an edited lesson is served on the next request without a restart."""
    root = broken_copy(tmp_path)
    app = content_app(root, tmp_path / "templates", CONTENT_RELOAD=True, CONTENT_RELOAD_INTERVAL=0)
    before = app.extensions["catalog"]
    _edit(root / "modules/demo-basics/01-welcome.md", "title: Welcome", "title: Welcome aboard")
    app.test_client().get("/glossary")
    after = app.extensions["catalog"]
    assert after is not before
    assert after.modules["demo-basics"].lesson("welcome").title == "Welcome aboard"


def test_broken_reload_keeps_old_catalog_and_logs(tmp_path, caplog):
    """A reload that finds errors logs each issue line and keeps serving the previous catalog."""
    root = broken_copy(tmp_path)
    app = content_app(root, tmp_path / "templates", CONTENT_RELOAD=True, CONTENT_RELOAD_INTERVAL=0)
    before = app.extensions["catalog"]
    _edit(root / "quizzes/demo-basics.yaml", "draw: 7", "draw: 9")
    with caplog.at_level(logging.ERROR):
        assert app.test_client().get("/glossary").status_code == 200
    assert app.extensions["catalog"] is before
    assert any(record.getMessage().startswith("quizzes/demo-basics.yaml:5: ") for record in caplog.records)


def test_no_reload_without_debug_or_content_reload(tmp_path):
    """In production (no debug, no CONTENT_RELOAD) edits are not picked up: content ships with the code."""
    root = broken_copy(tmp_path)
    app = content_app(root, tmp_path / "templates", CONTENT_RELOAD_INTERVAL=0)
    before = app.extensions["catalog"]
    _edit(root / "modules/demo-basics/01-welcome.md", "title: Welcome", "title: Welcome aboard")
    app.test_client().get("/glossary")
    assert app.extensions["catalog"] is before
