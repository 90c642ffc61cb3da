"""Content pages: lesson and quiz images under /media/..., and the glossary."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, render_template, send_from_directory
from flask_babel import get_locale

from greencustoms.access import Access, policy, requires

from . import get_catalog
from .links import IMAGE_SUFFIXES

bp = Blueprint("content", __name__)

MEDIA_MAX_AGE = 86400
# An SVG opened on its own must not run script or load anything, whatever it contains.
MEDIA_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox"


@bp.get("/media/modules/<module>/<path:filename>")
@requires(Access.PUBLIC, no_store=False)
def module_media(module: str, filename: str) -> Response:
    """An image from modules/<module>/img/; 404 for an unknown or unlisted module, a missing file or a path
    outside img/."""
    catalog = get_catalog()
    if module not in catalog.modules or not policy.module_is_listed(catalog, module):
        abort(404)
    return _send_image(catalog.root / "modules" / module / "img", filename)


@bp.get("/media/quizzes/<path:filename>")
@requires(Access.PUBLIC, no_store=False)
def quiz_media(filename: str) -> Response:
    """An image from quizzes/img/; 404 for a missing file or a path outside img/."""
    return _send_image(get_catalog().root / "quizzes" / "img", filename)


def _send_image(folder: Path, filename: str) -> Response:
    if not filename.lower().endswith(IMAGE_SUFFIXES):
        abort(404)
    response = send_from_directory(folder, filename, max_age=MEDIA_MAX_AGE)
    response.cache_control.public = True
    response.headers["Content-Security-Policy"] = MEDIA_CSP
    return response


@bp.get("/glossary")
@requires(Access.PUBLIC)
def glossary() -> str:
    """Every glossary term in the reader's language (where translated; the source's elsewhere), grouped by first
    letter with a jump list."""
    catalog = get_catalog().localized(str(get_locale() or ""))
    return render_template("content/glossary.html", groups=catalog.glossary_index())
