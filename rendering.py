"""One place that decides whether a response is a whole page or an htmx fragment."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_datetime
from flask import Flask, Response, redirect, render_template, request
from flask_babel import get_locale
from htmx_flask import make_response
from markupsafe import Markup

from services.catalogue_version import CatalogueMemo

_fragments = CatalogueMemo(max_items=5000)


def wants_fragment() -> bool:
    """An htmx request that is neither boosted nor a history restore gets the fragment alone."""
    htmx = request.htmx
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def _varies(response: Response) -> Response:
    # The same URL answers a page or a fragment, so caches must key on HX-Request.
    response.vary.add("HX-Request")
    return response


def fragment(
    template: str, status: int = 200, push_url: str | None = None, **context: Any
) -> Response:
    """Render a partial as htmx's answer (``push_url`` puts a URL in the browser's history)."""
    body = render_template(template, **context)
    return _varies(make_response(body, status, push_url=push_url if wants_fragment() else None))


def render_page_or_fragment(
    page_template: str,
    fragment_template: str,
    status: int = 200,
    push_url: str | None = None,
    **context: Any,
) -> Response:
    """Render ``page_template`` normally and ``fragment_template`` for htmx."""
    template = fragment_template if wants_fragment() else page_template
    return fragment(template, status, push_url, **context)


def client_redirect(url: str) -> Response:
    """Send the browser to ``url`` after a POST: htmx gets ``HX-Redirect`` with status 200 (as
    django-htmx's ``HttpResponseClientRedirect``), a plain form a 303 See Other."""
    if request.htmx:
        return _varies(make_response("", 200, redirect=url))
    return _varies(redirect(url, code=303))


def download(body: str | bytes, mimetype: str, filename: str) -> Response:
    """A file the browser saves (``Content-Disposition: attachment``) under ``filename``."""
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def catalogue_fragment(
    key: tuple[Hashable, ...], template: str, context: Callable[[], dict[str, Any]]
) -> Markup:
    """A partial that depends only on the catalogue and the language, rendered once per worker
    and catalogue version (``context`` is called only then, so its queries run only then).

    Such a partial must not show anything about the visitor, the session or the time: no
    CSRF token, no "saved" state, no seats left. Those parts of a page are rendered live.
    """
    full_key = (template, str(get_locale()), *key)
    return _fragments.get(full_key, lambda: Markup(render_template(template, **context())))


def format_session(value: datetime | str) -> str:
    """A session's local start time, e.g. «3 декабря, чт, 10:00» (a datetime or ISO text).

    Sessions are stored in regional local time, so no time-zone conversion happens here
    (Flask-Babel's ``format_datetime`` would treat them as UTC).
    """
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return _session_text(value, str(get_locale()))


def format_moment(value: datetime) -> str:
    """A stored UTC moment (``created_at``) in the region's local time, e.g. «1 декабря, 14:05»."""
    from models._common import REGION_TZ

    local = value.replace(tzinfo=UTC).astimezone(REGION_TZ)
    return format_datetime(local.replace(tzinfo=None), "d MMMM, HH:mm", locale=get_locale())


def unread_notifications() -> int:
    """How many notifications the signed-in user has not seen (0 for a visitor)."""
    from flask_login import current_user

    from services.notifications import unread_count

    return unread_count(current_user) if current_user.is_authenticated else 0


@lru_cache(maxsize=8192)
def _session_text(value: datetime, locale: str) -> str:
    # The same few hundred session times are shown over and over; Babel's formatting of each
    # cost more than the rest of a line.
    return format_datetime(value, "d MMMM, EEE, HH:mm", locale=locale)


def url_with(**changes: Any) -> str:
    """The current URL with some query arguments replaced (None removes one)."""
    args = request.args.copy()
    args.pop("more", None)
    for key, value in changes.items():
        args.pop(key, None)
        if value is not None:
            args[key] = value
    query = urlencode(list(args.items(multi=True)))
    return f"{request.path}?{query}" if query else request.path


def init_rendering(app: Flask) -> None:
    """Expose the helpers to templates."""
    app.jinja_env.globals["wants_fragment"] = wants_fragment
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.filters["format_session"] = format_session
    app.jinja_env.filters["format_moment"] = format_moment
    app.jinja_env.globals["unread_notifications"] = unread_notifications
