"""The plain inputs of the matching model: professions, tours and a student's profile."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

RIASEC = ("R", "I", "A", "S", "E", "C")
SUBJECTS = (
    "math",
    "physics",
    "chemistry",
    "biology",
    "informatics",
    "technology",
    "drawing",
    "literature",
    "russian",
    "history",
    "social",
    "geography",
    "foreign_lang",
    "art",
    "music",
    "pe",
    "economics",
    "safety",
)
DEMAND_LEVELS = ("high", "medium", "low")
# Answers this close to one another carry no preference (see quiz_profile_is_flat).
FLAT_SPREAD = 0.05


@dataclass(frozen=True)
class ProfessionDoc:
    """One profession as the model sees it; ``lines`` (its duties, skills and tools) are what
    a reason may quote, and the sentences of ``text`` stand in when they are not given."""

    id: int
    slug: str
    title: str
    sphere: str
    text: str
    riasec: dict[str, float]
    subjects: tuple[str, ...]
    demand: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class TourDoc:
    """One tour programme; ``enterprise_town`` is optional and only feeds a reason."""

    id: int
    title: str
    enterprise_slug: str
    enterprise_name: str
    text: str
    profession_ids: tuple[int, ...]
    min_age: int | None
    enterprise_town: str = ""
    min_grade: int | None = None
    max_age: int | None = None
    max_grade: int | None = None


@dataclass(frozen=True)
class StudentProfile:
    """What a student told us: free text, liked subjects, RIASEC levels (0–1), age and, for a
    signed-in schoolchild, grade."""

    interests: str = ""
    subjects: tuple[str, ...] = ()
    riasec: dict[str, float] | None = None
    age: int | None = None
    grade: int | None = None

    def is_empty(self) -> bool:
        """True when there is no text, no subject and no RIASEC answer to match on."""
        return not self.interests.strip() and not self.subjects and not self.riasec


@dataclass(frozen=True)
class StudentActions:
    """What a student did, as the model reads it (profession ids): ``set_aside`` are left out;
    the professions near those of ``away`` are lowered and those near ``toward`` raised, each
    by its weight (``matching.model.LIKE_WEIGHT``)."""

    set_aside: tuple[int, ...] = ()
    away: Mapping[int, float] = field(default_factory=dict)
    toward: Mapping[int, float] = field(default_factory=dict)

    @classmethod
    def dismissing(cls, *ids: int) -> StudentActions:
        """«Не интересно» on ``ids``: left out, and those like them lowered."""
        return cls(tuple(ids), dict.fromkeys(ids, 1.0))

    def is_empty(self) -> bool:
        """True when nothing was done."""
        return not (self.set_aside or self.away or self.toward)


@dataclass(frozen=True)
class Reason:
    """One reason for a recommendation, as data (``matching.explain`` says what each kind
    means; the web layer words it in the user's language).

    ``said`` is what the profile gave (the student's words as written, subject codes, RIASEC
    letters, their age or grade); ``met`` what in the profession or tour it met.
    """

    kind: str
    said: tuple[str, ...] = ()
    met: tuple[str, ...] = ()

    def as_json(self) -> dict:
        """The API's shape."""
        return {"kind": self.kind, "said": list(self.said), "met": list(self.met)}


@dataclass(frozen=True)
class ProfessionMatch:
    """A recommended profession: score 0–1 (rounded to 3 places), the reasons, and ``parts``,
    each part's similarity as it entered the blend: "text" tanh(gain · cosine) in 0–1,
    "riasec" the cosine of the centred vectors in −1–1, "subjects" a cosine in 0–1."""

    id: int
    slug: str
    title: str
    score: float
    demand: str
    reasons: list[Reason]
    parts: dict[str, float]


@dataclass(frozen=True)
class TourMatch:
    """A recommended tour; ``next_session`` is the caller's opaque value from ``allowed``."""

    id: int
    title: str
    enterprise_slug: str
    enterprise_name: str
    score: float
    next_session: object
    reasons: list[Reason]


def quiz_profile_is_flat(riasec: dict[str, float] | None) -> bool:
    """True when all six RIASEC levels lie within 0.05 of each other (no preference shown)."""
    if not riasec:
        return True
    values = [float(riasec.get(area, 0.0)) for area in RIASEC]
    return max(values) - min(values) <= FLAT_SPREAD + 1e-9
