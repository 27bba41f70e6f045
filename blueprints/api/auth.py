"""Bearer-token authentication for the JSON API."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import g, request

from blueprints.api.errors import api_error
from services.accounts import user_for_token


def token_required(*roles: str) -> Callable:
    """Require ``Authorization: Bearer <token>`` of a user holding one of ``roles``."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            header = request.headers.get("Authorization", "")
            scheme, _, token = header.partition(" ")
            user = user_for_token(token.strip()) if scheme.lower() == "bearer" and token else None
            if user is None:
                return api_error(401, "unauthorized", "Нужен действующий токен API (Bearer).")
            if roles and user.role not in roles:
                return api_error(403, "forbidden", "Этот токен не даёт доступа к ресурсу.")
            if not user.is_approved:
                return api_error(
                    403, "account_pending", "Учётная запись ещё на проверке у координатора."
                )
            g.api_user = user
            return view(*args, **kwargs)

        return wrapped

    return decorator
