"""What every request must satisfy before a view sees it: no NUL characters, sane JSON.

A NUL is never typed by a person, and PostgreSQL refuses it in text (SQLite stores it), so a
request carrying one in its path, query, form or JSON body is refused here, the same way on
both databases, instead of failing deep in a query. JSON nested deeper than Python's parser can
recurse is a malformed body, not a server error.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import lazy_gettext as _l

NUL = "\x00"
NUL_MESSAGE = _l(
    "В запросе есть недопустимый символ (нулевой байт). Уберите его и отправьте ещё раз."
)
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, with too-deep nesting reported as malformed input."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse JSON; a body nested too deeply raises ``ValueError`` like any malformed one."""
        try:
            return super().loads(s, **kwargs)
        except RecursionError as error:
            raise ValueError("JSON is nested too deeply") from error


def _pairs_have_nul(pairs) -> bool:
    return any(NUL in key or NUL in value for key, value in pairs.items(multi=True))


def json_has_nul(value: Any) -> bool:
    """Whether a parsed JSON value holds a NUL in any key or string (walked without recursion)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def request_has_nul() -> bool:
    """Whether the query, the form or the JSON body of this request carries a NUL."""
    if _pairs_have_nul(request.args):
        return True
    if request.method not in WRITE_METHODS:
        return False
    if request.is_json or request.blueprint == "api":  # the API reads JSON whatever the type
        return json_has_nul(request.get_json(force=True, silent=True))
    return _pairs_have_nul(request.form)


def _refuse_nul():
    from errors import error_response

    if NUL in request.path:
        abort(404)  # no page has a NUL in its address
    if request_has_nul():
        return error_response(400, str(NUL_MESSAGE), code="invalid_character")
    return None


def init_request_guard(app: Flask) -> None:
    """Install the JSON provider and the check that runs before every view."""
    app.json = JSONProvider(app)
    app.json.ensure_ascii = False  # Russian text readable in API answers, still valid JSON
    app.before_request(_refuse_nul)
