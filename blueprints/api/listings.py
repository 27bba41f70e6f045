"""Tour programmes and offers as the API lists them (``GET /tours``, ``GET /vacancies``)."""

from __future__ import annotations

from flask import jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from blueprints.api import bp
from blueprints.api.paging import paging, paging_error
from models import Enterprise, TourProgramme, Vacancy
from services.paging import slice_of
from services.visits import listed_tours


def _tour_json(t: TourProgramme) -> dict:
    return {
        "id": t.id,
        "slug": t.slug,
        "title": t.title,
        "description": t.description,
        "duration_minutes": t.duration_minutes,
        "ages": {"min": t.min_age, "max": t.max_age},
        "grades": {"min": t.min_grade, "max": t.max_grade},
        "group": {"min": t.group_min, "max": t.group_max},
        "adults_per_students": t.adults_per_students,
        "price_rub": t.price_rub,
        "enterprise": {
            "slug": t.enterprise.slug,
            "name": t.enterprise.name,
            "town": t.enterprise.town,
        },
        "professions": [p.slug for p in t.professions],
    }


def _vacancy_json(v: Vacancy) -> dict:
    return {
        "id": v.id,
        "kind": v.kind,
        "title": v.title,
        "description": v.description,
        "town": v.town,
        "min_age": v.youngest,
        "hours_per_week": v.hours_per_week,
        "salary": {"min": v.salary_min, "max": v.salary_max},
        "closes_on": v.closes_on.isoformat() if v.closes_on else None,
        "enterprise": {"slug": v.enterprise.slug, "name": v.enterprise.name},
        "tour_ids": sorted(t.id for t in v.tours),
        "professions": [p.slug for p in v.professions],
    }


def _page(query, serialise):
    limit, offset = paging()
    if limit is None:
        return paging_error()
    rows, total = slice_of(query, limit, offset)
    return jsonify(
        {"items": [serialise(r) for r in rows], "total": total, "limit": limit, "offset": offset}
    )


@bp.get("/tours")
def tours():
    """Listed tour programmes by town and title, optionally of one ``enterprise`` (slug)."""
    query = listed_tours().options(selectinload(TourProgramme.professions))
    if enterprise := request.args.get("enterprise", "").strip():
        query = query.where(Enterprise.slug == enterprise)
    return _page(query.order_by(Enterprise.town, TourProgramme.title, TourProgramme.id), _tour_json)


@bp.get("/vacancies")
def vacancies():
    """Listed vacancies, internships, practice places and target training, newest first."""
    query = (
        select(Vacancy)
        .where(Vacancy.is_listed)
        .options(
            selectinload(Vacancy.enterprise),
            selectinload(Vacancy.professions),
            selectinload(Vacancy.tours),
        )
        .order_by(Vacancy.created_at.desc(), Vacancy.id.desc())
    )
    return _page(query, _vacancy_json)
