"""Error pages in the site's style; JSON errors under ``/api/``; fragments for htmx."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from extensions import db
from rendering import render_page_or_fragment

MESSAGES = {
    400: _l("Запрос не понят. Проверьте введённые данные и попробуйте ещё раз."),
    401: _l("Войдите, чтобы продолжить."),
    403: _l("У вашей учётной записи нет доступа к этой странице."),
    404: _l("Такой страницы нет. Возможно, ссылка устарела."),
    405: _l("Так эту страницу открыть нельзя."),
    413: _l("Слишком большой запрос."),
    429: _l("Слишком много попыток. Подождите минуту и попробуйте снова."),
    500: _l("Что-то сломалось на нашей стороне. Мы уже знаем; попробуйте чуть позже."),
}


def _is_api() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, message: str | None = None, code: str | None = None):
    """Answer an error as JSON for the API, a fragment for htmx, or a full page."""
    text = message or str(MESSAGES.get(status, MESSAGES[400]))
    if _is_api():
        return jsonify({"error": {"code": code or str(status), "message": text}}), status
    return render_page_or_fragment(
        "errors/error.html", "errors/_message.html", status, error_status=status, message=text
    )


def _http_error(error: HTTPException):
    if error.code == 500 or error.code is None:
        return _server_error(error)
    return error_response(error.code, code=error.name.lower().replace(" ", "_"))


def _csrf_error(error: CSRFError):
    message = _("Форма устарела или открыта в другой вкладке. Обновите страницу и отправьте снова.")
    return error_response(400, message, code="csrf")


def _server_error(error: Exception):
    current_app.logger.error(
        "Unhandled error on %s %s",
        request.method,
        request.path,
        exc_info=getattr(error, "original_exception", None) or error,
    )
    db.session.rollback()
    try:
        return error_response(500, code="internal_error")
    except Exception:  # the error page itself failed: answer plainly, still through the hooks
        current_app.logger.exception("The error page failed too on %s", request.path)
        return str(MESSAGES[500]), 500, {"Content-Type": "text/plain; charset=utf-8"}


def init_errors(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _server_error)
    if not app.config.get("TESTING"):
        # In tests an unexpected exception must surface, not turn into a friendly page.
        app.register_error_handler(Exception, _server_error)
