"""Who may see what: the user loader, bearer tokens and role-based access decorators."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, current_app, g, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from extensions import login_manager
from models import User

F = TypeVar("F", bound=Callable[..., Any])


def role_required(*roles: str) -> Callable[[F], F]:
    """Allow the view only to signed-in users holding one of ``roles``.

    Anonymous visitors are sent to the login page (401 for htmx/API); others get 403.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def _load_user(session_key: str) -> User | None:
    """The user of a live browser session (``User.get_id`` gives the session's key)."""
    from services import login_sessions

    return login_sessions.user_for(session_key)


def init_access(app: Flask) -> None:
    """Configure Flask-Login."""
    login_manager.user_loader(_load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Войдите, чтобы открыть эту страницу.")
    login_manager.login_message_category = "info"
    # "basic": a session seen from another address or browser is marked not fresh, rather than
    # signed out ("strong"). Students' phones change address whenever they move between Wi-Fi
    # and mobile data, and "strong" also rewrote every visitor's cookie on every request
    # (a session holding only the CSRF token never matches its check). Actions that need a
    # fresh sign-in can ask for one with ``fresh_login_required``.
    login_manager.session_protection = "basic"
    login_manager.unauthorized_handler(_unauthorized)
    app.after_request(_no_store_when_signed_in)
    app.teardown_request(_forget_request_state)


def _forget_request_state(_error=None) -> None:
    """Drop what Flask-Login and Flask-WTF cache in ``g`` for one request (the user, the CSRF
    token). ``g`` belongs to the application context, which a request shares with an outer one
    (the CLI, a job, a test): a user loaded for one request must never serve the next."""
    g.pop("_login_user", None)
    g.pop("csrf_token", None)


def _no_store_when_signed_in(response):
    """Pages of a signed-in person are never kept by the browser or a proxy: on a shared school
    computer, Back after signing out must not show them. Decided from the cookies alone (no
    query), so static files, which never carry personal data, keep their caching."""
    if request.endpoint == "static":
        return response
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    if session.get("_user_id") or remember in request.cookies:
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


def _unauthorized() -> Any:
    """Send anonymous visitors to the login page; htmx gets a client redirect, the API JSON."""
    from flask import jsonify, redirect, request, url_for

    from rendering import client_redirect

    if request.blueprint == "api":
        body = {"error": {"code": "unauthorized", "message": str(_l("Нужен токен API."))}}
        return jsonify(body), 401
    login_url = url_for("auth.login", next=request.full_path.rstrip("?"))
    if request.htmx:
        return client_redirect(login_url)
    return redirect(login_url)
