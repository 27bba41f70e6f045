"""Placeholder: filled in by the programmes slice."""

from blueprints.employer import bp  # noqa: F401
