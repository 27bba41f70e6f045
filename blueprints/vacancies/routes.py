"""The public list of open vacancies, internships and practice places."""

from __future__ import annotations

from flask import current_app, render_template, request

from blueprints.vacancies import bp
from services.paging import page_number
from services.vacancies import listed_vacancies_page


@bp.get("")
def index():
    """Listed offers of public enterprises, newest first."""
    page = listed_vacancies_page(
        page_number(request.args.get("page")), current_app.config["PAGE_SIZE"]
    )
    return render_template("vacancies/index.html", page=page)
