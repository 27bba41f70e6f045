"""JSON API v1: professions, classes, and the OpenAPI document."""

from __future__ import annotations

from flask import g, jsonify, request
from sqlalchemy import func, or_, select

from blueprints.api import bp
from blueprints.api.auth import token_required
from blueprints.api.errors import api_error
from blueprints.api.openapi import OPENAPI
from blueprints.api.schemas import InvalidRequest, parse_recommendation_request
from extensions import db, limiter
from models import Profession, SchoolClass, Sphere
from services.recommendations import recommend


def _paging(max_limit: int = 100) -> tuple[int, int] | tuple[None, None]:
    try:
        limit = int(request.args.get("limit", 20))
        offset = int(request.args.get("offset", 0))
    except ValueError:
        return None, None
    if not 1 <= limit <= max_limit or offset < 0:
        return None, None
    return limit, offset


def _listing(query, limit: int, offset: int, serialise) -> dict:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = db.session.scalars(query.limit(limit).offset(offset)).all()
    return {
        "items": [serialise(i) for i in items],
        "total": total,
        "limit": limit,
        "offset": offset,
    }


def profession_summary(p: Profession) -> dict:
    """A profession as list endpoints show it."""
    return {
        "slug": p.slug,
        "title": p.title,
        "sphere": p.sphere.slug,
        "summary": p.summary,
        "demand": p.demand,
        "salary": {"min": p.salary_min, "max": p.salary_max},
        "riasec": p.riasec,
        "subjects": p.subjects,
    }


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3 description of this API."""
    return jsonify(OPENAPI)


@bp.get("/professions")
def professions():
    """Professions, optionally filtered by ``q`` and ``sphere``."""
    limit, offset = _paging()
    if limit is None:
        return api_error(
            422,
            "invalid_paging",
            "limit must be 1–100 and offset ≥ 0",
            {"limit": "1–100", "offset": "≥ 0"},
        )
    query = select(Profession).order_by(Profession.title)
    q = request.args.get("q", "").strip()[:200].lower()
    if q:
        query = query.where(
            or_(
                func.lower(Profession.title).like(f"%{q}%"),
                func.lower(Profession.summary).like(f"%{q}%"),
            )
        )
    if sphere := request.args.get("sphere"):
        query = query.join(Profession.sphere).where(Sphere.slug == sphere)
    return jsonify(_listing(query, limit, offset, profession_summary))


@bp.get("/professions/<slug>")
def profession(slug: str):
    """One profession in full."""
    p = db.session.scalar(select(Profession).where(Profession.slug == slug))
    if p is None:
        return api_error(404, "not_found", "Такой профессии нет.")
    body = profession_summary(p) | {
        "description": p.description,
        "duties": p.duties,
        "skills": p.skills,
        "tools": p.tools,
        "conditions": p.conditions,
        "onet_codes": p.onet_codes,
        "demand_source": p.demand_source,
        "open_vacancies": p.open_vacancies,
        "education": [
            {
                "level": e.level,
                "programme": e.programme,
                "duration_months": e.duration_months,
                "institutions": e.institutions,
            }
            for e in p.education_paths
        ],
    }
    return jsonify(body)


@bp.get("/classes")
@token_required("counsellor")
def classes():
    """The calling counsellor's classes."""
    limit, offset = _paging()
    if limit is None:
        return api_error(422, "invalid_paging", "limit must be 1–100 and offset ≥ 0")
    query = (
        select(SchoolClass)
        .where(SchoolClass.counsellor_id == g.api_user.id)
        .order_by(SchoolClass.grade, SchoolClass.name)
    )
    return jsonify(
        _listing(
            query,
            limit,
            offset,
            lambda c: {"id": c.id, "name": c.name, "grade": c.grade, "headcount": c.headcount},
        )
    )


@bp.post("/recommendations")
@limiter.limit("120 per minute")  # each answer costs a model query; a class at once fits easily
def recommendations():
    """Recommended professions and bookable tours for a profile (no account needed)."""
    body = request.get_json(silent=True)
    try:
        profile, limit = parse_recommendation_request(body)
    except InvalidRequest as error:
        return api_error(422, "invalid_request", "Запрос не подходит.", error.fields)
    return jsonify(recommend(profile, limit=limit))
