"""Pending workshop invitations, which an administrator may confirm for a person (who then joins)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from greencustoms.access import Access, requires
from greencustoms.admin.blueprint import bp
from greencustoms.content import get_catalog
from greencustoms.workshops import invitations
from greencustoms.workshops.service import WorkshopError


@bp.get("/invitations")
@requires(Access.ADMIN)
def invitations_list():
    return render_template("admin/invitations.html", pending=invitations.all_pending())


@bp.post("/invitations/<int:invitation_id>/confirm")
@requires(Access.ADMIN)
def confirm_invitation(invitation_id: int):
    invitation = invitations.find(invitation_id)
    if invitation is None:
        return redirect(url_for("admin.invitations_list"), 303)
    try:
        invitations.accept(invitation, current_user, get_catalog())
    except WorkshopError as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("The invitation is confirmed: the person is now a participant."), "success")
    return redirect(url_for("admin.invitations_list"), 303)
