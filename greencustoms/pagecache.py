"""Whole pages rendered once per key and served to every visitor with that key, each with their own CSRF token.

The lesson is the page people read most, and almost all of it is the same for everyone who reads that lesson in
that language with the same menu. `shared_page` renders it once with a placeholder where the template asks for
`csrf_token()` and, on every later request with the same key, puts the visitor's own token in its place: no
template runs at all. It is the `{% cache %}` tag of `greencustoms.fragments` applied to a whole page, under the
same rule: **everything the page shows that is not the same for everyone must be in the key**.

The key is what the view names (for the lesson: course, module, lesson, study language, completed or not) and
what every page shows: the interface language, the content version and the mount path
(`web.fragment_context`), the path of the page (the language menu sends the visitor back to it), whether the
visitor is signed in and which capabilities their menu shows (`policy.CAPABILITIES`).

Rendered as usual, never stored:
- while templates auto-reload (development), as for fragments;
- when a flash message waits: it belongs to this visitor and this request;
- when the address has a query string: the language menu repeats it, and visitors must not choose what fills
  the cache;
- when the rendered page holds the visitor's real CSRF token, e-mail address or username: a template that
  shows something personal the key does not cover is served correctly, just not shared.

A stored page is kept only as a `gzipsplice.SplicedBody`: its UTF-8 bytes around the placeholders, each part
also deflated once. A reader gets the parts joined by their token (no text to replace in, no encoding), a reader
who asks for gzip costs a CRC-32, not a compression of the page, and an anonymous reader (no token on the page)
gets the same stored bytes as everyone else. Each process keeps at most `BUDGET_BYTES` of pages (about 16 MB; the
oldest go first).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Hashable
from typing import Any

from flask import current_app, g, render_template, request, session
from flask_login import current_user

from greencustoms.access import policy
from greencustoms.csrftoken import csrf_token
from greencustoms.gzipsplice import SplicedBody

BUDGET_BYTES = 16_000_000
# Where a cached page had a CSRF token. Random per process and unlike a real token (which is signed, with dots).
_PLACEHOLDER = f"csrf-placeholder-{secrets.token_hex(16)}"


class StoredPage:
    """One shared page as spliceable bytes: its parts around the places where a reader's token goes."""

    __slots__ = ("body", "has_placeholder", "size")

    def __init__(self, html: str, token_length: int = 0) -> None:
        parts = [part.encode() for part in html.split(_PLACEHOLDER)]
        self.has_placeholder = len(parts) > 1
        self.body = SplicedBody(parts, token_length)
        self.size = self.body.size  # bytes kept: the parts and their deflated forms


class PageCache:
    """Stored pages by key, oldest first, within a budget of bytes."""

    def __init__(self, budget: int = BUDGET_BYTES) -> None:
        self.budget = budget
        self.pages: dict[Hashable, StoredPage] = {}
        self.size = 0
        self._lock = threading.Lock()  # gunicorn's threads share the process's cache

    def get(self, key: Hashable) -> StoredPage | None:
        return self.pages.get(key)

    def put(self, key: Hashable, html: str, token_length: int = 0) -> StoredPage:
        page = StoredPage(html, token_length)
        if page.size > self.budget:
            return page
        with self._lock:
            old = self.pages.pop(key, None)
            if old is not None:
                self.size -= old.size
            while self.pages and self.size + page.size > self.budget:
                self.size -= self.pages.pop(next(iter(self.pages))).size
            self.pages[key] = page
            self.size += page.size
        return page

    def clear(self) -> None:
        with self._lock:
            self.pages.clear()
            self.size = 0


def init_app(app: Any) -> None:
    app.extensions["page_cache"] = PageCache()


def page_cache() -> PageCache:
    return current_app.extensions["page_cache"]


def shared_page(template: str, key: tuple[Hashable, ...], **context: Any) -> str | bytes:
    """`render_template(template, **context)`, rendered once per key and visitor kind (see the module's doc): the
    page as text when it was rendered for this request alone, as UTF-8 bytes when it comes from the store. A view
    returns either to Flask as it is. `key` must name everything in `context` that is not the same for every
    visitor of this path."""
    environment: Any = current_app.jinja_env
    if not environment.fragment_cache_enabled or request.query_string or session.get("_flashes"):
        return render_template(template, **context)
    user = current_user._get_current_object()
    signed_in = bool(user.is_authenticated)
    full_key = (
        template,
        key,
        environment.fragment_context(),
        request.path,
        signed_in,
        tuple(policy.may(user, capability) for capability in policy.CAPABILITIES) if signed_in else (),
    )
    cache = page_cache()
    page = cache.get(full_key)
    if page is None:
        html = render_template(template, csrf_token=_placeholder, **context)
        if _personal(html, user, signed_in):
            return html.replace(_PLACEHOLDER, csrf_token())
        page = cache.put(full_key, html, len(csrf_token()) if _PLACEHOLDER in html else 0)
    token = csrf_token().encode() if page.has_placeholder else b""
    g.spliced_body = (page.body, token)  # greencustoms.delivery sends its gzip as it was made once
    return page.body.fill(token)


def _placeholder() -> str:
    return _PLACEHOLDER


def _personal(html: str, user: Any, signed_in: bool) -> bool:
    """True when the page shows something of this visitor's that no key covers (then it is not shared)."""
    if "csrf_token" in session and csrf_token() in html:  # a macro called the real csrf_token()
        return True
    if not signed_in:
        return False
    return any(value and len(value) >= 4 and value in html for value in (user.email, user.username))
