"""An employer's page: their enterprise, its moderation state and tours."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user
from sqlalchemy import select

from access import role_required
from blueprints.employer import bp
from extensions import db
from models import EnterpriseStaff


@bp.get("/")
@role_required("employer")
def dashboard():
    """The enterprise this account works for, and whether moderation let it in yet."""
    links = db.session.scalars(
        select(EnterpriseStaff).where(EnterpriseStaff.user_id == current_user.id)
    ).all()
    return render_template("employer/dashboard.html", links=links)
