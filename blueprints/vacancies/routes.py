"""The public list of open vacancies, internships and practice places."""

from __future__ import annotations

from flask import current_app, render_template
from sqlalchemy import select

from blueprints.vacancies import bp
from extensions import db
from models import Enterprise, Vacancy


@bp.get("")
def index():
    """Open, approved postings of approved enterprises, newest first."""
    page = db.paginate(
        select(Vacancy)
        .join(Vacancy.enterprise)
        .where(
            Vacancy.is_open,
            Vacancy.moderation_state == "approved",
            Enterprise.moderation_state == "approved",
        )
        .order_by(Vacancy.created_at.desc()),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template("vacancies/index.html", page=page)
