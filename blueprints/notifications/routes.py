"""The signed-in user's notifications (they are e-mailed too)."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from blueprints.notifications import bp
from services import notifications


@bp.get("/notifications")
@login_required
def index():
    """The newest notifications; opening the page marks them as read."""
    rows = notifications.latest(current_user)
    unread = {n.id for n in rows if n.read_at is None}
    page = render_template(
        "notifications/index.html",
        rows=[(n, notifications.text_of(n)) for n in rows],
        new_ids=unread,
    )
    if unread:
        notifications.mark_read(current_user)
    return page
