"""The background task that empties the outbox: every minute, and right after new statements are recorded."""

from __future__ import annotations

from greencustoms import jobs
from greencustoms.xapi.outbox import deliver


@jobs.periodic(minute="*")
def send_statements() -> None:
    """Send the statements that are due (retries wait their back-off; see greencustoms.xapi.outbox)."""
    deliver()
