"""Placeholder: filled in by the feedback slice."""

from blueprints.counsellor import bp  # noqa: F401
