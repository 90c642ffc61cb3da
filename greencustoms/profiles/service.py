"""The rules of profile fields: defining, editing, ordering and retiring them, and reading and storing values.

Administrators define the fields (greencustoms.admin.profile_fields_views); learners fill the active ones on
/account and administrators on an account's page; the completion export adds one column per active field. A key
is a stable machine name (lower-case letters, digits, underscores) chosen once: it is never renamed, and since a
field is retired rather than deleted, never reused. Every change of a field is audited; so is an administrator's
change of a person's values (which fields changed, never the values: the audit log outlives an anonymisation).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from greencustoms import audit, rules  # the module, not its names: rules -> exports -> profiles is a cycle
from greencustoms.extensions import db
from greencustoms.models import FIELD_KINDS, ProfileField, ProfileValue, User

MAX_LABEL = 100
MAX_HINT = 200
MAX_VALUE = 100  # characters of one value: a staff number, a grade, a duty station
MAX_OPTIONS = 50
MAX_FIELDS = 30  # active fields: each is a column of every export and a line of every learner's form
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def form_name(field: ProfileField) -> str:
    """The name of the field's input in forms (and of the `field` of its RuleError)."""
    return f"profile_{field.key}"


def all_fields() -> list[ProfileField]:
    """Every field, active ones first, each group in its order."""
    statement = db.select(ProfileField).order_by(ProfileField.active.desc(), ProfileField.position, ProfileField.id)
    return list(db.session.execute(statement).scalars())


def active_fields() -> list[ProfileField]:
    """The fields forms show and exports add as columns, in their order."""
    statement = db.select(ProfileField).where(ProfileField.active.is_(True))
    return list(db.session.execute(statement.order_by(ProfileField.position, ProfileField.id)).scalars())


@dataclass(frozen=True)
class ExportedField:
    """What an export needs of an active field, read once before the rows stream (no ORM object to refresh)."""

    id: int
    key: str
    label: str


def exported_fields() -> tuple[ExportedField, ...]:
    """The active fields, in their order, as the completion export adds them as columns."""
    return tuple(ExportedField(field.id, field.key, field.label) for field in active_fields())


def _clean_key(key: str | None) -> str:
    key = (key or "").strip()
    if not _KEY.match(key):
        raise rules.RuleError(
            _l("The key must start with a letter a-z and hold only a-z, digits and underscores (at most 40)."), "key"
        )
    return key


def _clean_options(kind: str, options: Iterable[str]) -> list[str]:
    """The choices of a choice field: each a plain text, none twice, at least one; [] for a text field."""
    if kind not in FIELD_KINDS:
        raise rules.RuleError(_l("Choose the kind of field."), "kind")
    if kind != "choice":
        return []
    cleaned: list[str] = []
    for raw in options:
        try:
            option = rules.plain_text(raw, limit=MAX_VALUE)
        except rules.RuleError as exc:
            problem = _l("“%(option)s”: %(problem)s", option=raw.strip(), problem=exc.message)
            raise rules.RuleError(problem, "options") from None
        if option and option not in cleaned:
            cleaned.append(option)
    if not cleaned:
        raise rules.RuleError(_l("A choice field needs at least one choice, one per line."), "options")
    if len(cleaned) > MAX_OPTIONS:
        raise rules.RuleError(_l("At most %(n)d choices.", n=MAX_OPTIONS), "options")
    return cleaned


def _clean_texts(label: str | None, hint: str | None) -> tuple[str, str]:
    checks = rules.Checks()
    cleaned_label = checks.run(rules.plain_text, label, field="label", limit=MAX_LABEL, required=True)
    cleaned_hint = checks.run(rules.plain_text, hint, field="hint", limit=MAX_HINT)
    checks.raise_if_any()
    return cleaned_label, cleaned_hint


def define_field(
    actor: User, *, key: str, label: str, kind: str, options: Iterable[str] = (), hint: str = ""
) -> ProfileField:
    """Add an active field at the end. Raises RuleError (field named) on a malformed key, label, hint or choice,
    a key already used (by an active or a retired field), or too many active fields."""
    key = _clean_key(key)
    label, hint = _clean_texts(label, hint)
    cleaned_options = _clean_options(kind, options)
    if db.session.execute(db.select(ProfileField.id).filter_by(key=key)).first():
        raise rules.RuleError(
            _l("Another field, perhaps a retired one, already has this key: keys are never reused."), "key"
        )
    if len(active_fields()) >= MAX_FIELDS:
        raise rules.RuleError(_l("At most %(n)d active fields: retire one first.", n=MAX_FIELDS), "label")
    last = db.session.execute(db.select(db.func.max(ProfileField.position))).scalar() or 0
    field = ProfileField(key=key, label=label, hint=hint, kind=kind, options=cleaned_options, position=last + 1)
    db.session.add(field)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same key defined meanwhile
        db.session.rollback()
        raise rules.RuleError(_l("Another field already has this key."), "key") from exc
    audit.record(
        "profile_field.created",
        actor.id,
        f"profile-field:{key}",
        {"key": key, "label": label, "kind": kind, "options": cleaned_options},
        commit=False,
    )
    db.session.commit()
    return field


def update_field(actor: User, field: ProfileField, *, label: str, options: Iterable[str] = (), hint: str = "") -> None:
    """Change the label, hint and choices of a field (never its key nor its kind: exports and stored values rely
    on both). Values stored before a choice was removed stay as they are. Audited with each change; nothing is
    written when nothing changes. Raises RuleError."""
    label, hint = _clean_texts(label, hint)
    new = {"label": label, "hint": hint, "options": _clean_options(field.kind, options)}
    changed = {
        key: {"from": getattr(field, key), "to": value} for key, value in new.items() if getattr(field, key) != value
    }
    if not changed:
        return
    for key, change in changed.items():
        setattr(field, key, change["to"])
    details = {"key": field.key, "label": field.label, "changed": changed}
    audit.record("profile_field.changed", actor.id, f"profile-field:{field.key}", details, commit=False)
    db.session.commit()


def set_active(actor: User, field: ProfileField, active: bool) -> None:
    """Retire a field (hidden from forms and new exports, its values kept) or bring it back. Raises RuleError when
    bringing it back would pass MAX_FIELDS."""
    if field.active == active:
        return
    if active and len(active_fields()) >= MAX_FIELDS:
        raise rules.RuleError(_l("At most %(n)d active fields: retire one first.", n=MAX_FIELDS))
    field.active = active
    event = "profile_field.reactivated" if active else "profile_field.retired"
    audit.record(event, actor.id, f"profile-field:{field.key}", {"key": field.key, "label": field.label}, commit=False)
    db.session.commit()


def move_field(actor: User, field: ProfileField, direction: str) -> None:
    """Swap the field with its neighbour among the active fields ("up" or "down"); nothing at either end."""
    fields = active_fields()
    if field not in fields or direction not in ("up", "down"):
        return
    index = fields.index(field)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(fields):
        return
    fields[index], fields[other] = fields[other], fields[index]
    for position, each in enumerate(fields, start=1):
        each.position = position
    details = {"key": field.key, "label": field.label, "position": fields.index(field) + 1}
    audit.record("profile_field.moved", actor.id, f"profile-field:{field.key}", details, commit=False)
    db.session.commit()


def values_of(user_id: int) -> dict[int, str]:
    """The person's stored values by field id (retired fields included)."""
    statement = db.select(ProfileValue.field_id, ProfileValue.value).where(ProfileValue.user_id == user_id)
    return {field_id: value for field_id, value in db.session.execute(statement)}


def offered(field: ProfileField, value: str) -> bool:
    """Whether `value` is one the field offers: any text for a text field, one of the options for a choice."""
    return field.kind != "choice" or value in field.options


def clean_values(
    fields: Sequence[ProfileField], submitted: Mapping[str, str | None], stored: Mapping[int, str]
) -> dict[int, str]:
    """The values to store, by field id, from `submitted` (keyed by `form_name`): each a plain one-line text of at
    most MAX_VALUE characters (greencustoms.rules.plain_text), a choice one of the field's options, or the value
    already stored (a choice an administrator removed later stays until changed). An empty text clears the value.
    Raises RuleError (RulesBroken for several), each naming the form field."""
    checks = rules.Checks()
    cleaned: dict[int, str] = {}
    for field in fields:
        name = form_name(field)
        if name not in submitted:  # not on the form (a field activated since): left as it is
            continue
        value = checks.run(rules.plain_text, submitted.get(name), field=name, limit=MAX_VALUE)
        if value is None:
            continue
        if value and not offered(field, value) and value != stored.get(field.id):
            checks.errors.append(rules.RuleError(_l("Choose one of the offered values."), name))
            continue
        cleaned[field.id] = value
    checks.raise_if_any()
    return cleaned


def store_values(user: User, values: Mapping[int, str], *, actor: User | None = None) -> list[str]:
    """Write cleaned values (from `clean_values`): an empty one deletes the stored value. Returns the keys of the
    fields whose value changed. When `actor` is someone else (an administrator), the change is audited as
    user.profile_changed with those keys, not the values."""
    stored = {
        row.field_id: row for row in db.session.execute(db.select(ProfileValue).filter_by(user_id=user.id)).scalars()
    }
    changed_ids: list[int] = []
    for field_id, value in values.items():
        row = stored.get(field_id)
        if row is None and value:
            db.session.add(ProfileValue(user_id=user.id, field_id=field_id, value=value))
        elif row is not None and not value:
            db.session.delete(row)
        elif row is not None and row.value != value:
            row.value = value
        else:
            continue
        changed_ids.append(field_id)
    if not changed_ids:
        return []
    keys = list(
        db.session.execute(
            db.select(ProfileField.key).where(ProfileField.id.in_(changed_ids)).order_by(ProfileField.position)
        ).scalars()
    )
    if actor is not None and actor.id != user.id:
        audit.record("user.profile_changed", actor.id, f"user:{user.id}", {"fields": keys}, commit=False)
    db.session.commit()
    return keys


def erase_values(user_id: int) -> None:
    """Delete every profile value of the person, in the caller's transaction (anonymisation)."""
    db.session.execute(db.delete(ProfileValue).where(ProfileValue.user_id == user_id))
