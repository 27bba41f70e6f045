"""ASCII slugs transliterated from Russian titles."""

from __future__ import annotations

import re

from sqlalchemy import select

from extensions import db

# The project's own table (a simplified GOST/ICAO scheme) so that slugs stay stable whatever a
# third-party slugifier decides in a future release; the catalogue's slugs follow the same rules.
_TRANSLIT = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str, max_length: int = 60) -> str:
    """Transliterate ``text`` to a lower-case ASCII slug of letters, digits and hyphens."""
    latin = "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())
    slug = re.sub(r"[^a-z0-9]+", "-", latin).strip("-")
    return slug[:max_length].rstrip("-") or "item"


def unique_enterprise_slug(name: str) -> str:
    """A slug for a new enterprise that no other enterprise uses."""
    from models import Enterprise

    base = slugify(name)
    slug, n = base, 2
    while db.session.scalar(select(Enterprise.id).where(Enterprise.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def unique_tour_slug(title: str) -> str:
    """A slug for a new tour programme that no other programme uses."""
    from models import TourProgramme

    base = slugify(title)
    slug, n = base, 2
    while db.session.scalar(select(TourProgramme.id).where(TourProgramme.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug
