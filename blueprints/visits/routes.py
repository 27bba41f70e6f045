"""Public pages of enterprises and tour programmes.

What these pages show of the catalogue is rendered once per catalogue version and language
(``rendering.catalogue_fragment``); seats and anything about the visitor are rendered live.
"""

from __future__ import annotations

import io

from flask import abort, current_app, render_template, request, send_file, url_for
from flask_login import current_user
from markupsafe import Markup

from blueprints.visits import bp
from models._common import local_now
from rendering import catalogue_fragment, render_page_or_fragment
from services import enterprise_photos, tour_filters, visits
from services.paging import page_number


@bp.get("/enterprises")
def enterprises():
    """Enterprises open to visitors, by town."""
    towns = visits.public_towns()
    town = request.args.get("town", "")
    town = town if town in towns else ""
    listing = catalogue_fragment(
        ("enterprises", town),
        "visits/_enterprise_list.html",
        lambda: {"enterprises": visits.public_enterprises(town)},
    )
    return render_page_or_fragment(
        "visits/enterprises.html", "visits/_listing.html", listing=listing, towns=towns, town=town
    )


@bp.get("/enterprises/<slug>")
def enterprise(slug: str):
    """One enterprise: what it makes, who works there, its tours."""
    brief = visits.enterprise_brief(slug)
    if brief is None:
        abort(404)
    # Photos are not catalogue rows (adding one does not move the version): the set of them
    # is part of the key instead.
    photos = enterprise_photos.photos_of(brief.id)
    body = catalogue_fragment(
        ("enterprise", slug, tuple(p.id for p in photos)),
        "visits/_enterprise_body.html",
        lambda: {"enterprise": visits.public_enterprise(slug), "photos": photos},
    )
    return render_template("visits/enterprise.html", brief=brief, body=body)


@bp.get("/media/enterprises/<filename>")
def enterprise_photo(filename: str):
    """A photo of an enterprise, by its stored name: a public enterprise's for anyone (kept by
    browsers and proxies for a week), one not public yet for its staff and moderators only."""
    found = enterprise_photos.servable(filename, current_user)
    if found is None:
        abort(404)
    path, public = found
    # Read whole (a re-encoded photo is a few hundred kilobytes), so that no open file
    # outlives the request; the name never changes meaning, so it serves as the ETag.
    response = send_file(
        io.BytesIO(path.read_bytes()),
        mimetype="image/jpeg",
        etag=path.stem,
        last_modified=path.stat().st_mtime,
        max_age=enterprise_photos.PUBLIC_CACHE_SECONDS if public else None,
    )
    if public:
        response.cache_control.immutable = True  # a new photo gets a new name
    else:
        response.cache_control.no_store = True
    return response


@bp.get("/tours")
def tours():
    """Tour programmes of the region's enterprises, filtered as a counsellor planning a trip
    needs (dates, place, grade or age, profession, price, seats for a group)."""
    page = page_number(request.args.get("page"))
    per_page = current_app.config["PAGE_SIZE"]
    filters = tour_filters.parse_filters(request.args, local_now().date())
    if filters.active or filters.dropped:  # live: what it shows depends on this request
        found = tour_filters.filtered_tours_page(filters, page, per_page)
        listing = Markup(
            render_template(
                "visits/_tour_list.html",
                page=found,
                filters=filters,
                first=tour_filters.first_matching_sessions(
                    filters, [t.id for t in found.pagination.items]
                ),
            )
        )
    else:
        listing = catalogue_fragment(
            ("tours", page),
            "visits/_tour_list.html",
            lambda: {"page": visits.listed_tours_page(page, per_page), "filters": None},
        )
    return render_page_or_fragment(
        "visits/tours.html",
        "visits/_listing.html",
        listing=listing,
        filters=filters,
        choices=tour_filters.filter_choices(),
        push_url=url_for("visits.tours", **filters.query_args()) if request.htmx else None,
    )


@bp.get("/tours/<id:tour_id>")
def tour(tour_id: int):
    """One tour programme with its rules and upcoming sessions."""
    brief = visits.tour_brief(tour_id)
    if brief is None:
        abort(404)
    body = catalogue_fragment(
        ("tour", tour_id), "visits/_tour_body.html", lambda: {"tour": visits.listed_tour(tour_id)}
    )
    sessions = visits.tour_sessions_view(tour_id, current_user)
    return render_template("visits/tour.html", brief=brief, body=body, **sessions)


@bp.get("/tours/<id:tour_id>/sessions")
def tour_sessions(tour_id: int):
    """The tour's dates with the seats left now (the page refreshes them with htmx)."""
    if visits.tour_brief(tour_id) is None:
        abort(404)
    return render_page_or_fragment(
        "visits/sessions.html",
        "visits/_tour_sessions.html",
        brief=visits.tour_brief(tour_id),
        **visits.tour_sessions_view(tour_id, current_user),
    )
