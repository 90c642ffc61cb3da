"""The render cache: a restart reuses rendered Markdown, but any change that alters the output misses."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from greencustoms.content import ContentError, load_catalog, rendercache
from greencustoms.content.render import MarkdownRenderer

FIXTURE = Path(__file__).parent / "fixtures" / "content"


@pytest.fixture
def content(tmp_path):
    """A private copy of the fixture content, and a cold process memory (as in a fresh process)."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    rendercache._memory.clear()
    return root


def _count_renders(monkeypatch) -> list[int]:
    calls = [0]
    original = MarkdownRenderer._render

    def counting(self, *args, **kwargs):
        calls[0] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(MarkdownRenderer, "_render", counting)
    return calls


def _catalog_html(catalog) -> dict[str, str]:
    pages = {lesson.id: lesson.html for module in catalog.modules.values() for lesson in module.lessons}
    pages.update({f"term:{t.id}": t.definition_html for t in catalog.glossary.values()})
    for quiz in catalog.quizzes.values():
        pages.update({f"q:{quiz.slug}:{q.id}": q.prompt_html + q.explanation_html for q in quiz.questions})
    return pages


def test_a_restart_renders_nothing_and_serves_the_same_html(content, tmp_path, monkeypatch):
    """The second load (memory cleared, as a new process) renders no text and builds an identical catalog."""
    cache = tmp_path / "cache"
    calls = _count_renders(monkeypatch)
    first = load_catalog(content, cache)
    assert calls[0] > 20
    assert (cache / "rendered.json").is_file()

    rendercache._memory.clear()
    calls[0] = 0
    second = load_catalog(content, cache)
    assert calls[0] == 0
    assert _catalog_html(second) == _catalog_html(first)
    assert second.version == first.version


def test_an_edited_lesson_is_rendered_again(content, tmp_path, monkeypatch):
    """Changing one lesson re-renders that lesson only, and the new text is what is served."""
    cache = tmp_path / "cache"
    load_catalog(content, cache)
    lesson = content / "modules" / "demo-basics" / "02-documents.md"
    lesson.write_text(lesson.read_text().replace("Two documents, two moments.", "Two papers, two moments."))
    rendercache._memory.clear()
    calls = _count_renders(monkeypatch)
    catalog = load_catalog(content, cache)
    assert calls[0] == 1
    assert "Two papers, two moments." in catalog.modules["demo-basics"].lesson("documents").html


def test_a_deleted_image_is_still_reported_when_the_text_is_cached(content, tmp_path):
    """The image files are part of the key, so a cached lesson cannot hide a missing picture."""
    cache = tmp_path / "cache"
    load_catalog(content, cache)
    (content / "modules" / "demo-basics" / "img" / "flow.svg").unlink()
    with pytest.raises(ContentError) as raised:
        load_catalog(content, cache)
    assert any("img/flow.svg" in issue.message for issue in raised.value.issues)


def test_a_changed_glossary_term_changes_the_lessons_that_link_to_it(content, tmp_path):
    """A lesson's glossary links carry the term as hover text, so renaming the term must show in the lesson."""
    cache = tmp_path / "cache"
    load_catalog(content, cache)
    glossary = content / "glossary.yaml"
    glossary.write_text(glossary.read_text().replace("term: Movement document", "term: Movement form"))
    catalog = load_catalog(content, cache)
    assert 'title="Movement form"' in catalog.modules["demo-basics"].lesson("documents").html


def test_an_unreadable_cache_file_is_ignored_and_replaced(content, tmp_path, caplog):
    """A truncated cache file costs one slow start, never a failure."""
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "rendered.json").write_text('{"abc": [')
    catalog = load_catalog(content, cache)
    assert catalog.modules["demo-basics"].lesson("documents").html
    assert "ignoring the unreadable render cache" in caplog.text
    assert json.loads((cache / "rendered.json").read_text())


def test_the_app_keeps_its_cache_in_the_instance_folder_unless_turned_off(app, tmp_path):
    """CONTENT_CACHE_DIR defaults to <instance>/content-cache; an empty value means memory only."""
    from greencustoms.content import render_cache_dir

    app.config["CONTENT_CACHE_DIR"] = None  # the tests set a temporary folder (conftest); this is the default
    assert render_cache_dir(app) == Path(app.instance_path) / "content-cache"
    app.config["CONTENT_CACHE_DIR"] = ""
    assert render_cache_dir(app) is None
