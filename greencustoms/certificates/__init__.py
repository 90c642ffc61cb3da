"""Course completion and certificates: the rule, issuing, PDFs with QR codes, public verification, revocation."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint, the `format_code` template helper, and the completion signal receivers."""
    from greencustoms.certificates import receivers  # noqa: F401  (connects the signals, once per process)
    from greencustoms.certificates.codes import format_code
    from greencustoms.certificates.views import bp

    app.register_blueprint(bp)
    app.add_template_global(format_code, "format_code")
    app.extensions["quiz.count_since"] = _renewal_since


def _renewal_since(user_id: int, quiz_slug: str):
    """Hook for the quiz area: a renewal retake of a final exam ignores attempts made before the expiry."""
    from greencustoms.certificates.service import renewal_since
    from greencustoms.content import get_catalog

    return renewal_since(get_catalog(), user_id, quiz_slug)
