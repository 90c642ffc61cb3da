"""The shared database rules (greencustoms.database): every time is stored in UTC and read back zone-aware."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from greencustoms.database import UTCDateTime, as_utc


def test_a_time_without_its_zone_is_read_as_utc_and_one_with_a_zone_is_kept():
    assert as_utc(datetime(2026, 3, 1, 9, 30)) == datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    nairobi = datetime(2026, 3, 1, 12, 30, tzinfo=timezone(timedelta(hours=3)))
    assert as_utc(nairobi) is nairobi
    assert as_utc(None) is None


def test_a_time_without_its_zone_is_refused_when_stored():
    with pytest.raises(ValueError, match="naive datetime"):
        UTCDateTime().process_bind_param(datetime(2026, 3, 1, 9, 30), None)


def test_a_single_use_row_is_spent_once_and_the_loser_keeps_nothing(app, auth):
    """spend_once: the first caller marks the row used; a second (a racing request with the same link) is told
    no, and its transaction is rolled back, so nothing it did before the attempt is saved."""
    from greencustoms.database import spend_once
    from greencustoms.extensions import db
    from greencustoms.models import PasswordResetToken, User

    user_id = auth.create(email="single.use@example.org", name="Single Use")
    now = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    with app.app_context():
        token = PasswordResetToken(user_id=user_id, token_hash="a" * 64, expires_at=now + timedelta(hours=1))
        db.session.add(token)
        db.session.commit()
        assert spend_once(PasswordResetToken, token.id, now) is True
        db.session.commit()
        db.session.get(User, user_id).full_name = "Changed by the loser"
        assert spend_once(PasswordResetToken, token.id, now + timedelta(seconds=1)) is False
        db.session.expire_all()
        assert db.session.get(User, user_id).full_name == "Single Use"
        assert db.session.get(PasswordResetToken, token.id).used_at == now
        late = PasswordResetToken(user_id=user_id, token_hash="b" * 64, expires_at=now)
        db.session.add(late)
        db.session.commit()
        expired = PasswordResetToken.expires_at > now + timedelta(minutes=1)
        assert spend_once(PasswordResetToken, late.id, now + timedelta(minutes=1), expired) is False
        assert db.session.get(PasswordResetToken, late.id).used_at is None
