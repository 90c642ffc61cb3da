"""The invited person's page: their pending workshop invitations, to accept or decline (linked from /me)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from greencustoms.access import Access, policy, refuse, requires
from greencustoms.content import get_catalog
from greencustoms.workshops import invitations
from greencustoms.workshops.blueprint import bp
from greencustoms.workshops.service import WorkshopError


@bp.get("/invitations")
@requires(Access.SIGNED_IN)
def invitations_page():
    return render_template("workshops/invitations.html", pending=invitations.pending_for(current_user.id))


def _own(invitation_id: int):
    """The current user's invitation; 404 (a probe when it is someone else's) otherwise."""
    invitation = invitations.find(invitation_id)
    if not policy.owns(current_user, invitation):
        refuse("invitation", invitation_id, invitation is not None)
    return invitation


@bp.post("/invitations/<int:invitation_id>/accept")
@requires(Access.OWNER)
def accept_invitation(invitation_id: int):
    try:
        workshop = invitations.accept(_own(invitation_id), current_user, get_catalog())
    except WorkshopError as exc:
        flash(str(exc.message), "error")
        return redirect(url_for("workshops.invitations_page"), 303)
    flash(_("Welcome to “%(title)s”.", title=workshop.title), "success")
    return redirect(url_for("learning.course", course_slug=workshop.course_slug), 303)


@bp.post("/invitations/<int:invitation_id>/decline")
@requires(Access.OWNER)
def decline_invitation(invitation_id: int):
    try:
        invitations.decline(_own(invitation_id), current_user)
    except WorkshopError as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("The invitation is declined: the workshop's trainers do not see you."), "info")
    return redirect(url_for("workshops.invitations_page"), 303)
