"""Template fragment cache: `{% cache "name", part, ... %}...{% endcache %}` renders its body once per key.

It is for the parts of a page that every visitor with the same key sees byte for byte: a lesson's article and
pager, the site header for a given role. The key is the template, the parts given in the tag and the app's own
context (the interface language, the content version, the script root: see `web.fragment_context`), so another
language or a content reload renders afresh. Nothing that belongs to one visitor may go inside a cached block: no
CSRF token, no flash message, no progress, no name.

The cache lives in the process, holds at most `MAX_ENTRIES` fragments (it starts over when full; keys come from
the catalog and the configured languages, so a visitor cannot grow it) and is off while templates auto-reload.

`{% rowcache part, ... %}...{% endrowcache %}` is for the rows of a visitor's own records (an attempt in the
attempt table): a row is rendered once per key and shown again when the same record comes back unchanged, on
`/me`, on the next page of `/me/attempts` or at the next visit. Its key must hold every value of the record the
row shows (its id and each field, not only the id): the row is then a function of its key, so a changed record
never shows an old row and one visitor's row can only ever be shown for that same record. The app's context and
`row_context` (the reader's time zone: rows show times) are added. It has its own store, at most `ROW_ENTRIES`
rows, the oldest dropped first, so rows never push the shared fragments out.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import cast

from jinja2 import Environment, nodes
from jinja2.ext import Extension
from jinja2.parser import Parser

from greencustoms.bounded import remember

MAX_ENTRIES = 4096
ROW_ENTRIES = 10_000  # rendered rows kept per process (about half a kilobyte each)
_row_lock = threading.Lock()


class FragmentEnvironment(Environment):
    """For type checking: the attributes FragmentCache adds to its environment (with Environment.extend)."""

    fragment_cache: dict[Hashable, str]
    row_cache: dict[Hashable, str]
    fragment_cache_enabled: bool
    fragment_context: Callable[[], Hashable]
    row_context: Callable[[], Hashable]


class FragmentCache(Extension):
    """The `cache` and `rowcache` tags. `environment.fragment_context` (set by the app) adds its parts to every
    key; `environment.row_context` adds its own to a row's."""

    tags = {"cache", "rowcache"}

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.extend(
            fragment_cache={},
            row_cache={},
            fragment_cache_enabled=True,
            fragment_context=lambda: (),
            row_context=lambda: (),
        )

    def parse(self, parser: Parser) -> nodes.Node:
        token = next(parser.stream)
        parts = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            parts.append(parser.parse_expression())
        body = parser.parse_statements((f"name:end{token.value}",), drop_needle=True)
        method = "_fragment" if token.value == "cache" else "_row"
        call = self.call_method(method, [nodes.Const(parser.name), nodes.Tuple(parts, "load")])
        return nodes.CallBlock(call, [], [], body).set_lineno(token.lineno)

    def _fragment(self, template: str | None, parts: tuple[Hashable, ...], caller: Callable[[], str]) -> str:
        # caller() renders the body; with autoescape on it is already Markup, so it is kept as it is
        environment = cast(FragmentEnvironment, self.environment)  # __init__ extended it with the attributes
        if not environment.fragment_cache_enabled:
            return caller()
        key = (template, parts, environment.fragment_context())
        cache: dict = environment.fragment_cache
        html = cache.get(key)
        if html is None:
            html = caller()
            if len(cache) >= MAX_ENTRIES:
                cache.clear()
            cache[key] = html
        return html

    def _row(self, template: str | None, parts: tuple[Hashable, ...], caller: Callable[[], str]) -> str:
        environment = cast(FragmentEnvironment, self.environment)
        if not environment.fragment_cache_enabled:
            return caller()
        key = (template, parts, environment.fragment_context(), environment.row_context())
        rows: dict = environment.row_cache
        html = rows.get(key)
        if html is None:
            html = caller()
            with _row_lock:
                remember(rows, key, html, ROW_ENTRIES)
        return html
