"""Template fragment cache: `{% cache "name", part, ... %}...{% endcache %}` renders its body once per key.

It is for the parts of a page that every visitor with the same key sees byte for byte: a lesson's article and
pager, the site header for a given role. The key is the template, the parts given in the tag and the app's own
context (the interface language, the content version, the script root: see `web.fragment_context`), so another
language or a content reload renders afresh. Nothing that belongs to one visitor may go inside a cached block: no
CSRF token, no flash message, no progress, no name.

The cache lives in the process, holds at most `MAX_ENTRIES` fragments (it starts over when full; keys come from
the catalog and the configured languages, so a visitor cannot grow it) and is off while templates auto-reload.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import cast

from jinja2 import Environment, nodes
from jinja2.ext import Extension
from jinja2.parser import Parser

MAX_ENTRIES = 4096


class FragmentEnvironment(Environment):
    """For type checking: the attributes FragmentCache adds to its environment (with Environment.extend)."""

    fragment_cache: dict[Hashable, str]
    fragment_cache_enabled: bool
    fragment_context: Callable[[], Hashable]


class FragmentCache(Extension):
    """The `cache` tag. `environment.fragment_context` (set by the app) adds its parts to every key."""

    tags = {"cache"}

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.extend(fragment_cache={}, fragment_cache_enabled=True, fragment_context=lambda: ())

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        parts = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            parts.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        call = self.call_method("_fragment", [nodes.Const(parser.name), nodes.Tuple(parts, "load")])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

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
