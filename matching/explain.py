"""Reasons in plain Russian, built only from what is in the student's profile.

Every reason names something the student gave: a liked subject that the profession also needs,
one of the student's strongest RIASEC areas that the profession also scores high on, or the
student's own words (as written) whose lemma occurs in the profession's text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from matching.documents import RIASEC, StudentProfile, quiz_profile_is_flat
from matching.features import LemmaIndex
from matching.text import words_with_lemmas

SUBJECT_LABELS = {
    "math": "математика",
    "physics": "физика",
    "chemistry": "химия",
    "biology": "биология",
    "informatics": "информатика",
    "technology": "технология",
    "drawing": "черчение",
    "literature": "литература",
    "russian": "русский язык",
    "history": "история",
    "social": "обществознание",
    "geography": "география",
    "foreign_lang": "иностранный язык",
    "art": "изобразительное искусство",
    "music": "музыка",
    "pe": "физкультура",
    "economics": "экономика",
    "safety": "ОБЗР (основы безопасности)",
}
# Dative phrases after «интерес к …».
RIASEC_PHRASES = {
    "R": "технике и работе руками",
    "I": "исследованиям и науке",
    "A": "творчеству",
    "S": "работе с людьми и помощи им",
    "E": "организации дел и руководству",
    "C": "порядку, точности и работе с данными",
}
HIGH_DEMAND = "высокий спрос в регионе"
# A student's "strongest" areas: up to two, within this margin of their best level.
TOP_AREA_MARGIN = 0.1
MAX_TOP_AREAS = 2
# A profession "scores high" on an area among its own three best that lies above its mean.
PROFESSION_TOP_AREAS = 3
MAX_SUBJECTS = 3
MAX_WORDS = 3
# Words found in more than this share of professions («работать», «дом») explain nothing;
# in a tiny catalogue, a word of two professions still counts.
MAX_WORD_SHARE = 0.1
MIN_WORD_LIMIT = 2


@dataclass(frozen=True)
class ProfileFacts:
    """What reasons may quote from one profile, worked out once per query."""

    subjects: tuple[str, ...]
    top_areas: tuple[str, ...]
    word_columns: np.ndarray  # lemma columns of the profile's telling words, rarest first
    word_forms: dict[int, str]  # lemma column -> the word as the student wrote it


def top_areas(riasec: Mapping[str, float] | None) -> tuple[str, ...]:
    """The profile's strongest RIASEC areas (none for flat answers), strongest first."""
    if not riasec or quiz_profile_is_flat(riasec):
        return ()
    levels = {area: float(riasec.get(area, 0.0)) for area in RIASEC}
    best, mean = max(levels.values()), sum(levels.values()) / len(levels)
    ranked = sorted(RIASEC, key=lambda area: -levels[area])
    chosen = [a for a in ranked if levels[a] >= best - TOP_AREA_MARGIN and levels[a] > mean]
    return tuple(chosen[:MAX_TOP_AREAS])


def profile_facts(profile: StudentProfile, index: LemmaIndex) -> ProfileFacts:
    """Collect the subjects, top areas and known words of ``profile``."""
    limit = max(MIN_WORD_LIMIT, MAX_WORD_SHARE * index.rows.shape[0])
    forms: dict[int, str] = {}
    for word, normal in words_with_lemmas(profile.interests):
        column = index.vocabulary.get(normal)
        if column is not None and column not in forms and index.counts[column] <= limit:
            forms[column] = word
    columns = np.array(sorted(forms, key=lambda c: index.counts[c]), dtype=np.int64)
    return ProfileFacts(tuple(profile.subjects), top_areas(profile.riasec), columns, forms)


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} и {items[-1]}"


def subjects_reason(liked: Sequence[str], needed: Sequence[str]) -> str | None:
    """«вам нравится физика» for the liked subjects the profession needs."""
    shared = [code for code in liked if code in needed][:MAX_SUBJECTS]
    if not shared:
        return None
    verb = "нравится" if len(shared) == 1 else "нравятся"
    return f"вам {verb} {_join([SUBJECT_LABELS[code] for code in shared])}"


def riasec_reason(areas: Sequence[str], profession: np.ndarray) -> str | None:
    """«совпадает с вашим интересом к … (R)» for top areas the profession also scores high on."""
    mean = float(profession.mean())
    strong = set(np.argsort(-profession, kind="stable")[:PROFESSION_TOP_AREAS].tolist())
    shared = [a for a in areas if RIASEC.index(a) in strong and profession[RIASEC.index(a)] > mean]
    if not shared:
        return None
    phrases = [f"к {RIASEC_PHRASES[a]} ({a})" for a in shared]
    noun = "вашим интересом" if len(shared) == 1 else "вашими интересами"
    return f"совпадает с {noun} {' и '.join(phrases)}"


def words_reason(facts: ProfileFacts, index: LemmaIndex, row: int) -> str | None:
    """«вы писали про «сварку»» for the student's words whose lemma occurs in the text."""
    shared = index.shared(row, facts.word_columns)[:MAX_WORDS]
    if len(shared) == 0:
        return None
    return "вы писали про " + ", ".join(f"«{facts.word_forms[int(c)]}»" for c in shared)


def profession_reasons(
    facts: ProfileFacts,
    index: LemmaIndex,
    row: int,
    contributions: Mapping[str, float],
    riasec: np.ndarray,
    subjects: Sequence[str],
    demand: str,
) -> list[str]:
    """The reasons for one profession, the part that added most to its score first."""
    reasons = []
    for part in sorted(contributions, key=lambda p: -contributions[p]):
        if contributions[part] <= 0:
            continue
        if part == "text":
            reason = words_reason(facts, index, row)
        elif part == "riasec":
            reason = riasec_reason(facts.top_areas, riasec)
        else:
            reason = subjects_reason(facts.subjects, subjects)
        if reason:
            reasons.append(reason)
    if demand == "high":
        reasons.append(HIGH_DEMAND)
    return reasons


def tour_reasons(shown: Sequence[str], closest: str | None, town: str) -> list[str]:
    """«покажут профессии: Сварщик, Токарь» (from the student's top matches) and the town."""
    reasons = []
    if shown:
        # Some titles hold commas («Инженер по отоплению, вентиляции и …»); keep them apart.
        separator = "; " if any("," in title for title in shown) else ", "
        reasons.append(f"покажут профессии: {separator.join(shown)}")
    elif closest:
        reasons.append(f"ближе всего к вашим ответам: {closest}")
    if town:
        reasons.append(f"предприятие в городе {town}")
    return reasons
