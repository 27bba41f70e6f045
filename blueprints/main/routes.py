"""Home page, about the data, and the health check."""

from __future__ import annotations

from flask import current_app, render_template

from blueprints.main import bp
from extensions import talisman
from rendering import catalogue_fragment
from services import health, overview
from services.visits import upcoming_sessions


@bp.get("/")
def home():
    """The front door: search professions, see in-demand ones and the next visits."""
    top = catalogue_fragment(
        ("home",),
        "main/_home_top.html",
        lambda: {
            "in_demand": overview.in_demand_professions(),
            "counts": overview.catalogue_counts(),
        },
    )
    spheres = catalogue_fragment(
        ("home",), "main/_home_spheres.html", lambda: {"spheres": overview.spheres()}
    )
    sessions = upcoming_sessions(limit=6, bookable=True)
    return render_template("main/home.html", top=top, spheres_part=spheres, sessions=sessions)


@bp.get("/about/data")
def about_data():
    """Where the catalogue comes from, what is illustrative, and the O*NET attribution."""
    return render_template("main/about_data.html")


@bp.get("/about/privacy")
def about_privacy():
    """What is stored, why, for how long and who sees it."""
    return render_template("main/about_privacy.html")


@bp.get("/about/recommendations")
def about_recommendations():
    """How recommendations are made: the published rules (149-ФЗ, ст. 10.2-2)."""
    return render_template("main/about_recommendations.html")


@bp.get("/healthz")
@talisman(force_https=False)  # load balancers probe workers over plain HTTP
def healthz():
    """200 ``ok`` when the database answers, 503 when it does not; what else is down is listed.

    Redis going down degrades the site (rate limits count per worker meanwhile) but does not
    stop it, so it is reported without failing the check.
    """
    lines = []
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url and not health.redis_answers(redis_url):
        lines.append("redis: unavailable (rate limits count in each worker's memory)")
    if health.database_answers():
        lines.insert(0, "ok")
        status = 200
    else:
        lines.insert(0, "database: unavailable")
        status = 503
    headers = {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
    return "\n".join(lines), status, headers
