"""The API's error shape: ``{"error": {"code", "message", "fields"?}}``."""

from __future__ import annotations

from flask import jsonify


def api_error(status: int, code: str, message: str, fields: dict[str, str] | None = None):
    """A JSON error response."""
    body: dict = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return jsonify({"error": body}), status
