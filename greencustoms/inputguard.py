"""Bad input stops at the door: control characters in any text input, and out-of-range ids in URLs.

Before any view (and so before any query) every text a request carries, in the query string, the form, a JSON
body and the URL's own parts, is checked for NUL and other control characters (C0 except tab, line feed and
carriage return; DEL; C1 such as U+0085): a clear 400, never a database error. Integer ids in URLs go through
`BoundedInt`, so a huge id (99999999999999999999) does not match the route at all: 404, on SQLite and PostgreSQL
alike, instead of an overflow in the driver. Uploaded files are not text inputs: their readers check them.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter

from greencustoms.errors import fail

# Largest id the database stores (a signed 32-bit INTEGER column on PostgreSQL).
MAX_ID = 2**31 - 1
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class BoundedInt(IntegerConverter):
    """The `int` URL converter, limited to 0..MAX_ID by default: a larger number is no match (404)."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002 (Werkzeug's names)
        super().__init__(url_map, fixed_digits, min, MAX_ID if max is None else max, signed)


def page_number() -> int:
    """The ?page= number of a paginated list, from 1 to MAX_ID (a larger one would overflow the query's OFFSET);
    anything unreadable means page 1."""
    return min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_ID)


def init_app(app: Flask) -> None:
    """Install the bounded `int` converter (before any route is added) and the control-character check."""
    app.url_map.converters["int"] = BoundedInt
    app.before_request(refuse_control_characters)


def has_control_character(value: Any) -> bool:
    """True when a text (or any text inside a list or dict, keys included) holds a control character."""
    if isinstance(value, str):
        return CONTROL.search(value) is not None
    if isinstance(value, dict):
        return any(has_control_character(key) or has_control_character(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(has_control_character(item) for item in value)
    return False


def refuse_control_characters() -> None:
    """Stop the request with 400 when a query parameter, form field, JSON value or URL part holds a control
    character (a NUL byte in an e-mail used to reach PostgreSQL and fail there with a 500)."""
    texts: list[Any] = [request.path, list((request.view_args or {}).values())]
    texts += [list(request.args.items(multi=True))]
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.is_json:
            texts.append(request.get_json(silent=True))
        else:
            texts.append(list(request.form.items(multi=True)))
    if has_control_character(texts):
        fail(400, _l("What you sent contains control characters (such as a NUL byte). Remove them and try again."))
