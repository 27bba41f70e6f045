"""Placeholder: filled in by the feedback slice."""

from blueprints.employer import bp  # noqa: F401
