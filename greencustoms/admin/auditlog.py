"""The audit log as people read it: each event as a sentence with names (who did what to whom), in the reader's
language, for the admin page and its export. Stored events stay as they are (codes, ids, details); only their
reading is made here, so a renamed person or workshop reads with today's name and a deleted one with its id."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from greencustoms import audit
from greencustoms.certificates.codes import format_code
from greencustoms.exports.formats import Column
from greencustoms.extensions import db
from greencustoms.forms_common import country_name
from greencustoms.models import ApiToken, AuditEvent, User, Workshop

# One sentence per event. Placeholders: actor, target, and the event's details (see each audit.record call).
SENTENCES: Mapping[str, Any] = {
    "auth.login": _l("%(actor)s signed in %(way)s (from %(ip)s)."),
    "auth.registered": _l("%(actor)s registered an account."),
    "auth.login_failed": _l("A sign-in as %(account)s failed: wrong e-mail or password (from %(ip)s)."),
    "auth.credential_failed": _l("A check of %(kind)s for %(account)s failed (from %(ip)s)."),
    "auth.throttled": _l("Too many failed checks of %(kind)s for %(account)s: refused for a while (from %(ip)s)."),
    "auth.password_changed": _l("%(actor)s changed their password."),
    "auth.signed_out_everywhere": _l("%(actor)s signed out on every device."),
    "user.role_changed": _l("%(actor)s changed the role of %(target)s from %(from)s to %(to)s."),
    "user.identity_changed": _l("%(actor)s corrected the account of %(target)s: %(changes)s."),
    "coordinator.scope_added": _l("%(actor)s made %(target)s national coordinator for %(country)s%(organisation)s."),
    "coordinator.scope_removed": _l(
        "%(actor)s removed %(target)s as national coordinator for %(country)s%(organisation)s."
    ),
    "user.disabled": _l("%(actor)s disabled the account of %(target)s."),
    "user.enabled": _l("%(actor)s enabled the account of %(target)s again."),
    "user.anonymised": _l("%(actor)s anonymised the account %(target)s."),
    "user.deleted": _l("%(actor)s deleted the account %(target)s (%(role)s)."),
    "user.profile_changed": _l("%(actor)s changed the profile fields %(fields)s of %(target)s."),
    "profile_field.created": _l("%(actor)s added the profile field “%(label)s” (key %(key)s)."),
    "profile_field.changed": _l("%(actor)s changed the profile field “%(label)s” (key %(key)s): %(changes)s."),
    "profile_field.moved": _l("%(actor)s moved the profile field “%(label)s” to place %(position)s."),
    "profile_field.retired": _l("%(actor)s retired the profile field “%(label)s” (key %(key)s); its values are kept."),
    "profile_field.reactivated": _l("%(actor)s made the profile field “%(label)s” (key %(key)s) active again."),
    "password_reset.issued": _l("%(actor)s made a password reset link for %(target)s, valid until %(expires_at)s."),
    "password_reset.used": _l("%(actor)s set a new password with a reset link."),
    "password_reset.requested": _l("Someone asked for a password reset e-mail for %(account)s (from %(ip)s)."),
    "export.completions": _l("%(actor)s exported %(rows)s completion records as %(format)s."),
    "export.workshop_results": _l("%(actor)s exported %(rows)s rows of results of %(target)s as %(format)s."),
    "export.audit_log": _l("%(actor)s exported %(rows)s entries of the audit log as %(format)s."),
    "certificate.revoked": _l("%(actor)s revoked certificate %(target)s. Reason: %(reason)s"),
    "certificate.reissued": _l("%(actor)s replaced certificate %(target)s by %(replacement)s for %(holder_name)s."),
    "certificate.design_changed": _l("%(actor)s changed the certificate design (issued by %(issuing_body)s)."),
    "api_token.created": _l("%(actor)s created the API token “%(name)s”."),
    "api_token.revoked": _l("%(actor)s revoked the API token “%(name)s”."),
    "workshop.created": _l("%(actor)s created the workshop %(target)s."),
    "workshop.roster_imported": _l(
        "%(actor)s imported a roster of %(rows)s rows into %(target)s: %(created)s new accounts, %(matched)s "
        "existing, %(invited)s invited."
    ),
    "workshop.slips_issued": _l("%(actor)s printed sign-in slips for %(participants)s people of %(target)s."),
    "workshop.slip_used": _l("%(actor)s signed in with a sign-in slip."),
    "workshop.invited": _l("%(actor)s invited %(users)s people to %(target)s."),
    "workshop.invitation_accepted": _l("%(user)s accepted the invitation to %(target)s."),
    "workshop.invitation_declined": _l("%(user)s declined the invitation to %(target)s."),
    "workshop.invitation_confirmed": _l("%(actor)s confirmed %(user)s as a participant of %(target)s."),
    "workshop.participant_removed": _l("%(actor)s removed %(user)s from %(target)s."),
    "workshop.joined": _l("%(actor)s joined %(target)s with its join code."),
    "workshop.attendance_marked": _l(
        "%(actor)s took the attendance of %(target)s for %(day)s: %(present)s present, %(absent)s absent."
    ),
    "workshop.quiz_opened": _l("%(actor)s opened the quiz %(quiz)s in %(target)s."),
    "workshop.quiz_closed": _l("%(actor)s closed the quiz %(quiz)s in %(target)s."),
    "workshop.quiz_scheduled": _l(
        "%(actor)s scheduled the quiz %(quiz)s in %(target)s: opens %(opens_at)s, closes %(closes_at)s (%(time_zone)s)."
    ),
    "access.probe": _l("%(actor)s tried to open %(target)s, which is not theirs."),
}
KIND_WORDS: Mapping[str, Any] = {
    "login": _l("a password at sign-in"),
    "password": _l("the current password"),
    "reset": _l("a password reset link"),
    "reset_request": _l("password reset requests"),
    "slip": _l("a sign-in slip"),
    "api_token": _l("an API token"),
}
WAY_WORDS: Mapping[str, Any] = {
    "password": _l("with their password"),
    "slip": _l("with a sign-in slip"),
    "reset": _l("with a password reset link"),
    "registration": _l("after registering"),
}
FIELD_WORDS: Mapping[str, Any] = {
    "full_name": _l("name"),
    "username": _l("username"),
    "email": _l("e-mail"),
    "label": _l("label"),
    "hint": _l("help text"),
    "options": _l("choices"),
}
GROUPS: Mapping[str, Any] = {
    "coordinator": _l("National coordinators"),
    "auth": _l("Sign-ins and passwords"),
    "password_reset": _l("Password resets"),
    "user": _l("Accounts"),
    "workshop": _l("Workshops"),
    "certificate": _l("Certificates"),
    "export": _l("Exports"),
    "api_token": _l("API tokens"),
    "access": _l("Refused access"),
    "profile_field": _l("Profile fields"),
}


@dataclass(frozen=True)
class ReadEvent:
    """One event as the page and the export show it."""

    event: AuditEvent
    sentence: str
    actor: str


def describe(events: Iterable[AuditEvent]) -> list[ReadEvent]:
    """Every event with its sentence, names looked up in one query per kind of thing named."""
    events = list(events)
    names = _Names(events)
    return [ReadEvent(entry, _sentence(entry, names), names.actor(entry.actor_id)) for entry in events]


def _sentence(entry: AuditEvent, names: _Names) -> str:
    details = entry.details if isinstance(entry.details, dict) else {}
    values: dict[str, Any] = {key: _plain(value) for key, value in details.items()}
    values.update(
        actor=names.actor(entry.actor_id),
        target=names.target(entry.target),
        account=details.get("email") or (entry.target or "").removeprefix("account:") or _("an unknown account"),
        ip=details.get("ip") or "?",
        kind=KIND_WORDS.get(str(details.get("kind")), details.get("kind", "?")),
        way=WAY_WORDS.get(str(details.get("way")), WAY_WORDS["password"]),
    )
    if entry.event in ("user.identity_changed", "profile_field.changed"):
        changes = details.get("changed") if entry.event == "profile_field.changed" else details
        values["changes"] = "; ".join(
            f"{FIELD_WORDS.get(field, field)}: {_plain(change.get('from'))} → {_plain(change.get('to'))}"
            for field, change in sorted(changes.items() if isinstance(changes, dict) else [])
            if isinstance(change, dict)
        )
    if entry.event.startswith("coordinator."):
        values["country"] = country_name(str(details.get("country") or "")) or "?"
        values["organisation"] = f" ({details['organisation']})" if details.get("organisation") else ""
    if "quiz" in details:
        values["quiz"] = f"“{details['quiz']}”"
    if "user" in details:
        values["user"] = names.person(details["user"])
    for counted in ("users", "participants"):
        if isinstance(details.get(counted), list):
            values[counted] = len(details[counted])
    for code in ("replacement",):
        if isinstance(details.get(code), str):
            values[code] = format_code(details[code])
    sentence = SENTENCES.get(entry.event)
    if sentence is None:
        return _(
            "%(actor)s: %(event)s (%(target)s).", actor=values["actor"], event=entry.event, target=values["target"]
        )
    try:
        return str(sentence) % _Defaulted(values)
    except (TypeError, ValueError):  # details of an older shape: never fail the page
        return _(
            "%(actor)s: %(event)s (%(target)s).", actor=values["actor"], event=entry.event, target=values["target"]
        )


def _plain(value: Any) -> Any:
    if isinstance(value, bool | int | float | str) or value is None:
        return "—" if value in (None, "") else value
    return ", ".join(str(item) for item in value) if isinstance(value, list) else str(value)


class _Defaulted(dict):
    """A mapping for %-formatting that reads a missing detail as "?" instead of failing."""

    def __missing__(self, key: str) -> str:
        return "?"


class _Names:
    """The current names of the people, workshops and tokens the events mention, fetched once."""

    def __init__(self, events: list[AuditEvent]) -> None:
        refs: dict[str, set[int]] = {"user": set(), "workshop": set(), "api-token": set()}
        for entry in events:
            if entry.actor_id is not None:
                refs["user"].add(entry.actor_id)
            kind, _sep, ref = (entry.target or "").partition(":")
            if kind in refs and ref.isdigit():
                refs[kind].add(int(ref))
            details = entry.details if isinstance(entry.details, dict) else {}
            if isinstance(details.get("user"), int):
                refs["user"].add(details["user"])
        self.people = _by_id(User, refs["user"])
        self.workshops = _by_id(Workshop, refs["workshop"])
        self.tokens = _by_id(ApiToken, refs["api-token"])

    def person(self, user_id: Any) -> str:
        user = self.people.get(user_id) if isinstance(user_id, int) else None
        if user is None:
            return _("account #%(id)s (deleted)", id=user_id)
        return user.full_name or user.email or f"#{user.id}"

    def actor(self, user_id: int | None) -> str:
        return _("the system") if user_id is None else self.person(user_id)

    def target(self, target: str | None) -> str:
        kind, _sep, ref = (target or "").partition(":")
        if kind == "user" and ref.isdigit():
            return self.person(int(ref))
        if kind == "workshop" and ref.isdigit():
            workshop = self.workshops.get(int(ref))
            return f"“{workshop.title}”" if workshop else _("workshop #%(id)s (deleted)", id=ref)
        if kind == "api-token" and ref.isdigit():
            token = self.tokens.get(int(ref))
            return f"“{token.name}”" if token else _("API token #%(id)s", id=ref)
        if kind == "certificate":
            return format_code(ref)
        return target or "—"


def _by_id(model: Any, ids: set[int]) -> dict[int, Any]:
    if not ids:
        return {}
    return {row.id: row for row in db.session.execute(db.select(model).where(model.id.in_(ids))).scalars()}


EXPORT_LIMIT = 100_000  # entries in one export; narrow the filters for more
EXPORT_COLUMNS = (
    Column("occurred_at", _l("When (UTC)"), "datetime", 18),
    Column("event", _l("Event code"), "text", 26),
    Column("description", _l("What happened"), "text", 80),
    Column("actor_id", _l("Done by (id)"), "int", 10),
    Column("actor", _l("Done by"), "text", 26),
    Column("target", _l("Target"), "text", 26),
    Column("details", _l("Details (JSON)"), "text", 40),
)


def export_records(query: audit.AuditQuery) -> list[dict[str, Any]]:
    """The entries matching `query` (at most EXPORT_LIMIT, newest first) as export records."""
    events = db.session.execute(audit.filtered(query).limit(EXPORT_LIMIT)).scalars().all()
    return [
        {
            "occurred_at": read.event.occurred_at,
            "event": read.event.event,
            "description": read.sentence,
            "actor_id": read.event.actor_id,
            "actor": read.actor,
            "target": read.event.target or "",
            "details": json.dumps(read.event.details or {}, ensure_ascii=False, sort_keys=True),
        }
        for read in describe(events)
    ]
