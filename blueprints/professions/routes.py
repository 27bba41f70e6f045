"""The profession explorer: search with filters, detail pages, compare and shortlist."""

from __future__ import annotations

from functools import cache

from flask import abort, current_app, render_template, request, session, url_for
from flask_login import current_user

from blueprints.professions import bp
from blueprints.professions.forms import ToggleForm
from blueprints.professions.lines import result_lines
from models.profession import RIASEC
from rendering import (
    catalogue_fragment,
    client_redirect,
    fragment,
    render_page_or_fragment,
    wants_fragment,
)
from services import compare, overview, shortlist
from services.catalogue_version import Brief
from services.paging import page_number
from services.professions import (
    catalogue_context,
    live_context,
    profession_brief,
    professions_by_slugs,
)
from services.search import SORTS, current_index
from services.visits import upcoming_tour_counts


def _student_or_none():
    """The signed-in student, None for a visitor; other roles may not keep a shortlist."""
    if not current_user.is_authenticated:
        return None
    if current_user.role != "student":
        abort(403)
    return current_user


@bp.get("")
def index():
    """Search and filter professions; htmx gets the results fragment alone."""
    search_index = current_index()
    q = request.args.get("q", "")[:500]
    filters = search_index.parse_filters(request.args)
    sort = request.args.get("sort", "relevance")
    page = page_number(request.args.get("page"))
    result = search_index.search(q, filters, sort, page, current_app.config["PAGE_SIZE"])
    tour_counts = upcoming_tour_counts([e.id for e in result.entries])
    template = "professions/_results.html"
    if wants_fragment() and request.args.get("more"):
        template = "professions/_more.html"
    sort = sort if sort in SORTS else "relevance"
    return render_page_or_fragment(
        "professions/index.html",
        template,
        result=result,
        q=q.strip()[:200],
        filters=filters,
        filters_part=None if wants_fragment() else _filters_part(filters, sort),
        lines=result_lines(search_index, result.entries, tour_counts),
        compared=compare.compared_slugs(session),
    )


def _filters_part(filters, sort: str):
    """The filter controls as chosen (the same few combinations over and over)."""
    chosen = (filters.sphere, filters.education, filters.demand, filters.riasec, filters.subjects)
    return catalogue_fragment(
        ("filters", *chosen, sort),
        "professions/_filters.html",
        lambda: {
            "filters": filters,
            "sort": sort,
            "sphere_choices": [(s.slug, s.title) for s in overview.spheres()],
        },
    )


@bp.get("/compare")
def compare_page():
    """Up to three professions side by side (``?p=slug``, else the session's basket)."""
    slugs = request.args.getlist("p")[: compare.MAX_COMPARED] or compare.compared_slugs(session)
    professions = professions_by_slugs(slugs)
    series = [{"label": p.title, "values": [p.riasec[a] for a in RIASEC]} for p in professions]
    return render_template("professions/compare.html", professions=professions, chart_series=series)


@bp.post("/<slug>/compare")
def toggle_compare(slug: str):
    """Add a profession to the comparison basket or take it out."""
    profession = _brief_or_404(slug)
    form = ToggleForm()
    if not form.validate_on_submit():
        abort(400)
    in_basket, dropped = compare.set_compared(profession.slug, session, form.wanted())
    dropped_brief = profession_brief(dropped) if in_basket and dropped else None
    return _after_toggle(profession, dropped=dropped_brief.title if dropped_brief else None)


@bp.get("/saved")
def saved():
    """The professions this student (or visitor, in this session) saved."""
    professions = shortlist.saved_professions(_student_or_none(), session)
    return render_template("professions/saved.html", professions=professions)


@bp.post("/<slug>/save")
def toggle_saved(slug: str):
    """Save a profession to the shortlist, or remove it."""
    profession = _brief_or_404(slug)
    student = _student_or_none()
    form = ToggleForm()
    if not form.validate_on_submit():
        abort(400)
    shortlist.set_saved(profession, student, session, form.wanted())
    return _after_toggle(profession)


def _brief_or_404(slug: str) -> Brief:
    brief = profession_brief(slug)
    if brief is None:
        abort(404)
    return brief


def _after_toggle(profession: Brief, dropped: str | None = None):
    if wants_fragment():
        return fragment(
            "professions/_actions.html", p=profession, dropped=dropped, **_action_state()
        )
    target = request.form.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("professions.detail", slug=profession.slug)
    return client_redirect(target)


def _action_state() -> dict:
    """Which professions are saved and compared, for the buttons."""
    user = current_user if current_user.is_authenticated else None
    can_save = user is None or user.role == "student"
    return {
        "saved_ids": set(shortlist.saved_ids(user, session)) if can_save else set(),
        "compared": compare.compared_slugs(session),
        "can_save": can_save,
    }


@bp.get("/<slug>")
def detail(slug: str):
    """Everything about one profession: the work, study paths, demand, where to see it."""
    brief = _brief_or_404(slug)
    context = cache(lambda: catalogue_context(slug))  # queried once, and only on a miss
    parts = {
        part: catalogue_fragment(("profession", slug), f"professions/_detail_{part}.html", context)
        for part in ("head", "body", "related")
    }
    return render_template(
        "professions/detail.html",
        brief=brief,
        profession=brief,
        parts=parts,
        **live_context(brief.id, current_user),
        **_action_state(),
    )
