"""JSON API v1: professions, classes, and the OpenAPI document."""

from __future__ import annotations

from flask import g, jsonify, request

from blueprints.api import bp
from blueprints.api.auth import token_required
from blueprints.api.catalogue import profession_detail, professions_page
from blueprints.api.errors import api_error
from blueprints.api.openapi import OPENAPI
from blueprints.api.paging import paging, paging_error
from blueprints.api.schemas import (
    InvalidJSON,
    InvalidRequest,
    parse_recommendation_request,
    read_json,
)
from extensions import limiter, reads_only
from services.classes import classes_of_counsellor
from services.paging import slice_of
from services.recommendations import recommend


def _listing(query, limit: int, offset: int, serialise) -> dict:
    items, total = slice_of(query, limit, offset)
    return {
        "items": [serialise(i) for i in items],
        "total": total,
        "limit": limit,
        "offset": offset,
    }


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3 description of this API."""
    return jsonify(OPENAPI)


@bp.get("/professions")
def professions():
    """Professions by title, or by relevance to ``q`` (the explorer's search), in a ``sphere``."""
    limit, offset = paging()
    if limit is None:
        return paging_error()
    q = request.args.get("q", "").strip()[:200]
    return jsonify(professions_page(q, request.args.get("sphere", ""), limit, offset))


@bp.get("/professions/<slug>")
def profession(slug: str):
    """One profession in full."""
    body = profession_detail(slug)
    if body is None:
        return api_error(404, "not_found", "Такой профессии нет.")
    return jsonify(body)


@bp.get("/classes")
@token_required("counsellor")
def classes():
    """The calling counsellor's classes."""
    limit, offset = paging()
    if limit is None:
        return paging_error()
    query = classes_of_counsellor(g.api_user)
    return jsonify(
        _listing(
            query,
            limit,
            offset,
            lambda c: {
                "id": c.id,
                "name": c.name,
                "grade": c.grade,
                "headcount": c.headcount,
                "joined": len(c.members),
                "expected_size": c.expected_size,
            },
        )
    )


@bp.post("/recommendations")
@limiter.limit("120 per minute")  # each answer costs a model query; a class at once fits easily
@reads_only
def recommendations():
    """Recommended professions and bookable tours for a profile (no account needed)."""
    try:
        profile, limit = parse_recommendation_request(read_json())
    except InvalidJSON as error:
        return api_error(400, "invalid_json", str(error))
    except InvalidRequest as error:
        return api_error(422, "invalid_request", "Запрос не подходит.", error.fields)
    return jsonify(recommend(profile, limit=limit))
