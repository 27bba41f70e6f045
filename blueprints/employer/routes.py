"""An employer's page: their enterprise, its moderation state and tours."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from access import role_required
from blueprints.employer import bp
from services.enterprises import staff_links


@bp.get("/")
@role_required("employer")
def dashboard():
    """The enterprise this account works for, and whether moderation let it in yet."""
    return render_template("employer/dashboard.html", links=staff_links(current_user))
