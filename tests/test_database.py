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
