"""A small HTTP client for the bench: one keep-alive connection and one cookie jar per simulated person, and
reading the forms of a page (CSRF token, hidden fields, the inputs of a quiz page) the way a browser would."""

from __future__ import annotations

import http.client
import random
import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
# Idle keep-alive connections are closed by gunicorn after `keepalive` (5 s): reconnect before that.
IDLE_RECONNECT = 4.0


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float
    wire_bytes: int = 0  # the body's size as it travelled (set by bench/weight.py when it asked for gzip)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Browser:
    """One person: a keep-alive connection to the server and the cookies it set."""

    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        self._conn: http.client.HTTPConnection | None = None
        self._used = 0.0
        self._reused = False

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(
        self, method: str, path: str, form: list[tuple[str, str]] | None = None, headers: dict | None = None
    ) -> Reply:
        """Send one request (no redirect is followed) and keep the cookies the reply sets."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = self.cookie_header
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        try:
            response, data = self._send(method, path, body, headers)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            if not self._reused:  # a fresh connection that fails is the server's failure: counted by the caller
                raise
            # The server closed a kept-alive connection before answering (gunicorn recycles workers after
            # max_requests): browsers resend on a new connection in that case, and so does this client.
            response, data = self._send(method, path, body, headers)
        seconds = time.perf_counter() - start
        self._used = time.monotonic()
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data, seconds)

    def _send(self, method: str, path: str, body: bytes | None, headers: dict[str, str]):
        """One request on the kept-alive connection, or on a new one when there is none or it sat idle."""
        self._reused = self._conn is not None and time.monotonic() - self._used <= IDLE_RECONNECT
        if not self._reused:
            self.close()
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            self._conn.request(method, path, body=body, headers=headers)
            response = self._conn.getresponse()
            return response, response.read()
        except (http.client.HTTPException, OSError):
            self.close()
            raise

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, form: list[tuple[str, str]]) -> Reply:
        return self.request("POST", path, form)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on the page."""
    match = CSRF.search(html)
    if not match:
        raise ValueError("no CSRF token on the page")
    return match.group(1)


def sign_in(host: str, port: int, email: str, password: str) -> Browser:
    """A Browser signed in through the real login form. Raises RuntimeError when the login is refused."""
    browser = Browser(host, port)
    token = csrf_token(browser.get("/login").text)
    reply = browser.post("/login", [("csrf_token", token), ("email", email), ("password", password)])
    if reply.status not in (302, 303):
        raise RuntimeError(f"login of {email} answered {reply.status}")
    return browser


class _FormReader(HTMLParser):
    """Collects the fields of the form with class `form_class`: hidden values, radio/checkbox groups, selects
    and text inputs, in page order."""

    def __init__(self, form_class: str):
        super().__init__(convert_charrefs=True)
        self.form_class, self.inside, self.action = form_class, False, None
        self.hidden: list[tuple[str, str]] = []
        self.groups: dict[str, list[str]] = {}
        self.kinds: dict[str, str] = {}
        self.texts: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and self.form_class in (a.get("class") or "").split():
            self.inside, self.action = True, a.get("action")
        if not self.inside or "name" not in a and tag != "option":
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind == "hidden":
                self.hidden.append((a["name"], a.get("value", "")))
            elif kind in ("radio", "checkbox"):
                self.groups.setdefault(a["name"], []).append(a.get("value", "on"))
                self.kinds[a["name"]] = kind
            elif kind == "text":
                self.texts[a["name"]] = a.get("inputmode", "")
        elif tag == "select":
            self._select = a["name"]
            self.groups[self._select], self.kinds[self._select] = [], "select"
        elif tag == "option" and self._select and a.get("value"):
            self.groups[self._select].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


def fill_quiz_form(html: str, rng: random.Random, go: str = "next") -> tuple[str, list[tuple[str, str]]]:
    """(action, fields) of the take page's form, every question answered: one random choice per radio or
    checkbox group and per select (a document check's reason only for the field marked), a number or a word in
    text fields. Raises ValueError without a quiz form."""
    reader = _FormReader("quiz-form")
    reader.feed(html)
    if reader.action is None:
        raise ValueError("no quiz form on the page")
    fields = list(reader.hidden)
    chosen = {name: rng.choice(values) for name, values in reader.groups.items() if values}
    boxes = [name for name, kind in reader.kinds.items() if kind == "checkbox"]
    for name, value in chosen.items():
        # A document check's reason select (<field>-<token>, tokens may hold "-") goes with its field's checkbox:
        # a reason for a field not marked wrong is refused (400), as a person would be told to mark it first.
        group = next((box for box in boxes if name.startswith(f"{box}-")), None)
        if reader.kinds.get(name) == "select" and group and chosen.get(group) != name[len(group) + 1 :]:
            continue
        fields.append((name, value))
    for name, inputmode in reader.texts.items():
        fields.append((name, "42" if inputmode == "decimal" else "waste"))
    fields.append(("go", go))
    return reader.action, fields
