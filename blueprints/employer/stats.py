"""An employer's statistics: visitors per month, classes and schools reached, attendance,
feedback, offers, responses and the step from a visit to a response, for a period of months,
on a page (charts with their tables) and as CSV."""

from __future__ import annotations

from flask import abort, request, url_for
from flask_login import current_user

from access import role_required
from blueprints.employer import bp
from i18n import RESPONSE_STATE_LABELS, VACANCY_KIND_LABELS
from models._common import local_now
from rendering import download, render_page_or_fragment
from services import employer_stats_csv
from services.employer_stats import SHOW_MINIMUM, EmployerStats, enterprise_stats
from services.enterprises import enterprise_of
from services.report_period import MIN_YEAR, parse_period


def _asked_stats() -> EmployerStats:
    """The figures of the employer's enterprise for the period the query asks (404 without an
    approved link to an enterprise)."""
    enterprise = enterprise_of(current_user)
    if enterprise is None:
        abort(404)
    period = parse_period(request.args, local_now().date())
    return enterprise_stats(enterprise, period)


@bp.get("/stats")
@role_required("employer")
def stats():
    """The statistics page; an htmx request from its period form gets the figures alone."""
    figures = _asked_stats()
    today = local_now().date()
    return render_page_or_fragment(
        "employer/stats.html",
        "employer/_stats.html",
        stats=figures,
        period=figures.period,
        minimum=SHOW_MINIMUM,
        # The charts' labels, in the order of their figures.
        kind_names=[str(VACANCY_KIND_LABELS[k]) for k in figures.offers],
        state_names=[str(RESPONSE_STATE_LABELS[s]) for s in figures.responses],
        month_min=f"{MIN_YEAR}-01",
        month_max=f"{today.year + 1}-12",
        push_url=url_for("employer.stats", **figures.period.query_args()),
    )


@bp.get("/stats.csv")
@role_required("employer")
def stats_csv():
    """Every figure of the statistics page for the asked period, as CSV."""
    figures = _asked_stats()
    args = figures.period.query_args()
    name = f"statistika-{args['from']}-{args['to']}.csv"
    return download(employer_stats_csv.stats_csv(figures), "text/csv", name)
