"""Placeholder: filled in by the feedback slice."""

from blueprints.student import bp  # noqa: F401
