"""Professions as the API shows them, found with the explorer's index and kept per version.

A profession's JSON depends only on the catalogue, so each is built once per worker and kept in
the search index's memo, which is dropped with the index when the catalogue changes. A list
page is then a search plus dictionary lookups, with no query but the version check.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db
from models import Profession
from services.search import Filters, current_index


def _summary(p: Profession) -> dict:
    return {
        "slug": p.slug,
        "title": p.title,
        "title_en": p.title_en,
        "sphere": p.sphere.slug,
        "summary": p.summary,
        "demand": p.demand,
        "salary": {"min": p.salary_min, "max": p.salary_max},
        "riasec": p.riasec,
        "subjects": p.subjects,
    }


def _detail(p: Profession) -> dict:
    return _summary(p) | {
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


def _summaries(ids: list[int]) -> list[dict]:
    """The list shape of these professions, in this order, from the memo or the database."""
    memo = current_index().memo
    missing = [pid for pid in ids if ("api-summary", pid) not in memo]
    if missing:
        rows = db.session.scalars(
            select(Profession)
            .where(Profession.id.in_(missing))
            .options(selectinload(Profession.sphere))
        )
        for p in rows:
            memo[("api-summary", p.id)] = _summary(p)
    return [memo[("api-summary", pid)] for pid in ids if ("api-summary", pid) in memo]


def professions_page(q: str, sphere: str, limit: int, offset: int) -> dict:
    """One page of professions: by relevance to ``q`` when given, else by title.

    An unknown sphere matches nothing (the list is empty, not the whole catalogue).
    """
    index = current_index()
    if sphere and sphere not in index.spheres:
        return {"items": [], "total": 0, "limit": limit, "offset": offset}
    # The index pages by page number; an API offset need not fall on a page boundary, so
    # take the page holding ``offset + limit`` items and slice.
    found = index.search(
        q, Filters(sphere=sphere), "relevance" if q else "title", 1, offset + limit
    )
    ids = [e.id for e in found.entries[offset : offset + limit]]
    return {"items": _summaries(ids), "total": found.total, "limit": limit, "offset": offset}


def profession_detail(slug: str) -> dict | None:
    """One profession in full, or None when no profession has that slug."""
    memo = current_index().memo
    key = ("api-detail", slug)
    if key not in memo:
        p = db.session.scalar(
            select(Profession)
            .where(Profession.slug == slug)
            .options(selectinload(Profession.sphere), selectinload(Profession.education_paths))
        )
        if p is None:
            return None
        memo[key] = _detail(p)
    return memo[key]
