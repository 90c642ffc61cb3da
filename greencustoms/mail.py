"""Outgoing e-mail, sent by a background job (greencustoms.jobs) over SMTP.

Configured by MAIL_SERVER (none: mail is off), MAIL_PORT, MAIL_USE_TLS (STARTTLS), MAIL_USERNAME, MAIL_PASSWORD
and MAIL_FROM. A request never waits for the mail server: `send` queues the message and returns. Messages are
plain text, written (and translated) by the caller; a job retries a few times when the server does not answer.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app

from greencustoms import jobs


def enabled() -> bool:
    """True when an SMTP server is configured."""
    return bool(current_app.config.get("MAIL_SERVER"))


def send(to: str, subject: str, body: str) -> None:
    """Queue a plain-text message to `to` (plain strings: translate before calling)."""
    jobs.enqueue(send_mail, to, str(subject), str(body))


@jobs.task(retries=3)
def send_mail(to: str, subject: str, body: str) -> None:
    """Deliver one message over SMTP now (the job behind `send`). Raises smtplib or OS errors on failure."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=30) as server:
        if config.get("MAIL_USE_TLS"):
            server.starttls()
        if config.get("MAIL_USERNAME"):
            server.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        server.send_message(message)
