"""Rendered result lines of the explorer, kept for reuse.

A result line depends only on the profession (fixed for a catalogue version), the language and
its count of upcoming tours, so each is rendered once and kept in the search index's memo, which
is dropped with the index when the catalogue changes. Typing in the search box then costs a
search and a join of cached HTML, not twenty template renders.
"""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import get_locale
from markupsafe import Markup

from services.search import Entry, ProfessionIndex


def result_lines(
    search_index: ProfessionIndex, entries: list[Entry], tour_counts: dict[int, int]
) -> list[Markup]:
    """The HTML ``<li>`` of each entry, from the memo or freshly rendered."""
    memo = search_index.memo
    locale = str(get_locale())
    template = None
    lines = []
    for entry in entries:
        tours = tour_counts.get(entry.id, 0)
        key = ("line", entry.id, locale, tours)
        line = memo.get(key)
        if line is None:
            template = template or current_app.jinja_env.get_template("professions/_item.html")
            line = Markup(template.render(e=entry, tours=tours, base=url_for("professions.index")))
            memo[key] = line
        lines.append(line)
    return lines
