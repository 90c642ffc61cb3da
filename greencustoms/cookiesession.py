"""The cookie session, verified once per process for each cookie value.

Flask opens the session cookie on every request: it builds a serializer, checks the cookie's HMAC, decodes the
base64 and the tagged JSON. That is about a sixth of what being signed in costs a page (bench row "signed in,
empty page"). A browser sends the same cookie value until its session changes, and the same bytes verify the same
way every time, so this interface remembers what each verified value held and, when the value comes again,
repeats only the check that can change with time: the signature's age against PERMANENT_SESSION_LIFETIME.

- A value is remembered only after Flask's own check passed; a forged or damaged value is checked in full every
  time and never stored.
- The store belongs to the signing keys (SECRET_KEY and SECRET_KEY_FALLBACKS): when they change, it is emptied.
- Only sessions whose values are all plain scalars are remembered, so each request gets a dict of its own and
  nothing can leak from one request into the next (a session holding a list or a dict, such as pending flash
  messages, is decoded every time).
- At most LIMIT values per process, each at most MAX_VALUE characters (a signed-in session's cookie is about 250),
  so a process keeps a few megabytes at most, however many sessions visitors open; the oldest go first.

Writing the session is Flask's, unchanged, except that the serializer is built once per set of keys.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer

from greencustoms.bounded import remember

LIMIT = 5_000  # cookie values remembered per process
MAX_VALUE = 1_000  # longer cookie values are verified every time, never stored
_SCALARS = (str, int, float, bool, type(None))


class VerifiedCookieSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with each verified cookie value remembered (see the module docstring)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: tuple[Any, ...] | None = None
        self._serializer: URLSafeTimedSerializer | None = None
        self._verified: dict[str, tuple[int, dict[str, Any]]] = {}  # cookie value -> (signed at, its values)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        keys = (*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)
        if keys != self._keys:
            serializer = super().get_signing_serializer(app)
            with self._lock:
                self._keys, self._serializer = keys, serializer
                self._verified = {}
        return self._serializer

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        verified = self._verified
        known = verified.get(value)
        if known is not None and 0 <= int(time.time()) - known[0] <= max_age:  # itsdangerous' own age rule
            return self.session_class(known[1])
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if (
            len(value) <= MAX_VALUE
            and isinstance(data, dict)
            and all(isinstance(item, _SCALARS) for item in data.values())
        ):
            with self._lock:
                if verified is self._verified:  # the keys did not change meanwhile
                    remember(verified, value, (int(signed_at.timestamp()), data), LIMIT)
        return self.session_class(data)


def init_app(app: Flask) -> None:
    """Serve the app's session through VerifiedCookieSessionInterface."""
    app.session_interface = VerifiedCookieSessionInterface()
