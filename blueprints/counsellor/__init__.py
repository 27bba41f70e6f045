"""Career counsellors: classes, the planner of class trips, the school's papers and the
«Профминимум» record."""

from flask import Blueprint

bp = Blueprint("counsellor", __name__)


@bp.before_request
def _approved_only():
    """Until regional staff approve a counsellor, only the dashboard (which says so) opens:
    no classes, no children's names, no bookings."""
    from flask import render_template, request
    from flask_login import current_user

    if (
        current_user.is_authenticated
        and current_user.role == "counsellor"
        and not current_user.is_approved
        and request.endpoint != "counsellor.dashboard"
    ):
        return render_template("counsellor/pending.html"), 403
    return None


from blueprints.counsellor import (  # noqa: E402,F401  (the views)
    feedback,
    hours,
    papers,
    routes,
    trips,
)
