"""Cross-cutting web concerns: security headers, /healthz, and values every template sees."""

from __future__ import annotations

from flask import Flask, Response, current_app, g, request
from sqlalchemy import text

from greencustoms.extensions import db, limiter
from greencustoms.fragments import FragmentCache

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    """Attach the header hook, the health route and the template context."""
    if app.config["PROXY_HOPS"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.after_request(set_security_headers)
    app.add_url_rule("/healthz", "healthz", healthz)
    limiter.exempt(app.view_functions["healthz"])
    app.context_processor(_template_globals)
    app.jinja_env.add_extension(FragmentCache)
    app.jinja_env.fragment_context = fragment_context
    app.jinja_env.fragment_cache_enabled = not (app.debug or app.config.get("TEMPLATES_AUTO_RELOAD"))


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
    """200 "ok" when the app and its database answer, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means "not healthy", never a 500 page
        current_app.logger.exception("health check: database did not answer")
        return "database unavailable\n", 503, {"Content-Type": "text/plain; charset=utf-8"}
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


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


def _template_globals() -> dict[str, object]:
    from flask_babel import format_date, format_datetime, format_decimal, format_time

    return {
        "site_name": current_app.config["SITE_NAME"],
        "format_date": format_date,
        "format_datetime": format_datetime,
        "format_time": format_time,
        "format_number": format_decimal,
    }
