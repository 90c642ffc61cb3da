"""How responses travel: static files under versioned URLs with long cache lifetimes, and gzip where it is safe.

Versioned static URLs: `url_for("static", filename=...)` adds `?v=<first 12 hex digits of the file's SHA-256>`.
A request carrying the current version is cached for a year (`immutable`); any other is revalidated, so a
release never leaves an old quiz.js in a browser. A release restarts the app (as it must for code, templates and
content), and each process reads a file's version once for its URLs; while the app reloads edited files (debug,
CONTENT_RELOAD) every URL looks at the file again.

Compression (gzip) of HTML, CSS, JavaScript, JSON and SVG, when no proxy does it. BREACH-style attacks read a
secret (our CSRF token) out of the compressed size of responses that also reflect text the attacker chose. So
a dynamic page is compressed only when it answers a GET or HEAD without a query string: its content is then
decided by the path alone, which must name real content for a 200. Static files carry no secret and are always
compressed (once per file version, kept in memory), stylesheets without their comments. Error pages, redirects
and small bodies are sent as they are.

A page shared between readers (`greencustoms.pagecache`: the same bytes for everyone with its key, except each
reader's CSRF token) is compressed once, when it is stored (`greencustoms.gzipsplice.SplicedBody`), and each
reader's token is put in uncompressed: a signed-in reader on a slow link costs the server a CRC-32 instead of a
compression of the whole page (0.4 ms for a 25 kB lesson), and the token's size on the wire is its length plus
5 bytes, whatever the page around it holds.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
from pathlib import Path

from flask import Flask, Response, current_app, g, request

YEAR = 365 * 24 * 3600
COMPRESSIBLE = {
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "text/plain",
}
MIN_SIZE = 600  # below this, gzip's header costs more than it saves
_compressed: dict[tuple[str, str], bytes] = {}


def init_app(app: Flask) -> None:
    """Version static URLs and register the caching and compression hook."""
    app.url_defaults(_add_static_version)
    app.after_request(deliver)


def _versions() -> dict[tuple[str, str], tuple[float, str]]:
    """This app's versions read so far: (static folder, file name) -> (mtime, version). A new process (a release
    restarts the app) starts with none."""
    return current_app.extensions.setdefault("static_versions", {})


def static_version(filename: str) -> str | None:
    """The version of a file under static/ (its content digest), re-read when the file changes; None if absent."""
    folder = current_app.static_folder
    if not folder:
        return None
    path = Path(folder) / filename
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return None
    versions = _versions()
    known = versions.get((folder, filename))
    if known is None or known[0] != mtime:
        known = versions[(folder, filename)] = (mtime, hashlib.sha256(path.read_bytes()).hexdigest()[:12])
    return known[1]


def _add_static_version(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values and "v" not in values:
        version = _known_version(values["filename"])
        if version:
            values["v"] = version


def _known_version(filename: str) -> str | None:
    """The version for a URL. Static files change with a release, which restarts the app, so a version once read
    is used without looking at the file again (a `stat` cost a page 20 us for each stylesheet or icon it links);
    while the app reloads edited files (debug, CONTENT_RELOAD), every URL looks, as `static_version` does. A
    request for the file itself always looks (`deliver`), and a change it finds updates the URLs too."""
    app = current_app
    known = _versions().get((app.static_folder or "", filename))
    if known is None or app.debug or app.config.get("CONTENT_RELOAD"):
        return static_version(filename)
    return known[1]


def deliver(response: Response) -> Response:
    """after_request: cache lifetimes for static files, then gzip the body when the rules above allow it."""
    is_static = request.endpoint == "static"
    if is_static and response.status_code == 200:
        filename = (request.view_args or {}).get("filename", "")
        current = static_version(filename)
        if current and request.args.get("v") == current:
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
        else:
            response.cache_control.no_cache = True
    if _may_compress(response, is_static):
        _compress(response, is_static)
    return response


# A CSS comment, or a quoted string (kept as it is, whatever it holds)
_CSS_COMMENT = re.compile(rb"""("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')|/\*.*?\*/""", re.S)
_CSS_INDENT = re.compile(rb"\n[ \t]*(?:\n[ \t]*)*")


def trim_css(data: bytes) -> bytes:
    """A stylesheet without its comments, indentation and blank lines: the same rules in fewer bytes. The
    commented source stays in static/ for people; browsers get this (about 250 bytes less per first visit)."""
    data = _CSS_COMMENT.sub(lambda found: found.group(1) or b"", data)
    return _CSS_INDENT.sub(b"\n", data).strip() + b"\n"


def _may_compress(response: Response, is_static: bool) -> bool:
    if response.status_code != 200 or "Content-Encoding" in response.headers:
        return False
    if response.mimetype not in COMPRESSIBLE or "gzip" not in request.headers.get("Accept-Encoding", ""):
        return False
    if response.is_streamed and not is_static:  # a streamed download (an export) goes out as it is made
        return False
    if not is_static and (request.method not in ("GET", "HEAD") or request.query_string):
        return False  # may reflect attacker-chosen text beside the CSRF token (BREACH)
    return True


def _compress(response: Response, is_static: bool) -> None:
    response.vary.add("Accept-Encoding")
    source = response.response
    if is_static:
        key = ((request.view_args or {}).get("filename", ""), request.args.get("v", ""))
        body = _compressed.get(key)
        if body is None:
            response.direct_passthrough = False
            data = response.get_data()
            if response.mimetype == "text/css":
                data = trim_css(data)
            body = gzip.compress(data, compresslevel=9, mtime=0)
            if key[1]:  # only a versioned URL names fixed bytes
                _compressed[key] = body
    else:
        data = response.get_data()
        if len(data) < MIN_SIZE:
            return
        spliced = g.get("spliced_body")
        body = spliced[0].gzip(spliced[1], data) if spliced else None
        if body is None:
            body = gzip.compress(data, compresslevel=6, mtime=0)
    response.direct_passthrough = False
    response.set_data(body)
    if hasattr(source, "close"):  # the static file's handle, which set_data let go of
        source.close()
    response.headers["Content-Encoding"] = "gzip"
    etag, _weak = response.get_etag()
    if etag:  # the same resource in another encoding: only weakly the same bytes
        response.set_etag(etag, weak=True)
