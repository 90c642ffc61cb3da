"""The access policy's plain functions: the same answers for the views, the services and the API."""

from __future__ import annotations

from flask_login import AnonymousUserMixin

from greencustoms.access import policy
from greencustoms.extensions import db
from greencustoms.models import User, Workshop, WorkshopTrainer
from tests.workshopkit import make_workshop


def _user(role: str, email: str, active: bool = True) -> User:
    user = User(email=email, full_name=email, password_hash="x", role=role, active=active)
    db.session.add(user)
    db.session.commit()
    return user


def test_roles_ownership_and_training(app):
    """Admin, owner, co-trainer, other trainer, learner, disabled admin and anonymous each get the right answer."""
    with app.app_context():
        admin, owner = _user("admin", "ad@x.org"), _user("trainer", "ow@x.org")
        co, other, learner = _user("trainer", "co@x.org"), _user("trainer", "ot@x.org"), _user("learner", "le@x.org")
        disabled = _user("admin", "di@x.org", active=False)
        workshop = db.session.get(Workshop, make_workshop(app, owner.id))
        db.session.add(WorkshopTrainer(workshop_id=workshop.id, user_id=co.id))
        db.session.commit()
        anonymous = AnonymousUserMixin()
        people = [admin, owner, co, other, learner, disabled, anonymous, None]
        assert [policy.trains(p, workshop) for p in people] == [True, True, True, False, False, False, False, False]
        assert [policy.manages_trainers(p, workshop) for p in people] == [True, True] + [False] * 6
        assert [policy.is_admin(p) for p in people] == [True] + [False] * 7
        assert [policy.may(p, "train") for p in people] == [True, True, True, True] + [False] * 4
        assert [policy.trained_workshop(p, workshop.id) is not None for p in people] == [
            policy.trains(p, workshop) for p in people
        ]
        thing = type("Owned", (), {"user_id": learner.id})()
        assert [policy.owns(p, thing) for p in people] == [False, False, False, False, True, False, False, False]
        assert policy.may_issue_api_tokens(admin) and not policy.may_issue_api_tokens(disabled)
