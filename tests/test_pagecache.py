"""Whole pages shared between visitors (greencustoms.pagecache): the lesson is rendered once per key, and every
visitor still gets their own token, progress, menu and messages, and nothing of anyone else's."""

from __future__ import annotations

import re

from flask_login import login_user
from jinja2 import ChoiceLoader, DictLoader

from greencustoms.models import User
from greencustoms.pagecache import PageCache, StoredPage, page_cache, shared_page
from tests.conftest import post_form

LESSON = "/courses/demo/demo-basics/welcome"
SECOND = "/courses/demo/demo-basics/documents"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _signed_in(app, auth, email: str, name: str, username: str | None = None):
    visitor = app.test_client()
    auth.create(email=email, name=name, **({"username": username} if username else {}))
    auth.login(email=email, client=visitor)
    return visitor


def test_the_lesson_is_rendered_once_and_each_reader_gets_their_own_token(app, auth):
    amina = _signed_in(app, auth, "amina.wanjiru@example.org", "Amina Wanjiru")
    bruno = _signed_in(app, auth, "bruno.mensah@example.org", "Bruno Mensah")
    first = amina.get(LESSON).get_data(as_text=True)
    with app.app_context():
        stored = len(page_cache().pages)
    second = bruno.get(LESSON).get_data(as_text=True)
    with app.app_context():
        assert len(page_cache().pages) == stored >= 1  # Bruno was served Amina's rendering, not a new one
    tokens_a, tokens_b = set(_TOKEN.findall(first)), set(_TOKEN.findall(second))
    assert len(tokens_a) == len(tokens_b) == 1  # one token per page, in every form (sign out, language, complete)
    assert tokens_a != tokens_b
    assert "placeholder" not in first + second
    for page, other in ((first, "bruno"), (second, "amina")):
        assert other not in page.lower()  # neither name nor address of the other reader
    # Each token works for its own reader: the forms on the shared page are real forms
    assert post_form(bruno, LESSON + "/complete", token_from=LESSON).status_code == 302
    assert "You completed this lesson." in bruno.get(LESSON).get_data(as_text=True)
    assert "Mark as complete" in amina.get(LESSON).get_data(as_text=True)


def test_a_shared_page_equals_the_page_rendered_for_the_reader_alone(app, auth, other_app):
    reader = _signed_in(app, auth, "reader@example.org", "Chidi Okafor")
    reader.get(LESSON)  # fills the cache
    cached = reader.get(LESSON).get_data(as_text=True)
    plain_app = other_app()
    plain_app.jinja_env.fragment_cache_enabled = False  # also turns whole-page sharing off
    plain_reader = plain_app.test_client()
    auth.login(email="reader@example.org", client=plain_reader)
    plain = plain_reader.get(LESSON).get_data(as_text=True)
    with plain_app.app_context():
        assert page_cache().pages == {}
    assert _TOKEN.sub("", cached) == _TOKEN.sub("", plain)


def test_a_flash_message_reaches_its_reader_and_nobody_else(app, auth):
    amina = _signed_in(app, auth, "amina@example.org", "Amina Wanjiru")
    bruno = _signed_in(app, auth, "bruno@example.org", "Bruno Mensah")
    bruno.get(SECOND)  # the next lesson is cached before Amina's message exists
    done = post_form(amina, LESSON + "/complete", token_from=LESSON)
    assert done.headers["Location"].endswith(SECOND)
    with_message = amina.get(SECOND).get_data(as_text=True)
    assert "is marked as complete" in with_message
    assert "is marked as complete" not in amina.get(SECOND).get_data(as_text=True)  # shown once
    assert "is marked as complete" not in bruno.get(SECOND).get_data(as_text=True)


def test_an_address_with_a_query_string_is_never_stored(app, client):
    with app.app_context():
        before = dict(page_cache().pages)
    page = client.get(LESSON + "?utm=newsletter-2026").get_data(as_text=True)
    assert "?utm=newsletter-2026" in page  # the language menu sends the reader back to the same address
    with app.app_context():
        assert page_cache().pages == before
    assert "utm" not in client.get(LESSON).get_data(as_text=True)


def test_the_menu_follows_each_readers_role(app, auth):
    learner = _signed_in(app, auth, "learner@example.org", "A learner")
    auth.create(email="trainer@example.org", name="A trainer", role="trainer")
    trainer = app.test_client()
    auth.login(email="trainer@example.org", client=trainer)
    anonymous = app.test_client()
    for visitor in (learner, trainer, anonymous, learner):
        visitor.get(LESSON)
    assert ">Workshops<" in trainer.get(LESSON).get_data(as_text=True)
    assert ">Workshops<" not in learner.get(LESSON).get_data(as_text=True)
    assert ">Sign in<" in anonymous.get(LESSON).get_data(as_text=True)
    assert 'name="csrf_token"' not in anonymous.get(LESSON).get_data(as_text=True)


def _with_templates(app, templates: dict[str, str]) -> None:
    app.jinja_env.loader = ChoiceLoader([DictLoader(templates), app.jinja_env.loader])


def test_a_page_showing_something_personal_the_key_does_not_cover_is_not_shared(app, auth):
    """A template that shows the reader's address or calls the real csrf_token() (a macro imported without the
    page's context does) is served right, and kept out of the cache."""
    auth.create(email="private.person@example.org", name="Private Person")
    _with_templates(
        app,
        {
            "t/address.html": "<p>{{ current_user.email }}</p>",
            "t/macro.html": '{% macro form() %}<input name="csrf_token" value="{{ csrf_token() }}">{% endmacro %}',
            "t/token.html": '{% import "t/macro.html" as m %}{{ m.form() }}',
        },
    )
    with app.test_request_context(LESSON):
        login_user(User.query.filter_by(email="private.person@example.org").one())
        assert shared_page("t/address.html", ()) == "<p>private.person@example.org</p>"
        token_page = shared_page("t/token.html", ())
        assert _TOKEN.search(token_page) and "placeholder" not in token_page
        assert page_cache().pages == {}


def test_the_cache_keeps_within_its_budget_oldest_out_first():
    four, two = StoredPage("aaaa").size, StoredPage("bb").size  # its bytes and their deflated form
    cache = PageCache(budget=2 * four + 1)
    cache.put("a", "aaaa")
    cache.put("b", "bbbb")
    cache.put("c", "cccc")
    assert list(cache.pages) == ["b", "c"] and cache.size == 2 * four
    cache.put("b", "bb")
    assert list(cache.pages) == ["c", "b"] and cache.size == four + two
    cache.put("huge", "x" * (2 * four + 2))
    assert "huge" not in cache.pages
    cache.clear()
    assert cache.pages == {} and cache.size == 0


def test_a_shared_page_is_compressed_once_and_each_reader_gets_it_with_their_own_token(app, auth, monkeypatch):
    import gzip
    import zlib

    from greencustoms import delivery

    gzip_please = {"Accept-Encoding": "gzip"}
    plain = app.test_client().get(LESSON).data
    amina = _signed_in(app, auth, "amina@example.org", "Amina Wanjiru")
    bruno = _signed_in(app, auth, "bruno@example.org", "Bruno Mensah")
    amina_plain = amina.get(LESSON).data  # both pages are now stored

    def no_compression(*args, **kwargs):
        raise AssertionError("a stored page was compressed again")

    monkeypatch.setattr(delivery.gzip, "compress", no_compression)
    first = app.test_client().get(LESSON, headers=gzip_please)
    again = app.test_client().get(LESSON, headers=gzip_please)
    assert first.headers["Content-Encoding"] == again.headers["Content-Encoding"] == "gzip"
    assert first.data == again.data and gzip.decompress(first.data) == plain
    tokens = []
    for reader, plain_page in ((amina, amina_plain), (bruno, None)):
        packed = reader.get(LESSON, headers=gzip_please)
        assert packed.headers["Content-Encoding"] == "gzip"
        page = zlib.decompress(packed.data, wbits=31)  # what a browser's decoder does, trailer (CRC, size) checked
        assert page == (plain_page or bruno.get(LESSON).data)
        tokens.append(_TOKEN.search(page.decode()).group(1))
        assert len(packed.data) <= len(zlib.compress(page, 6)) + 150  # about as small as compressing it whole
    assert tokens[0] != tokens[1]
    # Bruno's token, read from his compressed page, works on his form
    assert bruno.post(LESSON + "/complete", data={"csrf_token": tokens[1]}).status_code == 302


def test_threads_filling_the_cache_at_once_keep_it_within_budget():
    """gunicorn runs threads: many puts at once, each evicting, never fail and never lose count."""
    from concurrent.futures import ThreadPoolExecutor

    cache = PageCache(budget=5_000)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: cache.put(i % 97, "x" * (10 + i % 40)), range(20_000)))
    assert cache.size == sum(page.size for page in cache.pages.values()) <= 5_000
