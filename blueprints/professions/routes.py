"""Profession list and detail pages."""

from __future__ import annotations

from flask import current_app, render_template, request
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from blueprints.professions import bp
from extensions import db
from models import Enterprise, Profession, Sphere, Vacancy
from rendering import render_page_or_fragment
from services.visits import upcoming_sessions


@bp.get("")
def index():
    """Browse and search professions (``q``, ``sphere``, ``page``)."""
    q = request.args.get("q", "").strip()[:200]
    sphere = request.args.get("sphere", "")
    query = select(Profession).options(selectinload(Profession.education_paths))
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(
            or_(
                func.lower(Profession.title).like(pattern),
                func.lower(Profession.summary).like(pattern),
            )
        )
    if sphere:
        query = query.join(Profession.sphere).where(Sphere.slug == sphere)
    page = db.paginate(
        query.order_by(Profession.title),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    spheres = db.session.scalars(select(Sphere).order_by(Sphere.position)).all()
    return render_page_or_fragment(
        "professions/index.html",
        "professions/_results.html",
        page=page,
        q=q,
        sphere=sphere,
        spheres=spheres,
    )


@bp.get("/<slug>")
def detail(slug: str):
    """Everything about one profession: the work, study paths, demand, where to see it."""
    profession = db.first_or_404(select(Profession).where(Profession.slug == slug))
    enterprises = db.session.scalars(
        select(Enterprise)
        .where(
            Enterprise.professions.contains(profession), Enterprise.moderation_state == "approved"
        )
        .order_by(Enterprise.name)
    ).all()
    vacancies = db.session.scalars(
        select(Vacancy).where(
            Vacancy.professions.contains(profession),
            Vacancy.is_open,
            Vacancy.moderation_state == "approved",
        )
    ).all()
    related = db.session.scalars(
        select(Profession)
        .where(Profession.sphere_id == profession.sphere_id, Profession.id != profession.id)
        .order_by(Profession.demand, Profession.title)
        .limit(6)
    ).all()
    return render_template(
        "professions/detail.html",
        profession=profession,
        enterprises=enterprises,
        sessions=upcoming_sessions(limit=5, profession_id=profession.id),
        vacancies=vacancies,
        related=related,
    )
