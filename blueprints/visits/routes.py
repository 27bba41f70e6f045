"""Public pages of enterprises and tour programmes."""

from __future__ import annotations

from flask import abort, current_app, render_template, request

from blueprints.visits import bp
from rendering import render_page_or_fragment
from services import visits
from services.paging import page_number


@bp.get("/enterprises")
def enterprises():
    """Enterprises open to visitors, by town."""
    town = request.args.get("town", "")
    return render_page_or_fragment(
        "visits/enterprises.html",
        "visits/_enterprise_list.html",
        enterprises=visits.public_enterprises(town),
        towns=visits.public_towns(),
        town=town,
    )


@bp.get("/enterprises/<slug>")
def enterprise(slug: str):
    """One enterprise: what it makes, who works there, its tours."""
    found = visits.public_enterprise(slug)
    if found is None:
        abort(404)
    return render_template("visits/enterprise.html", enterprise=found)


@bp.get("/tours")
def tours():
    """Tour programmes of the region's enterprises."""
    page = visits.listed_tours_page(
        page_number(request.args.get("page")), current_app.config["PAGE_SIZE"]
    )
    return render_page_or_fragment("visits/tours.html", "visits/_tour_list.html", page=page)


@bp.get("/tours/<id:tour_id>")
def tour(tour_id: int):
    """One tour programme with its rules and upcoming sessions."""
    programme = visits.listed_tour(tour_id)
    if programme is None:
        abort(404)
    sessions = visits.upcoming_sessions(limit=20, tour_id=programme.id)
    return render_template("visits/tour.html", tour=programme, sessions=sessions)
