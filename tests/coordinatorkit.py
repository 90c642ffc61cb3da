"""Helpers for coordinator tests: a coordinator signed in with a scope, learners with records in two countries."""

from __future__ import annotations

import re

from greencustoms.certificates.codes import format_code
from greencustoms.extensions import db
from greencustoms.models import CoordinatorScope
from tests.adminkit import T0, add_learner, add_record, signed_in
from tests.conftest import post_form


def coordinator(app, *scopes: tuple[str, str], email: str = "coord@example.org", role: str = "learner"):
    """A signed-in account coordinating `scopes` ((country, organisation) pairs): (user_id, client)."""
    user_id, client = signed_in(app, role=role, email=email, name="Cora Coordinator", country=scopes[0][0])
    with app.app_context():
        for country, organisation in scopes:
            db.session.add(CoordinatorScope(user_id=user_id, country=country, organisation=organisation))
        db.session.commit()
    return user_id, client


def learner_with_certificate(app, name: str, country: str, organisation: str = "Customs") -> tuple[int, str]:
    """A learner of `country` who completed the demo course and holds a valid certificate: (id, printed code)."""
    with app.app_context():
        email = f"{name.split()[0].lower()}@example.org"
        learner = add_learner(name, email=email, country=country, organisation=organisation)
        certificate = add_record(learner, completed=T0, score=90.0, certificate="valid", holder=name)
        db.session.commit()
        return learner, format_code(certificate.code)


def create_token(client, url: str = "/coordinator/tokens") -> str:
    """Create an API token on the coordinator's (or administrator's) token page; its secret, shown once."""
    response = post_form(client, url, {"name": "National report"}, token_from=url)
    assert response.status_code == 200, response.status_code
    match = re.search(r"gcl_[A-Za-z0-9_\-]{43}", response.get_data(as_text=True))
    assert match, "the token is shown once"
    return match.group(0)
