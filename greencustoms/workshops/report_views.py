"""Trainer pages about results: the live progress grid, quiz control, pre/post gains, question analysis, the
results file and the certificates of the session."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    flash,
    get_template_attribute,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from greencustoms.access import Access, requires
from greencustoms.certificates.bulk import render_combined_pdf, render_zip
from greencustoms.content import get_catalog
from greencustoms.exports.jobs import ExportBusy, start_export
from greencustoms.exports.service import content_disposition
from greencustoms.workshops import schedule, service
from greencustoms.workshops.analysis import question_analysis
from greencustoms.workshops.blueprint import bp, visible_workshop
from greencustoms.workshops.gains import MIN_PEOPLE, gain_report
from greencustoms.workshops.grid import progress_grid
from greencustoms.workshops.gridchanges import current_version, grid_changes
from greencustoms.workshops.results import RESULT_FORMATS, session_certificates

REFRESH_SECONDS = 20  # how often the grid refreshes itself; WORKSHOP_GRID_REFRESH_SECONDS overrides it


@bp.get("/workshops/<int:workshop_id>/progress")
@requires(Access.TRAINER)
def progress(workshop_id: int):
    workshop = visible_workshop(workshop_id)
    grid = progress_grid(workshop, get_catalog(), request.args.get("sort", "name"))
    refresh = current_app.config.get("WORKSHOP_GRID_REFRESH_SECONDS", REFRESH_SECONDS)
    version = current_version(workshop, get_catalog())
    return render_template("workshops/progress.html", workshop=workshop, grid=grid, refresh=refresh, version=version)


@bp.get("/workshops/<int:workshop_id>/progress/table")
@requires(Access.TRAINER)
def progress_table(workshop_id: int):
    """The grid's table alone: what static/js/grid.js fetches to refresh the page in place."""
    workshop = visible_workshop(workshop_id)
    grid = progress_grid(workshop, get_catalog(), request.args.get("sort", "name"))
    return render_template("workshops/progress_table.html", workshop=workshop, grid=grid)


@bp.get("/workshops/<int:workshop_id>/progress/changes")
@requires(Access.TRAINER)
def progress_changes(workshop_id: int):
    """What static/js/grid.js applies: 204 when nothing changed since `since`, else JSON with the new version and
    the changed rows' HTML (`rows`, by element id) or the whole table (`table`), and the sentence to announce."""
    workshop = visible_workshop(workshop_id)
    changes = grid_changes(workshop, get_catalog(), request.args.get("sort", "name"), request.args.get("since"))
    if changes.grid is None:
        return Response(status=204)
    if changes.full:
        table = render_template("workshops/progress_table.html", workshop=workshop, grid=changes.grid)
        body: dict[str, object] = {
            "version": str(changes.version),
            "table": table,
            "announce": [_("The progress table was updated.")],
        }
    else:
        row_html = get_template_attribute("workshops/_grid_row.html", "grid_row")
        rows = {f"grid-p{row.participant_id}": str(row_html(row, changes.grid.columns)) for row in changes.grid.rows}
        announce = [
            ngettext("%(num)d participant progressed.", "%(num)d participants progressed.", count)
            for count in range(1, len(rows) + 1)
        ]
        body = {"version": str(changes.version), "rows": rows, "announce": announce}
    return jsonify(body)


@bp.get("/workshops/<int:workshop_id>/quizzes")
@requires(Access.TRAINER)
def quizzes(workshop_id: int):
    workshop = visible_workshop(workshop_id)
    return _quizzes_page(workshop)


def _quizzes_page(workshop, failed: schedule.ScheduleForm | None = None, failed_slug: str = ""):
    """The quiz list with each quiz's button and schedule form; a form that failed is shown as typed, with its
    messages, and the page answers 400."""
    rows = schedule.rows_of(workshop)
    entries = []
    for quiz, is_open in service.quiz_states(workshop, get_catalog()):
        row = rows.get(quiz.slug)
        if failed is not None and quiz.slug == failed_slug:
            form = failed
        else:
            form = schedule.ScheduleForm(prefix=quiz.slug, formdata=None).fill(workshop)
            form.time_zone.data = workshop.time_zone
            if row is not None:
                form.opens_at.data = schedule.local(row.opens_at, workshop.time_zone)
                form.closes_at.data = schedule.local(row.closes_at, workshop.time_zone)
        opens, closes = (row.opens_at, row.closes_at) if row is not None else (None, None)
        entries.append(
            (quiz, is_open, form, schedule.shown(opens, workshop.time_zone), schedule.shown(closes, workshop.time_zone))
        )
    page = render_template("workshops/quizzes.html", workshop=workshop, quizzes=entries)
    return page, 400 if failed is not None else 200


@bp.post("/workshops/<int:workshop_id>/quizzes/<quiz_slug>/schedule")
@requires(Access.TRAINER)
def schedule_quiz(workshop_id: int, quiz_slug: str):
    """Store when the quiz opens and closes by itself (greencustoms.workshops.schedule); 400 with the message."""
    workshop = visible_workshop(workshop_id)
    catalog = get_catalog()
    if quiz_slug not in service.course_quiz_slugs(catalog, workshop.course_slug):
        abort(404)
    form = schedule.ScheduleForm(prefix=quiz_slug).fill(workshop)
    if not form.validate_on_submit():
        return _quizzes_page(workshop, form, quiz_slug)
    try:
        schedule.set_schedule(
            workshop,
            quiz_slug,
            form.opens_at.data,
            form.closes_at.data,
            form.time_zone.data,
            catalog,
            actor_id=current_user.id,
        )
    except service.WorkshopError as exc:
        form.opens_at.errors = [*form.opens_at.errors, exc.message]
        return _quizzes_page(workshop, form, quiz_slug)
    flash(_("The schedule of the quiz is saved."), "success")
    return redirect(url_for("workshops.quizzes", workshop_id=workshop.id), 303)


@bp.post("/workshops/<int:workshop_id>/quizzes/<quiz_slug>")
@requires(Access.TRAINER)
def set_quiz(workshop_id: int, quiz_slug: str):
    """The button: open or close the quiz now, clearing its schedule."""
    workshop = visible_workshop(workshop_id)
    is_open = request.form.get("state") == "open"
    try:
        service.set_quiz_open(workshop, quiz_slug, is_open, get_catalog(), actor_id=current_user.id)
    except service.WorkshopError:
        abort(404)
    flash(_("The quiz is open for the participants.") if is_open else _("The quiz is closed."), "success")
    return redirect(url_for("workshops.quizzes", workshop_id=workshop.id), 303)


@bp.get("/workshops/<int:workshop_id>/report")
@requires(Access.TRAINER)
def report(workshop_id: int):
    workshop = visible_workshop(workshop_id)
    report = gain_report(workshop, get_catalog())
    return render_template("workshops/report.html", workshop=workshop, report=report, min_people=MIN_PEOPLE)


@bp.get("/workshops/<int:workshop_id>/analysis")
@requires(Access.TRAINER)
def analysis(workshop_id: int):
    workshop = visible_workshop(workshop_id)
    catalog = get_catalog()
    choices = catalog.quizzes_of(workshop.course_slug)
    quiz = catalog.quiz(request.args.get("quiz", "")) or (choices[0] if choices else None)
    if quiz is not None and quiz.slug not in {choice.slug for choice in choices}:
        abort(404)
    items = question_analysis(workshop, quiz) if quiz else []
    return render_template("workshops/analysis.html", workshop=workshop, quiz=quiz, choices=choices, items=items)


@bp.post("/workshops/<int:workshop_id>/results")
@requires(Access.TRAINER)
def results(workshop_id: int):
    """Start the results file (CSV or XLSX) as a background export; its page shows progress and the download."""
    workshop = visible_workshop(workshop_id)
    fmt = request.form.get("format", "")
    if fmt not in RESULT_FORMATS:
        abort(400)
    try:
        job = start_export(current_user.id, "workshop_results", fmt, {"workshop": workshop.id}, str(get_locale()))
    except ExportBusy as exc:
        flash(str(exc), "error")
        return redirect(url_for("workshops.detail", workshop_id=workshop.id), 303)
    return redirect(url_for("exports.job", token=job.token), 303)


@bp.get("/workshops/<int:workshop_id>/certificates.<fmt>")
@requires(Access.TRAINER)
def certificates(workshop_id: int, fmt: str):
    workshop = visible_workshop(workshop_id)
    if fmt not in ("zip", "pdf"):
        abort(404)
    issued = session_certificates(workshop)
    if not issued:
        flash(_("No participant has earned a certificate in this workshop yet."), "info")
        return redirect(url_for("workshops.detail", workshop_id=workshop.id), 303)
    data = render_zip(issued) if fmt == "zip" else render_combined_pdf(issued)
    mimetype = "application/zip" if fmt == "zip" else "application/pdf"
    filename = f"workshop-{workshop.id}-certificates.{fmt}"
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": content_disposition(filename)})
