"""Placeholder: filled in by the team slice."""

from blueprints.employer import bp  # noqa: F401
