"""Placeholder: filled in by the profile slice."""

from blueprints.employer import bp  # noqa: F401
