"""Cross-cutting web concerns: security headers, route access (greencustoms.access), /healthz, and values every
template sees."""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network
from typing import Any, cast
from urllib.parse import quote

from flask import Flask, Response, current_app, g, request
from sqlalchemy import text
from werkzeug.middleware.proxy_fix import ProxyFix

from greencustoms import access, pagecache
from greencustoms.access import Access, requires
from greencustoms.extensions import db, limiter
from greencustoms.fragments import FragmentCache, FragmentEnvironment

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    """Attach the header hook, the health route and the template context."""
    trust_proxies(app)
    from greencustoms import delivery

    delivery.init_app(app)
    app.after_request(set_security_headers)
    access.init_app(app)
    app.add_url_rule("/healthz", "healthz", requires(Access.PUBLIC)(healthz))
    limiter.exempt(app.view_functions["healthz"])
    app.context_processor(_template_globals)
    app.jinja_env.add_extension(FragmentCache)
    jinja_env = cast(FragmentEnvironment, app.jinja_env)  # add_extension(FragmentCache) added the attributes
    jinja_env.fragment_context = fragment_context
    jinja_env.row_context = row_context
    jinja_env.fragment_cache_enabled = not (app.debug or app.config.get("TEMPLATES_AUTO_RELOAD"))
    pagecache.init_app(app)


def trust_proxies(app: Flask) -> None:
    """Apply X-Forwarded-For/Proto/Host only from TRUSTED_PROXIES (PROXY_HOPS of them, default 1). Exits with a
    message when PROXY_HOPS is set without TRUSTED_PROXIES: trusting every peer would let any client that
    reaches the app directly choose its own address and scheme."""
    trusted = [ip_network(entry, strict=False) for entry in app.config.get("TRUSTED_PROXIES") or []]
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops and not trusted:
        raise SystemExit(
            "GREENCUSTOMS_PROXY_HOPS needs GREENCUSTOMS_TRUSTED_PROXIES: the address(es) of the reverse proxy whose "
            "X-Forwarded-* headers may be believed (for example 127.0.0.1)"
        )
    if trusted:
        app.wsgi_app = TrustedProxyFix(app.wsgi_app, trusted, hops or 1)  # type: ignore[method-assign]


class TrustedProxyFix:
    """WSGI middleware: werkzeug's ProxyFix for requests whose peer is a trusted proxy; every X-Forwarded-* header
    is dropped from any other peer, so a client that bypasses the proxy cannot set its own address or scheme."""

    def __init__(self, wsgi_app: Any, trusted: list[IPv4Network | IPv6Network], hops: int) -> None:
        self.wsgi_app = wsgi_app
        self.trusted = trusted
        self.proxied = ProxyFix(wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if self.is_trusted(environ.get("REMOTE_ADDR")):
            return self.proxied(environ, start_response)
        for key in [key for key in environ if key.startswith("HTTP_X_FORWARDED_")]:
            del environ[key]
        return self.wsgi_app(environ, start_response)

    def is_trusted(self, peer: str | None) -> bool:
        """True when `peer` (the TCP peer's address) is one of the trusted proxies."""
        try:
            address = ip_address(peer or "")
        except ValueError:
            return False
        return any(address in network for network in self.trusted)


def set_security_headers(response: Response) -> Response:
    """CSP without inline script, no framing, no sniffing, a strict referrer policy; HSTS when served over TLS."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:  # behind TLS (directly, or through a trusted proxy's X-Forwarded-Proto)
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def public_url(path: str) -> str:
    """THE absolute address on the public site (PUBLIC_BASE_URL + `path`), for links handed over to people:
    QR codes, printed slips and certificates, e-mails. Works without a request (background jobs, the CLI)."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def healthz() -> tuple[str, int, dict[str, str]]:
    """200 "ok" when the app and its database answer (with the content version in a header), 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means "not healthy", never a 500 page
        current_app.logger.exception("health check: database did not answer")
        return "database unavailable\n", 503, {"Content-Type": "text/plain; charset=utf-8"}
    headers = {
        "Content-Type": "text/plain; charset=utf-8",
        "Cache-Control": "no-store",
        # Which content this instance serves: a load balancer (and the cluster test) can see that a rolling
        # deployment has reached every instance.
        "X-Content-Version": current_app.extensions["catalog"].version,
    }
    return "ok\n", 200, headers


def fragment_context() -> tuple[str, str, str]:
    """What every cached template fragment also depends on: the interface language, the content version and the
    path the app is mounted at. Worked out once per request (Flask-Babel also fixes the locale per request)."""
    context = g.get("_fragment_context")
    if context is None:
        from flask_babel import get_locale

        context = g._fragment_context = (
            str(get_locale()),
            current_app.extensions["catalog"].version,
            request.script_root,
        )
    return context


def row_context() -> str:
    """What a cached row (`{% rowcache %}`) also depends on, beyond `fragment_context`: the reader's time zone,
    since rows show times."""
    from flask_babel import get_timezone

    return str(get_timezone())


def _template_globals() -> dict[str, object]:
    from flask_babel import format_date, format_decimal, format_time

    from greencustoms.datetimes import format_datetime

    return {
        "site_name": current_app.config["SITE_NAME"],
        "format_date": format_date,
        "format_datetime": format_datetime,
        "format_time": format_time,
        "format_number": format_decimal,
    }


def content_disposition(filename: str, fallback: str | None = None) -> str:
    """An RFC 6266 attachment header: an ASCII `filename` fallback (given, or made from the name) and the exact
    name as UTF-8 `filename*` (RFC 5987), so that a name in any script survives in every current browser."""
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in fallback or filename)
    fallback = fallback or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
