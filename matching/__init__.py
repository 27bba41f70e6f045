"""Профмаршрут's recommender: professions and tours for a student's profile (no Flask here).

Build once (``build_model`` from plain documents, then ``save``), load in each worker
(``load_model``), and ask ``recommend_professions``, ``recommend_tours`` or
``related_professions``.
"""

from matching.documents import (
    RIASEC,
    SUBJECTS,
    ProfessionDoc,
    ProfessionMatch,
    Reason,
    StudentActions,
    StudentProfile,
    TourDoc,
    TourMatch,
    quiz_profile_is_flat,
)
from matching.model import (
    DEFAULT_TEXT_MODE,
    MODEL_VERSION,
    MatchingModel,
    ModelError,
    StaleModelError,
    build_model,
    load_model,
)

__all__ = [
    "DEFAULT_TEXT_MODE",
    "MODEL_VERSION",
    "RIASEC",
    "SUBJECTS",
    "MatchingModel",
    "ModelError",
    "ProfessionDoc",
    "ProfessionMatch",
    "Reason",
    "StaleModelError",
    "StudentActions",
    "StudentProfile",
    "TourDoc",
    "TourMatch",
    "build_model",
    "load_model",
    "quiz_profile_is_flat",
]
