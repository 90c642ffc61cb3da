"""Participants' pages: joining with the code (/join) and signing in once with a sign-in slip (/slip)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from greencustoms.access import Access, requires
from greencustoms.auth import throttle
from greencustoms.auth.service import AccountError, EmailTaken, RuleError
from greencustoms.auth.session import sign_in
from greencustoms.content import get_catalog
from greencustoms.extensions import limiter
from greencustoms.models import utcnow
from greencustoms.workshops import participants as people
from greencustoms.workshops import slips
from greencustoms.workshops.blueprint import bp
from greencustoms.workshops.codes import JOIN_CODE_LENGTH, SLIP_TOKEN_LENGTH, grouped, normalise
from greencustoms.workshops.forms import FirstPasswordForm
from greencustoms.workshops.gate import has_ended
from greencustoms.workshops.service import WorkshopError

_SLIP_SESSION_KEY = "workshops.first_password_for"  # the account that may set its first password


def _join_limit() -> str:
    """A whole room joins at once, often from one address (the venue's Wi-Fi): the limit is generous. Guessing
    is still hopeless: join codes have 40 bits and slip tokens 65."""
    return current_app.config.get("JOIN_RATE_LIMIT", "300 per minute; 3000 per hour")


@bp.get("/join")
@limiter.limit(_join_limit)
@requires(Access.PUBLIC)
def join_lookup():
    typed = request.args.get("code")
    if typed is None:
        return render_template("workshops/join_lookup.html", typed="", error=None)
    code = normalise(typed, JOIN_CODE_LENGTH)
    if code is None:
        error = _("A join code has 8 letters and digits, for example 7K3M-Q9XD.")
        return render_template("workshops/join_lookup.html", typed=typed[:40], error=error), 400
    return redirect(url_for("workshops.join", code=code))


@bp.route("/join/<code>", methods=["GET", "POST"])
@limiter.limit(_join_limit)
@requires(Access.PUBLIC, post=Access.SIGNED_IN)
def join(code: str):
    workshop = people.find_by_code(code[:40])
    if workshop is None:
        return render_template(
            "workshops/join_lookup.html",
            typed=code[:40],
            error=_("No workshop has this join code. Check it with your trainer."),
        ), 404
    if request.method == "POST":  # the class makes POST need a signed-in person
        try:
            joined = people.join(workshop, current_user, get_catalog())
        except WorkshopError as exc:
            flash(str(exc.message), "error")  # a plain string: a lazy one would be kept as markup
            return redirect(url_for("workshops.join", code=workshop.join_code), 303)
        flash(
            _("Welcome to “%(title)s”.", title=workshop.title) if joined else _("You are already a participant."),
            "success",
        )
        return redirect(url_for("learning.course", course_slug=workshop.course_slug), 303)
    member = current_user.is_authenticated and people.participation(workshop, current_user.id) is not None
    return render_template(
        "workshops/join.html",
        workshop=workshop,
        course=get_catalog().course(workshop.course_slug),
        member=member,
        ended=has_ended(workshop, utcnow()),
        code=grouped(workshop.join_code),
    )


@bp.get("/slip")
@limiter.limit(_join_limit)
@requires(Access.PUBLIC, no_store=True)
def slip_lookup():
    typed = request.args.get("token")
    if typed is None:
        return render_template("workshops/slip_lookup.html", typed="", error=None)
    token = normalise(typed[:64], SLIP_TOKEN_LENGTH)
    if token is None:
        error = _("A sign-in code has 13 letters and digits, for example 7K3M-Q9XD-2B4NT.")
        return render_template("workshops/slip_lookup.html", typed=typed[:40], error=error), 400
    return redirect(url_for("workshops.slip", token=token))


@bp.route("/slip/<token>", methods=["GET", "POST"])
@limiter.limit(_join_limit)
@requires(Access.PUBLIC, no_store=True)
def slip(token: str):
    throttle.check("slip")
    problem = slips.slip_problem(token)
    if problem is not None:
        if problem.kind == "unknown":
            throttle.failed("slip")
        status = {"unknown": 404, "refused": 403}.get(problem.kind, 410)
        return render_template("workshops/slip.html", problem=problem.message, name=None), status
    if request.method == "POST":
        try:
            user = slips.redeem_slip(token)
        except slips.SlipError as exc:
            return render_template("workshops/slip.html", problem=exc.message, name=None), 410
        sign_in(user, "slip")  # a new session for the participant: nothing from before carries over
        session[_SLIP_SESSION_KEY] = user.id
        return redirect(url_for("workshops.slip_password"), 303)
    return render_template("workshops/slip.html", problem=None, name=slips.holder_name(token))


@bp.route("/slip/password", methods=["GET", "POST"])
@requires(Access.SIGNED_IN)
def slip_password():
    if session.get(_SLIP_SESSION_KEY) != current_user.id:
        return redirect(url_for("auth.password"))
    form = FirstPasswordForm(email=current_user.email)
    if form.validate_on_submit():
        try:
            confirming = slips.set_first_password(current_user, form.password.data, form.email.data or None)
        except RuleError as exc:
            is_email = isinstance(exc, EmailTaken) or not isinstance(exc, AccountError)
            (form.email if is_email else form.password).errors.append(str(exc))
        else:
            session.pop(_SLIP_SESSION_KEY, None)
            flash(_("Your password is set. Welcome!"), "success")
            if confirming:
                flash(_("To use your new e-mail address, open the link we sent to it."), "info")
            return redirect(url_for("learning.me"), 303)
    return render_template("workshops/slip_password.html", form=form), 400 if form.errors else 200
