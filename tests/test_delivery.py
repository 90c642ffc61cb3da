"""Static files under versioned URLs with long lifetimes; gzip on the wire, but never where BREACH could read."""

from __future__ import annotations

import gzip
import re

from tests.conftest import post_form

GZIP = {"Accept-Encoding": "gzip, deflate"}
LESSON = "/courses/demo/demo-basics/documents"


def _stylesheet(page: str) -> str:
    return re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]{12})"', page).group(1)


def test_static_urls_carry_the_file_version_and_are_cached_for_a_year(client):
    """The page links site.css?v=<digest>; that URL is immutable for a year, an unversioned one revalidates."""
    url = _stylesheet(client.get("/").get_data(as_text=True))
    with client.get(url) as versioned:
        assert versioned.status_code == 200
        assert "max-age=31536000" in versioned.headers["Cache-Control"]
        assert "immutable" in versioned.headers["Cache-Control"]
    for stale in ("/static/css/site.css", "/static/css/site.css?v=000000000000"):
        with client.get(stale) as response:
            assert response.status_code == 200
            assert "no-cache" in response.headers["Cache-Control"]
            assert "immutable" not in response.headers["Cache-Control"]


def _edit(path, text: str) -> None:
    """Change a file and its mtime, as a deployment does."""
    import os

    path.write_text(text)
    os.utime(path, (1, 1))


def _own_static(app, tmp_path):
    static = tmp_path / "static" / "css"
    static.mkdir(parents=True)
    (static / "site.css").write_text("body { color: red }")
    app.static_folder = str(tmp_path / "static")
    return static / "site.css"


def test_editing_a_static_file_changes_its_url_while_the_app_reloads(app, client, tmp_path):
    """Where edited files are reloaded (debug, CONTENT_RELOAD), every page looks at the file: a new ?v= at once."""
    app.config["CONTENT_RELOAD"] = True
    css = _own_static(app, tmp_path)
    first = _stylesheet(client.get("/").get_data(as_text=True))
    _edit(css, "body { color: blue }")
    second = _stylesheet(client.get("/").get_data(as_text=True))
    assert first != second


def test_a_release_gets_new_static_urls(app, client, tmp_path, other_app):
    """In production a process reads a file's version once for its URLs (a release restarts the app): the
    restarted app links the new file; a request for the file itself sees the change at once, is not cached for a
    year under the old version, and moves the URLs on too."""
    css = _own_static(app, tmp_path)
    first = _stylesheet(client.get("/").get_data(as_text=True))
    _edit(css, "body { color: blue }")
    assert _stylesheet(client.get("/").get_data(as_text=True)) == first  # no stat per page

    restarted = other_app()
    restarted.static_folder = app.static_folder
    new = _stylesheet(restarted.test_client().get("/").get_data(as_text=True))
    assert new != first

    with client.get(first) as old:
        assert old.status_code == 200
        assert b"blue" in old.get_data()
        assert "immutable" not in old.headers["Cache-Control"]
    assert _stylesheet(client.get("/").get_data(as_text=True)) == new


def test_a_lesson_goes_out_gzipped_and_reads_back_the_same(client):
    """A lesson with no query string is compressed; the bytes unzip to the page itself."""
    plain = client.get(LESSON)
    packed = client.get(LESSON, headers=GZIP)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 2
    assert "Content-Encoding" not in plain.headers  # a client that did not ask gets plain bytes


def test_static_files_are_gzipped_and_conditional_requests_still_work(client):
    """site.css goes out compressed with a weak ETag that a revalidation matches (304)."""
    url = _stylesheet(client.get("/").get_data(as_text=True))
    with client.get(url, headers=GZIP) as first:
        assert first.headers["Content-Encoding"] == "gzip"
        assert b"--brand" in gzip.decompress(first.data)
        etag = first.headers["ETag"]
    assert etag.startswith("W/")
    with client.get("/static/css/site.css", headers={**GZIP, "If-None-Match": etag}) as again:
        assert again.status_code == 304


def test_stylesheets_travel_without_comments_and_keep_every_rule(client):
    """Compressed, site.css loses its comments and indentation, but not a declaration or a quoted string."""
    url = _stylesheet(client.get("/").get_data(as_text=True))
    with client.get(url) as plain, client.get(url, headers=GZIP) as packed:
        source, sent = plain.data, gzip.decompress(packed.data)
    assert b"/*" in source and b"/*" not in sent and len(sent) < len(source)

    def declarations(css: bytes) -> list[bytes]:
        without_comments = re.sub(rb"/\*.*?\*/", b"", css, flags=re.S)
        return [d.strip() for d in re.split(rb"[;{}]", without_comments) if d.strip()]

    assert declarations(sent) == declarations(source)
    assert b'content: "\xe2\x9c\x93 "' in sent  # the tick's quoted content, unchanged


def test_trimming_keeps_comment_marks_inside_strings():
    from greencustoms.delivery import trim_css

    css = b'a::after { content: "/* not a comment */"; }\n/* a comment */\n\n   b { color: red; }\n'
    assert trim_css(css) == b'a::after { content: "/* not a comment */"; }\nb { color: red; }\n'


def test_pages_that_may_reflect_attacker_text_are_not_compressed(client, auth):
    """A query string or a form post can put chosen text beside the CSRF token: those answers stay uncompressed."""
    auth.create()
    auth.login()
    assert "Content-Encoding" not in client.get("/me?x=csrf_token", headers=GZIP).headers
    assert "Content-Encoding" not in client.get("/login?next=/me", headers=GZIP).headers
    response = post_form(client, "/account", token_from="/account", data={"name": "Zoe"}, headers=GZIP)
    assert "Content-Encoding" not in response.headers
    assert client.get("/me", headers=GZIP).headers["Content-Encoding"] == "gzip"


def test_errors_and_tiny_bodies_are_sent_as_they_are(client):
    """A 404 page (which may echo the path) and /healthz's two bytes are never compressed."""
    assert "Content-Encoding" not in client.get("/courses/no-such-course", headers=GZIP).headers
    assert "Content-Encoding" not in client.get("/healthz", headers=GZIP).headers
