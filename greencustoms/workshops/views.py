"""Trainer pages: the list of workshops, creating and editing one, its overview, join sheet and co-trainers."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from greencustoms.access import Access, policy, requires, scope
from greencustoms.content import get_catalog
from greencustoms.forms_common import country_name
from greencustoms.workshops import service
from greencustoms.workshops.blueprint import bp, public_url, visible_workshop
from greencustoms.workshops.codes import grouped
from greencustoms.workshops.forms import CoTrainerForm, WorkshopForm
from greencustoms.workshops.qr import qr_svg


def _country_choices() -> list[tuple[str, str]] | None:
    """The countries the current person may declare for a workshop: every one for trainers (None), the scope's
    for a national coordinator who is not a trainer."""
    if policy.is_trainer(current_user):
        return None
    return [(code, country_name(code)) for code in scope.countries(current_user)]


@bp.get("/workshops/")
@requires(Access.TRAINER)
def index():
    return render_template("workshops/index.html", workshops=service.visible_workshops(current_user))


@bp.route("/workshops/new", methods=["GET", "POST"])
@requires(Access.TRAINER)
def new():
    catalog = get_catalog()
    course = catalog.course(request.args.get("course", ""))
    if course is None:
        return render_template("workshops/new.html", courses=list(catalog.courses.values()), form=None)
    form = WorkshopForm().fill_choices(catalog, course.slug, _country_choices())
    if form.validate_on_submit():
        try:
            workshop = service.create_workshop(current_user, form.details(course.slug), catalog)
        except service.WorkshopError as exc:
            form.title.errors.append(exc.message)
        else:
            flash(_("The workshop is created. Its join code is %(code)s.", code=grouped(workshop.join_code)), "success")
            return redirect(url_for("workshops.detail", workshop_id=workshop.id), 303)
    return render_template("workshops/new.html", course=course, form=form), 400 if form.errors else 200


@bp.get("/workshops/<int:workshop_id>")
@requires(Access.TRAINER)
def detail(workshop_id: int):
    workshop = visible_workshop(workshop_id)
    catalog = get_catalog()
    return render_template(
        "workshops/detail.html",
        workshop=workshop,
        course=catalog.course(workshop.course_slug),
        join_url=public_url(url_for("workshops.join", code=workshop.join_code)),
        quizzes=service.quiz_states(workshop, catalog),
    )


@bp.route("/workshops/<int:workshop_id>/edit", methods=["GET", "POST"])
@requires(Access.TRAINER)
def edit(workshop_id: int):
    workshop = visible_workshop(workshop_id)
    catalog = get_catalog()
    form = WorkshopForm(obj=workshop, pre_quiz=workshop.pre_quiz_slug or "", post_quiz=workshop.post_quiz_slug or "")
    del form.open_quizzes
    form.fill_choices(catalog, workshop.course_slug, _country_choices())
    if form.validate_on_submit():
        try:
            service.update_workshop(workshop, form.details(workshop.course_slug), catalog, current_user)
        except service.WorkshopError as exc:
            form.title.errors.append(exc.message)
        else:
            flash(_("The workshop is saved."), "success")
            return redirect(url_for("workshops.detail", workshop_id=workshop.id), 303)
    return render_template("workshops/edit.html", workshop=workshop, form=form), 400 if form.errors else 200


@bp.get("/workshops/<int:workshop_id>/sheet")
@requires(Access.TRAINER)
def sheet(workshop_id: int):
    workshop = visible_workshop(workshop_id)
    join_url = public_url(url_for("workshops.join", code=workshop.join_code))
    with force_locale(workshop.language):  # printed for the room: in the workshop's language
        return render_template(
            "workshops/sheet.html",
            workshop=workshop,
            course=get_catalog().course(workshop.course_slug),
            join_url=join_url,
            qr=qr_svg(join_url, _("QR code of the join link")),
            code=grouped(workshop.join_code),
            lookup_url=public_url(url_for("workshops.join_lookup")),
        )


@bp.route("/workshops/<int:workshop_id>/trainers", methods=["GET", "POST"])
@requires(Access.TRAINER)
def trainers(workshop_id: int):
    workshop = visible_workshop(workshop_id)
    may_change = service.manages_trainers(current_user, workshop)
    form = CoTrainerForm()
    if request.method == "POST" and not may_change:
        abort(403)
    if form.validate_on_submit():
        try:
            added = service.add_co_trainer(workshop, form.email.data)
        except service.WorkshopError as exc:
            form.email.errors.append(exc.message)
        else:
            flash(_("%(name)s is now a co-trainer.", name=added.full_name), "success")
            return redirect(url_for("workshops.trainers", workshop_id=workshop.id), 303)
    return render_template(
        "workshops/trainers.html",
        workshop=workshop,
        form=form,
        may_change=may_change,
        co_trainers=service.co_trainers(workshop),
    ), 400 if form.errors else 200


@bp.post("/workshops/<int:workshop_id>/trainers/<int:user_id>/remove")
@requires(Access.TRAINER)
def remove_trainer(workshop_id: int, user_id: int):
    workshop = visible_workshop(workshop_id)
    if not service.manages_trainers(current_user, workshop):
        abort(403)
    if not service.remove_co_trainer(workshop, user_id):
        abort(404)
    flash(_("The co-trainer is removed."), "success")
    return redirect(url_for("workshops.trainers", workshop_id=workshop.id), 303)
