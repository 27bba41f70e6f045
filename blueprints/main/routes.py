"""Home page, about the data, and the health check."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from blueprints.main import bp
from extensions import db, talisman
from models import Enterprise, Profession, Sphere, TourProgramme
from models.profession import enterprise_professions
from services.visits import upcoming_sessions


@bp.get("/")
def home():
    """The front door: search professions, see in-demand ones and the next visits."""
    # The region's point is its plants: among high-demand professions, show first those that
    # the most catalogue enterprises employ, so a student can also go and see them.
    employers = (
        select(func.count())
        .select_from(enterprise_professions)
        .where(enterprise_professions.c.profession_id == Profession.id)
        .scalar_subquery()
    )
    in_demand = db.session.scalars(
        select(Profession)
        .where(Profession.demand == "high")
        .order_by(employers.desc(), Profession.open_vacancies.desc().nulls_last())
        .limit(6)
    ).all()
    counts = {
        "professions": db.session.scalar(select(func.count(Profession.id))),
        "enterprises": db.session.scalar(
            select(func.count(Enterprise.id)).where(Enterprise.moderation_state == "approved")
        ),
        "tours": db.session.scalar(select(func.count(TourProgramme.id))),
    }
    spheres = db.session.scalars(select(Sphere).order_by(Sphere.position)).all()
    return render_template(
        "main/home.html",
        in_demand=in_demand,
        sessions=upcoming_sessions(limit=6),
        counts=counts,
        spheres=spheres,
    )


@bp.get("/about/data")
def about_data():
    """Where the catalogue comes from, what is illustrative, and the O*NET attribution."""
    return render_template("main/about_data.html")


@bp.get("/healthz")
@talisman(force_https=False)  # load balancers probe workers over plain HTTP
def healthz():
    """200 ``ok`` when the database answers, 503 otherwise (for load balancers)."""
    try:
        db.session.execute(select(1))
    except SQLAlchemyError:
        db.session.rollback()
        return "database unavailable", 503, {"Content-Type": "text/plain; charset=utf-8"}
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}
