"""Who may see what: the user loader, bearer tokens and role-based access decorators."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from extensions import db, login_manager
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


def _load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


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
