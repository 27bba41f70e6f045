"""The profession explorer: search with filters, detail pages, compare and shortlist."""

from __future__ import annotations

from flask import abort, current_app, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import select

from blueprints.professions import bp
from blueprints.professions.forms import ToggleForm
from blueprints.professions.lines import result_lines
from extensions import db
from models import Profession, Sphere
from models.profession import RIASEC
from rendering import client_redirect, fragment, render_page_or_fragment, wants_fragment
from services import compare, shortlist
from services.paging import page_number
from services.professions import detail_context, professions_by_slugs
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
    return render_page_or_fragment(
        "professions/index.html",
        template,
        result=result,
        q=q.strip()[:200],
        filters=filters,
        sort=sort if sort in SORTS else "relevance",
        lines=result_lines(search_index, result.entries, tour_counts),
        sphere_choices=[]
        if wants_fragment()
        else db.session.execute(select(Sphere.slug, Sphere.title).order_by(Sphere.position)).all(),
        compared=compare.compared_slugs(session),
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
    profession = db.first_or_404(select(Profession).where(Profession.slug == slug))
    form = ToggleForm()
    if not form.validate_on_submit():
        abort(400)
    in_basket, dropped = compare.set_compared(profession.slug, session, form.wanted())
    dropped_title = None
    if in_basket and dropped:
        title = select(Profession.title).where(Profession.slug == dropped)
        dropped_title = db.session.scalar(title)
    return _after_toggle(profession, dropped=dropped_title)


@bp.get("/saved")
def saved():
    """The professions this student (or visitor, in this session) saved."""
    ids = shortlist.saved_ids(_student_or_none(), session)
    rows = db.session.scalars(select(Profession).where(Profession.id.in_(ids))).all()
    order = {pid: n for n, pid in enumerate(ids)}
    return render_template(
        "professions/saved.html", professions=sorted(rows, key=lambda p: order[p.id])
    )


@bp.post("/<slug>/save")
def toggle_saved(slug: str):
    """Save a profession to the shortlist, or remove it."""
    profession = db.first_or_404(select(Profession).where(Profession.slug == slug))
    student = _student_or_none()
    form = ToggleForm()
    if not form.validate_on_submit():
        abort(400)
    shortlist.set_saved(profession, student, session, form.wanted())
    return _after_toggle(profession)


def _after_toggle(profession: Profession, dropped: str | None = None):
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
        "toggle_form": ToggleForm(),
    }


@bp.get("/<slug>")
def detail(slug: str):
    """Everything about one profession: the work, study paths, demand, where to see it."""
    profession = db.first_or_404(select(Profession).where(Profession.slug == slug))
    return render_template(
        "professions/detail.html", **detail_context(profession), **_action_state()
    )
