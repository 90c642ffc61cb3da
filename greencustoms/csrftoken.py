"""The session's CSRF token, signed once per process instead of on every page.

Flask-WTF keeps a random secret in the session and, on every request that shows a form, signs it anew (an HMAC
over the secret and a timestamp, about 40 us). Every signed-in page has a form (sign out), so every signed-in
page paid for it. With `WTF_CSRF_TIME_LIMIT = None` (config.py: a token lives as long as its session) the
timestamp is never checked, so a token signed earlier for the same secret and key is exactly as valid as a new
one: `csrf_token()` reuses it. Validation is Flask-WTF's, unchanged. With a time limit set, every page signs
again, as Flask-WTF does.

Installed as the templates' `csrf_token()`; `greencustoms.pagecache` puts it into shared pages. A page that
builds a WTForms form still signs once (the form asks Flask-WTF while it is built); its template then reuses
that token, as Flask-WTF does within a request.
"""

from __future__ import annotations

import threading
from typing import Any

from flask import current_app, g, session
from flask_wtf.csrf import generate_csrf

from greencustoms.bounded import remember

LIMIT = 20_000  # signed tokens kept per process (about 200 bytes each); the oldest go first
_signed: dict[tuple[str, str], str] = {}  # (signing key, session's secret) -> signed token
_lock = threading.Lock()


def init_app(app: Any) -> None:
    """Replace Flask-WTF's template function: its global and its context processor (call after
    CSRFProtect.init_app, so that this processor runs after Flask-WTF's and wins)."""
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(_template_values)


def _template_values() -> dict[str, Any]:
    return {"csrf_token": csrf_token}


def csrf_token() -> str:
    """The signed CSRF token for this session (Flask-WTF's `generate_csrf`, signed once per secret)."""
    config = current_app.config
    field = config.get("WTF_CSRF_FIELD_NAME") or "csrf_token"
    if field in g or config.get("WTF_CSRF_TIME_LIMIT") is not None:
        return generate_csrf()
    signing_key = str(config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key)
    secret = session.get(field)
    token = _signed.get((signing_key, secret)) if isinstance(secret, str) else None
    if token is None:
        token = generate_csrf()  # signs, after making the session's secret if it had none (or a damaged one)
        secret = session.get(field)
        if isinstance(secret, str):
            with _lock:
                remember(_signed, (signing_key, secret), token, LIMIT)
    setattr(g, field, token)  # later calls this request, Flask-WTF's included, return the same token
    return token
