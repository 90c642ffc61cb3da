"""Trainer pages about people: the participant list, roster import, sign-in slips and attendance."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from greencustoms.access import Access, requires
from greencustoms.content import get_catalog
from greencustoms.errors import fail
from greencustoms.models import utcnow
from greencustoms.workshops import attendance as roll
from greencustoms.workshops import invitations, removals, roster, slips
from greencustoms.workshops import participants as people
from greencustoms.workshops.blueprint import bp, form_ids, public_url, visible_workshop
from greencustoms.workshops.forms import RosterForm
from greencustoms.workshops.qr import qr_svg
from greencustoms.workshops.service import WorkshopError


@bp.get("/workshops/<int:workshop_id>/participants")
@requires(Access.TRAINER)
def participants(workshop_id: int):
    workshop = visible_workshop(workshop_id)
    return render_template(
        "workshops/participants.html",
        workshop=workshop,
        people=people.participants(workshop),
        eligible=slips.eligible,
        invited=invitations.pending_of(workshop),
    )


@bp.route("/workshops/<int:workshop_id>/participants/<int:participant_id>/remove", methods=["GET", "POST"])
@requires(Access.TRAINER)
def remove_participant(workshop_id: int, participant_id: int):
    """GET asks for confirmation (a page, no script needed); the POST of that page removes
    (greencustoms.workshops.removals)."""
    workshop = visible_workshop(workshop_id)
    if request.method == "GET":
        person = people.find_participant(workshop, participant_id) or abort(404)
        return render_template("workshops/participant_remove.html", workshop=workshop, person=person)
    if removals.remove(workshop, participant_id, current_user) is None:
        abort(404)
    flash(_("The participant is removed from the workshop. Their account and progress stay."), "success")
    return redirect(url_for("workshops.participants", workshop_id=workshop.id), 303)


@bp.route("/workshops/<int:workshop_id>/roster", methods=["GET", "POST"])
@requires(Access.TRAINER)
def roster_import(workshop_id: int):
    workshop = visible_workshop(workshop_id)
    form = RosterForm()
    problems: list[roster.RosterProblem] = []
    good = 0
    if form.validate_on_submit():
        data = form.data_bytes()
        if data is None:
            form.roster.errors = [_("Choose a CSV file, or paste the rows.")]
        else:
            try:
                report = roster.import_roster(
                    workshop, data, current_user, get_catalog(), skip_wrong_rows=bool(request.form.get("good_rows"))
                )
            except roster.RosterRejected as rejected:
                problems, good = rejected.problems, rejected.good
                form.text.data = _text_of(data)  # kept in the form: fix the lines and send again
            else:
                if request.form.get("good_rows"):
                    flash(_("The rows with problems were left out: correct them and import them later."), "error")
                return _imported(workshop.id, report)
    status = 400 if (form.errors or problems) else 200
    return render_template(
        "workshops/roster_import.html", workshop=workshop, form=form, problems=problems, good=good
    ), status


def _text_of(data: bytes) -> str | None:
    try:
        return roster.decode(data)
    except roster.RosterRejected:
        return None


def _imported(workshop_id: int, report: roster.ImportReport):
    flash(
        _(
            "Roster imported: %(created)d accounts created, %(matched)d existing accounts added, %(invited)d "
            "existing accounts invited (they join when they accept), %(already)d already in the workshop.",
            **report.__dict__,
        ),
        "success",
    )
    return redirect(url_for("workshops.participants", workshop_id=workshop_id), 303)


@bp.post("/workshops/<int:workshop_id>/slips")
@requires(Access.TRAINER)
def slips_print(workshop_id: int):
    workshop = visible_workshop(workshop_id)
    if request.form.get("all"):  # "Print slips for everyone eligible": the button that selects all, no script
        chosen = [person for person in people.participants(workshop) if slips.eligible(person)]
    else:
        found = [people.find_participant(workshop, participant_id) for participant_id in form_ids("participant")]
        chosen = [person for person in found if person is not None]
        if len(chosen) != len(found):
            abort(404)
    try:
        issued = slips.issue_slips(workshop, chosen, current_user)
    except WorkshopError as exc:
        flash(str(exc.message), "error")  # a plain string: a lazy one would be kept as markup
        return redirect(url_for("workshops.participants", workshop_id=workshop.id), 303)
    printed = [(slip, public_url(url_for("workshops.slip", token=slip.token))) for slip in issued]
    with force_locale(workshop.language):  # handed to the participants: in the workshop's language
        return render_template(
            "workshops/slips_print.html",
            workshop=workshop,
            lookup_url=public_url(url_for("workshops.slip_lookup")),
            slips=[(slip, url, qr_svg(url, _("QR code of the sign-in link"))) for slip, url in printed],
        )


@bp.route("/workshops/<int:workshop_id>/attendance", methods=["GET", "POST"])
@requires(Access.TRAINER)
def attendance(workshop_id: int):
    workshop = visible_workshop(workshop_id)
    day = _day(request.values.get("day"), roll.default_day(workshop, utcnow().date()))
    if request.method == "POST":
        try:
            present = [p.id for p in people.participants(workshop)] if request.form.get("all") else form_ids("present")
            count = roll.record_day(workshop, day, present, actor_id=current_user.id)
        except WorkshopError as exc:
            fail(400, exc.message)
        flash(_("Attendance of %(day)s saved: %(n)d present.", day=day.isoformat(), n=count), "success")
        return redirect(url_for("workshops.attendance", workshop_id=workshop.id, day=day.isoformat()), 303)
    days = roll.workshop_days(workshop)
    return render_template(
        "workshops/attendance.html",
        workshop=workshop,
        days=days,
        day=day if day in days else roll.default_day(workshop, utcnow().date()),
        people=people.participants(workshop),
        marks=roll.attendance_marks(workshop),
    )


def _day(raw: str | None, default: date) -> date:
    """The day named in the form or query string (YYYY-MM-DD); 400 when malformed."""
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        fail(400, _("The day must be written YYYY-MM-DD."))
