"""Public pages of enterprises and tour programmes."""

from __future__ import annotations

from flask import current_app, render_template, request
from sqlalchemy import select

from blueprints.visits import bp
from extensions import db
from models import Enterprise, TourProgramme
from rendering import render_page_or_fragment
from services.visits import approved_tours, upcoming_sessions


def _approved_enterprises():
    return select(Enterprise).where(Enterprise.moderation_state == "approved")


@bp.get("/enterprises")
def enterprises():
    """Enterprises open to visitors, by town."""
    town = request.args.get("town", "")
    query = _approved_enterprises()
    if town:
        query = query.where(Enterprise.town == town)
    rows = db.session.scalars(query.order_by(Enterprise.town, Enterprise.name)).all()
    towns = db.session.scalars(
        select(Enterprise.town)
        .where(Enterprise.moderation_state == "approved")
        .distinct()
        .order_by(Enterprise.town)
    ).all()
    return render_page_or_fragment(
        "visits/enterprises.html",
        "visits/_enterprise_list.html",
        enterprises=rows,
        towns=towns,
        town=town,
    )


@bp.get("/enterprises/<slug>")
def enterprise(slug: str):
    """One enterprise: what it makes, who works there, its tours."""
    ent = db.first_or_404(_approved_enterprises().where(Enterprise.slug == slug))
    return render_template("visits/enterprise.html", enterprise=ent)


@bp.get("/tours")
def tours():
    """Tour programmes of the region's enterprises."""
    page = db.paginate(
        approved_tours().order_by(Enterprise.town, TourProgramme.title),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_page_or_fragment("visits/tours.html", "visits/_tour_list.html", page=page)


@bp.get("/tours/<id:tour_id>")
def tour(tour_id: int):
    """One tour programme with its rules and upcoming sessions."""
    programme = db.first_or_404(approved_tours().where(TourProgramme.id == tour_id))
    sessions = upcoming_sessions(limit=20, tour_id=programme.id)
    return render_template("visits/tour.html", tour=programme, sessions=sessions)
