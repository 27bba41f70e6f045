"""Placeholder: filled in by the offers slice."""

from blueprints.employer import bp  # noqa: F401
