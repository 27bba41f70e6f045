"""The comparison basket: up to three professions side by side, kept in the session."""

from __future__ import annotations

from collections.abc import MutableMapping

SESSION_KEY = "compare"
MAX_COMPARED = 3


def compared_slugs(session: MutableMapping) -> list[str]:
    """Slugs in the basket, oldest first."""
    return list(session.get(SESSION_KEY, []))


def set_compared(
    slug: str, session: MutableMapping, wanted: bool | None = None
) -> tuple[bool, str | None]:
    """Put ``slug`` in the basket or take it out (``wanted=None`` flips it).

    Returns (now in the basket, the slug dropped to make room or None). Asking for a state
    rather than a flip makes a double click harmless.
    """
    slugs = compared_slugs(session)
    if wanted is None:
        wanted = slug not in slugs
    dropped = None
    if not wanted and slug in slugs:
        slugs.remove(slug)
    elif wanted and slug not in slugs:
        if len(slugs) >= MAX_COMPARED:
            dropped = slugs.pop(0)
        slugs.append(slug)
    session[SESSION_KEY] = slugs
    return wanted, dropped
