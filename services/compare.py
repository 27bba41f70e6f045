"""The comparison basket: up to three professions side by side, kept in the session."""

from __future__ import annotations

from collections.abc import MutableMapping

SESSION_KEY = "compare"
MAX_COMPARED = 3


def compared_slugs(session: MutableMapping) -> list[str]:
    """Slugs in the basket, oldest first."""
    return list(session.get(SESSION_KEY, []))


def toggle(slug: str, session: MutableMapping) -> tuple[bool, str | None]:
    """Add or remove ``slug``; return (now in basket, slug dropped to make room or None)."""
    slugs = compared_slugs(session)
    dropped = None
    if slug in slugs:
        slugs.remove(slug)
    else:
        if len(slugs) >= MAX_COMPARED:
            dropped = slugs.pop(0)
        slugs.append(slug)
    session[SESSION_KEY] = slugs
    return slug in slugs, dropped
