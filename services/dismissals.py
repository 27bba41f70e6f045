"""«Не интересно»: the professions a student set aside, kept in their session.

The list lives in the signed session cookie (visitors and students alike; nothing is written
about a child for a click), capped so that the cookie stays small; the model lowers what is
like them (``matching.model.DISMISS_WEIGHT``).
"""

from __future__ import annotations

from flask import session

KEY = "dismissed_professions"
LIMIT = 30


def dismissed() -> list[str]:
    """The slugs set aside in this session, oldest first."""
    value = session.get(KEY)
    return [s for s in value if isinstance(s, str)][:LIMIT] if isinstance(value, list) else []


def dismiss(slug: str) -> None:
    """Set a profession aside (again is a no-op); the oldest go when the list is full."""
    slugs = [s for s in dismissed() if s != slug] + [slug]
    session[KEY] = slugs[-LIMIT:]


def restore(slug: str) -> None:
    """Bring a set-aside profession back."""
    session[KEY] = [s for s in dismissed() if s != slug]
