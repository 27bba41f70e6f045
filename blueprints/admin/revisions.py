"""Regional staff review changes to live enterprise profiles and tour programmes, and new
programmes of public enterprises: a before/after table of each change, approve or reject with
a reason."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from access import role_required
from blueprints.admin import bp
from blueprints.admin.forms_revisions import DecisionForm
from extensions import db
from models import Revision, TourProgramme
from services import revision_moderation as review
from services.revision_moderation import AlreadyDecided


def _queue(failed: tuple[str, int] | None = None, form: DecisionForm | None = None):
    """The queue page; ``failed`` names the item whose refused ``form`` is shown again."""
    return render_template(
        "admin/revisions.html",
        revisions=[(r, review.changes(r)) for r in review.pending_revisions()],
        programmes=review.pending_programmes(),
        failed=failed,
        failed_form=form,
        labels=review.FIELD_LABELS,
        shown=review.shown,
    )


@bp.get("/revisions")
@role_required("admin")
def revisions():
    """Changes of live profiles and programmes, and new programmes, waiting for a decision."""
    return _queue()


def _decided(item: tuple[str, int], decide) -> object:
    """Validate the decision form and apply ``decide(decision, reason)``; back to the queue."""
    form = DecisionForm()
    if not form.validate_on_submit():
        if form.decision.errors:
            abort(400)  # neither button: not a form of ours (CSRF is checked before the view)
        return _queue(failed=item, form=form), 422
    try:
        decide(form.decision.data, form.reason.data)
    except AlreadyDecided:
        flash(_("Это уже решено — возможно, другим координатором."), "info")
    else:
        flash(_("Решение сохранено, предприятию отправлено уведомление."), "success")
    return redirect(url_for("admin.revisions"), code=303)


@bp.post("/revisions/<id:revision_id>")
@role_required("admin")
def decide_revision(revision_id: int):
    """Approve a change (it goes live) or send it back with a reason."""
    revision = db.get_or_404(Revision, revision_id)
    return _decided(
        ("revision", revision.id),
        lambda decision, reason: review.decide(revision, decision, current_user, reason),
    )


@bp.post("/programmes/<id:tour_id>")
@role_required("admin")
def decide_programme(tour_id: int):
    """Publish a new tour programme or send it back with a reason."""
    programme = db.get_or_404(TourProgramme, tour_id)
    return _decided(
        ("programme", programme.id),
        lambda decision, reason: review.decide_programme(programme, decision, current_user, reason),
    )
