"""Placeholder: filled in by the stats slice."""

from blueprints.employer import bp  # noqa: F401
