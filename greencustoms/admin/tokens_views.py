"""API token pages: list, create (the secret is shown once), revoke."""

from __future__ import annotations

from flask import render_template

from greencustoms.access import Access, requires
from greencustoms.admin.blueprint import bp
from greencustoms.api import token_pages, tokens
from greencustoms.extensions import db
from greencustoms.models import ApiToken, User


def _tokens_page(form: token_pages.TokenForm | None = None, error: str | None = None, status: int = 200):
    listed = tokens.all_tokens()
    people = {token.created_by_id for token in listed} | {token.revoked_by_id for token in listed}
    people.discard(None)
    names = {u.id: u for u in db.session.execute(db.select(User).where(User.id.in_(people))).scalars()}
    return render_template(
        "admin/api_tokens.html",
        tokens=listed,
        people=names,
        form=form or token_pages.TokenForm(),
        error=error,
    ), status


@bp.get("/api-tokens")
@requires(Access.ADMIN)
def api_tokens():
    return _tokens_page()


@bp.post("/api-tokens")
@requires(Access.ADMIN)
def create_api_token():
    """Create a token and show its secret once; the page is never cached."""
    return token_pages.create_token("admin", _tokens_page)


@bp.post("/api-tokens/<int:token_id>/revoke")
@requires(Access.ADMIN)
def revoke_api_token(token_id: int):
    return token_pages.revoke_token("admin", db.get_or_404(ApiToken, token_id), _tokens_page)
