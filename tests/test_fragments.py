"""The template fragment cache: shared parts of a page are rendered once, and nothing of one visitor reaches another."""

from __future__ import annotations

import os
import re

import pytest
from jinja2 import DictLoader, Environment

from greencustoms import fragments
from greencustoms.content import get_catalog
from greencustoms.fragments import FragmentCache
from tests.conftest import csrf_token, post_form
from tests.test_content_loader import broken_copy

LESSON = "/courses/demo/demo-basics/welcome"
SECOND = "/courses/demo/demo-basics/documents"


def _environment(context=()) -> Environment:
    env = Environment(
        loader=DictLoader({"page.html": "{% cache 'part', key %}{{ counter() }}{% endcache %}|{{ counter() }}"}),
        extensions=[FragmentCache],
        autoescape=True,
    )
    env.fragment_context = lambda: context
    return env


def _counter():
    calls = []

    def counter():
        calls.append(1)
        return len(calls)

    return counter


def test_cached_body_is_rendered_once_per_key():
    env = _environment()
    template = env.get_template("page.html")
    counter = _counter()
    assert template.render(key="a", counter=counter) == "1|2"
    assert template.render(key="a", counter=counter) == "1|3"  # the cached part is not rendered again
    assert template.render(key="b", counter=counter) == "4|5"  # another key renders afresh


def test_app_context_is_part_of_the_key():
    """Another interface language or content version (the app's fragment_context) never gets a cached fragment."""
    env = _environment()
    template = env.get_template("page.html")
    counter = _counter()
    env.fragment_context = lambda: ("en", "v1", "")
    assert template.render(key="a", counter=counter) == "1|2"
    env.fragment_context = lambda: ("fr", "v1", "")
    assert template.render(key="a", counter=counter) == "3|4"
    env.fragment_context = lambda: ("en", "v2", "")
    assert template.render(key="a", counter=counter) == "5|6"
    env.fragment_context = lambda: ("en", "v1", "")
    assert template.render(key="a", counter=counter) == "1|7"


def test_disabled_cache_renders_every_time():
    env = _environment()
    env.fragment_cache_enabled = False
    template = env.get_template("page.html")
    counter = _counter()
    assert [template.render(key="a", counter=counter) for _ in range(2)] == ["1|2", "3|4"]
    assert env.fragment_cache == {}


def test_cache_starts_over_when_full(monkeypatch):
    monkeypatch.setattr(fragments, "MAX_ENTRIES", 3)
    env = _environment()
    template = env.get_template("page.html")
    for key in "abc":
        template.render(key=key, counter=_counter())
    assert len(env.fragment_cache) == 3
    template.render(key="d", counter=_counter())
    assert len(env.fragment_cache) == 1


def _rows(row_context=()) -> Environment:
    env = Environment(
        loader=DictLoader(
            {
                "rows.html": "{% for r in rows %}{% rowcache r.id, r.text %}<{{ r.text }}:{{ counter() }}>"
                "{% endrowcache %}{% endfor %}"
            }
        ),
        extensions=[FragmentCache],
        autoescape=True,
    )
    env.row_context = lambda: row_context
    return env


def test_a_row_is_rendered_once_per_key_in_a_store_of_its_own():
    env = _rows()
    template = env.get_template("rows.html")
    counter = _counter()
    rows = [{"id": 1, "text": "a"}, {"id": 2, "text": "b"}]
    assert template.render(rows=rows, counter=counter) == "<a:1><b:2>"
    assert template.render(rows=rows, counter=counter) == "<a:1><b:2>"  # both rows shown again, not rendered
    assert template.render(rows=[{"id": 1, "text": "changed"}], counter=counter) == "<changed:3>"
    assert len(env.row_cache) == 3 and env.fragment_cache == {}  # rows never push shared fragments out


def test_a_rows_key_has_the_app_context_and_the_row_context():
    """Another language, content version or time zone never gets a row rendered for another."""
    env = _rows()
    template = env.get_template("rows.html")
    counter = _counter()
    rows = [{"id": 1, "text": "a"}]
    env.row_context = lambda: "UTC"
    assert template.render(rows=rows, counter=counter) == "<a:1>"
    env.row_context = lambda: "Asia/Kathmandu"
    assert template.render(rows=rows, counter=counter) == "<a:2>"
    env.fragment_context = lambda: ("fr", "v1", "")
    assert template.render(rows=rows, counter=counter) == "<a:3>"
    env.row_context = lambda: "UTC"
    env.fragment_context = lambda: ()
    assert template.render(rows=rows, counter=counter) == "<a:1>"


def test_the_row_store_drops_its_oldest_rows_when_full(monkeypatch):
    monkeypatch.setattr(fragments, "ROW_ENTRIES", 3)
    env = _rows()
    template = env.get_template("rows.html")
    counter = _counter()
    template.render(rows=[{"id": n, "text": str(n)} for n in range(5)], counter=counter)
    assert [key[1] for key in env.row_cache] == [(2, "2"), (3, "3"), (4, "4")]
    env.fragment_cache_enabled = False
    assert template.render(rows=[{"id": 4, "text": "4"}], counter=counter) == "<4:6>"  # off: rendered every time


def test_cached_fragment_is_markup_not_double_escaped():
    env = Environment(
        loader=DictLoader({"p.html": "{% cache 'x' %}<b>{{ text }}</b>{% endcache %}"}),
        extensions=[FragmentCache],
        autoescape=True,
    )
    template = env.get_template("p.html")
    assert template.render(text="<i>") == "<b>&lt;i&gt;</b>"
    assert template.render(text="other") == "<b>&lt;i&gt;</b>"


def test_cached_page_is_the_page_rendered_without_cache(app, other_app, client):
    """The cache changes how often a part is rendered, never what the page says."""
    first, cached = client.get(LESSON).data, client.get(LESSON).data
    plain_app = other_app()
    plain_app.jinja_env.fragment_cache_enabled = False
    plain = plain_app.test_client().get(LESSON).data
    assert first == cached == plain
    assert app.jinja_env.fragment_cache  # the app did cache parts of the page


@pytest.mark.parametrize("order", [("learner", "trainer", "admin", None), (None, "admin", "trainer", "learner")])
def test_header_shows_each_visitor_their_own_menu(app, auth, order):
    """Whoever comes first fills the cache: the next visitor, with another role or none, still gets their menu."""
    expected = {
        None: ({"Sign in", "Register"}, {"Sign out", "My learning", "Workshops", "Admin"}),
        "learner": ({"Sign out", "My learning"}, {"Sign in", "Workshops", "Admin"}),
        "trainer": ({"Sign out", "My learning", "Workshops"}, {"Sign in", "Admin"}),
        "admin": ({"Sign out", "My learning", "Workshops", "Admin"}, {"Sign in"}),
    }
    for role in order:
        visitor = app.test_client()
        if role:
            auth.create(email=f"{role}@example.org", name=f"A {role}", role=role)
            auth.login(email=f"{role}@example.org", client=visitor)
        page = visitor.get(LESSON).get_data(as_text=True)
        header = page[page.index("<header") : page.index("</header>")]
        links = set(re.findall(r">([^<>]+)</(?:a|button)>", header))
        present, absent = expected[role]
        assert present <= links, (role, links)
        assert not (absent & links), (role, links)


def test_progress_and_csrf_token_stay_with_their_visitor(app, auth):
    """One learner's completion and tokens never appear on another learner's page of the same lesson."""
    amina, bruno = app.test_client(), app.test_client()
    auth.create(email="amina@example.org", name="Amina")
    auth.create(email="bruno@example.org", name="Bruno")
    auth.login(email="amina@example.org", client=amina)
    auth.login(email="bruno@example.org", client=bruno)
    post_form(amina, LESSON + "/complete", token_from=LESSON)
    done_page = amina.get(LESSON).get_data(as_text=True)
    open_page = bruno.get(LESSON).get_data(as_text=True)
    assert "You completed this lesson." in done_page and "Mark as complete" not in done_page
    assert "Mark as complete" in open_page and "You completed this lesson." not in open_page
    assert csrf_token(amina, LESSON) != csrf_token(bruno, LESSON)
    assert post_form(bruno, "/logout", token_from=LESSON).status_code == 302  # Bruno's own token is on his page
    assert "Sign in" in bruno.get(LESSON).get_data(as_text=True)


def test_each_lesson_gets_its_own_fragments(client):
    first, second = client.get(LESSON).get_data(as_text=True), client.get(SECOND).get_data(as_text=True)
    assert "<h1>Welcome</h1>" in first and "<h1>Welcome</h1>" not in second
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_reloaded_content_is_rendered_afresh(app, other_app, tmp_path):
    """After a development reload the new content version keys new fragments: the edited text is served."""
    root = broken_copy(tmp_path)
    reloading = other_app(CONTENT_ROOT=str(root), CONTENT_RELOAD=True, CONTENT_RELOAD_INTERVAL=0)
    visitor = reloading.test_client()
    assert "Open the glossary whenever a term is new to you." in visitor.get(LESSON).get_data(as_text=True)
    lesson = root / "modules/demo-basics/01-welcome.md"
    stat = lesson.stat()
    text = lesson.read_text(encoding="utf-8").replace("Open the glossary whenever", "Look in the glossary whenever")
    lesson.write_text(text, encoding="utf-8")
    os.utime(lesson, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    page = visitor.get(LESSON).get_data(as_text=True)
    with reloading.app_context():
        assert "Look in the glossary" in get_catalog().modules["demo-basics"].lesson("welcome").html
    assert "Look in the glossary whenever a term is new to you." in page
    assert "Open the glossary whenever" not in page


def test_cache_is_off_while_templates_auto_reload(other_app):
    assert other_app(TEMPLATES_AUTO_RELOAD=True).jinja_env.fragment_cache_enabled is False
