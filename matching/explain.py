"""Reasons as data, built only from what is in the student's profile.

A :class:`~matching.documents.Reason` says which kind of evidence it is, what the student gave
(``said``: their own words as written, subject codes, RIASEC letters) and what in the
profession that met (``met``: the duty, skill or tool line where the student's word occurs, the
profession's own first duty for an area of interest). The web layer words them in the user's
language; nothing here is a sentence.

- ``words``: the student's words whose lemma (or, for a misspelling, most of whose letters)
  occur in the profession's text; ``met`` is the shortest of its lines that holds one.
- ``subjects``: liked subjects the profession needs, in the profession's order.
- ``areas``: the student's strongest RIASEC areas that the profession also scores high on.
  When no reason of a profession quotes a line, its first reason carries the profession's
  first duty: what the subject or the area looks like in this work.
- ``demand``: the region needs this profession (high demand).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from matching.documents import RIASEC, Reason, StudentProfile, quiz_profile_is_flat
from matching.features import LemmaIndex
from matching.text import is_verb, lemmas, normalise, words_with_lemmas

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
# A line quoted as what the student's word met: short enough to read in one glance.
MAX_LINE = 140
# A misspelt word («програмист») meets a catalogue word when they share this many leading
# letters, or this share of their letter trigrams.
SHARED_PREFIX = 6
SHARED_TRIGRAMS = 0.6
# A word the vocabulary expanded is quoted for a profession that meets this many words of its
# phrase (one shared verb is a coincidence).
ADDED_AT_LEAST = 2
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
WORD = re.compile(r"[0-9a-zа-я]+")


@dataclass(frozen=True)
class ProfileFacts:
    """What reasons may quote from one profile, worked out once per query."""

    subjects: tuple[str, ...]
    top_areas: tuple[str, ...]
    word_columns: np.ndarray  # lemma columns of the profile's telling words, rarest first
    word_forms: dict[int, str]  # lemma column -> the word as the student wrote it
    word_lemmas: dict[int, str]  # lemma column -> the lemma
    written: tuple[str, ...]  # every content word the student wrote, as written
    added: frozenset[int] = frozenset()  # columns only the vocabulary's phrases brought


def top_areas(riasec: Mapping[str, float] | None) -> tuple[str, ...]:
    """The profile's strongest RIASEC areas (none for flat answers), strongest first."""
    if not riasec or quiz_profile_is_flat(riasec):
        return ()
    levels = {area: float(riasec.get(area, 0.0)) for area in RIASEC}
    best, mean = max(levels.values()), sum(levels.values()) / len(levels)
    ranked = sorted(RIASEC, key=lambda area: -levels[area])
    chosen = [a for a in ranked if levels[a] >= best - TOP_AREA_MARGIN and levels[a] > mean]
    return tuple(chosen[:MAX_TOP_AREAS])


def profile_facts(
    profile: StudentProfile, index: LemmaIndex, added: Mapping[str, str] | None = None
) -> ProfileFacts:
    """Collect the subjects, top areas and known words of ``profile``.

    ``added`` maps the lemmas of words the vocabulary added for the student (``matching.
    vocabulary``) to the student's own word that brought them: a reason quotes that word.
    """
    limit = max(MIN_WORD_LIMIT, MAX_WORD_SHARE * index.rows.shape[0])
    forms: dict[int, str] = {}
    normals: dict[int, str] = {}
    pairs = list(words_with_lemmas(profile.interests))
    written = tuple(word for word, _ in pairs)
    own = len(pairs)
    # A phrase's verbs («осматривает», «ставит») are every trade's; its nouns carry the topic.
    pairs += [(origin, normal) for normal, origin in (added or {}).items() if not is_verb(normal)]
    brought: set[int] = set()
    for n, (word, normal) in enumerate(pairs):
        column = index.vocabulary.get(normal)
        if column is not None and column not in forms and index.counts[column] <= limit:
            forms[column], normals[column] = word, normal
            if n >= own:
                brought.add(column)
    columns = np.array(sorted(forms, key=lambda c: index.counts[c]), dtype=np.int64)
    return ProfileFacts(
        tuple(profile.subjects),
        top_areas(profile.riasec),
        columns,
        forms,
        normals,
        written,
        frozenset(brought),
    )


def profession_lines(lines: Sequence[str], text: str) -> tuple[str, ...]:
    """The lines a reason may quote, the best first: the profession's duties, tools and skills
    when given, then the short sentences of its text (its first line, the title, last)."""
    title, _, rest = text.partition("\n")
    if not rest:  # one paragraph: its sentences are all there is
        title, rest = "", title
    sentences = [s for line in rest.split("\n") for s in SENTENCE_END.split(line)]
    pieces = [*lines, *sentences, title]
    kept = (p.strip().rstrip(".") for p in pieces)
    return tuple(dict.fromkeys(p for p in kept if 0 < len(p) <= MAX_LINE))


# Catalogue lines and words repeat across every query: their words, lemmas and trigrams are
# worked out once per process (bounded caches; a line is a short string).
@lru_cache(maxsize=200_000)
def _line_lemmas(line: str) -> frozenset[str]:
    return frozenset(lemmas(line))


@lru_cache(maxsize=200_000)
def _line_words(line: str) -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """The line's long words as the set of their first SHARED_PREFIX letters, and grouped by
    their first two letters (a misspelling rarely changes those)."""
    words = [w for w in WORD.findall(normalise(line)) if len(w) >= SHARED_PREFIX]
    by_start: dict[str, list[str]] = {}
    for word in words:
        by_start.setdefault(word[:2], []).append(word)
    prefixes = frozenset(w[:SHARED_PREFIX] for w in words)
    return prefixes, {start: tuple(group) for start, group in by_start.items()}


@lru_cache(maxsize=200_000)
def _trigrams(word: str) -> frozenset[str]:
    padded = f" {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def _in_line(written: str, line: str) -> bool:
    """Whether the line holds a misspelt or differently formed ``written`` that is still
    plainly the same word (``written`` at least SHARED_PREFIX letters long)."""
    prefixes, by_start = _line_words(line)
    if written[:SHARED_PREFIX] in prefixes:
        return True
    mine = _trigrams(written)
    for word in by_start.get(written[:2], ()):
        theirs = _trigrams(word)
        if len(mine & theirs) / len(mine | theirs) >= SHARED_TRIGRAMS:
            return True
    return False


def _telling(facts: ProfileFacts, shared: np.ndarray) -> np.ndarray:
    """The shared columns that say something: the student's own words, and the nouns of a
    vocabulary phrase only when ADDED_AT_LEAST of one student word's phrase meet the
    profession («котиков» brings the vet's «животное», «диагноз», «вакцинация»; one shared
    word is a coincidence)."""
    if not facts.added:
        return shared
    per_word: dict[str, int] = {}
    for column in shared:
        if int(column) in facts.added:
            origin = facts.word_forms[int(column)]
            per_word[origin] = per_word.get(origin, 0) + 1
    return np.array(
        [
            c
            for c in shared
            if int(c) not in facts.added or per_word[facts.word_forms[int(c)]] >= ADDED_AT_LEAST
        ],
        dtype=np.int64,
    )


def words_reason(
    facts: ProfileFacts, index: LemmaIndex, row: int, lines: Sequence[str]
) -> Reason | None:
    """The student's words whose lemma occurs in the profession, and the line that holds one;
    failing that, a word of theirs that is plainly a word of one of its lines."""
    shared = _telling(facts, index.shared(row, facts.word_columns))[:MAX_WORDS]
    if len(shared):
        said = tuple(dict.fromkeys(facts.word_forms[int(c)] for c in shared))
        wanted = {facts.word_lemmas[int(c)] for c in shared}
        line = next((ln for ln in lines if wanted & _line_lemmas(ln)), None)
        return Reason("words", said, (line,) if line else ())
    written = [w for w in facts.written if len(w) >= SHARED_PREFIX]
    if not written:
        return None
    for line in lines:
        hit = next((w for w in written if _in_line(w, line)), None)
        if hit:
            return Reason("words", (hit,), (line,))
    return None


def subjects_reason(liked: Sequence[str], needed: Sequence[str]) -> Reason | None:
    """The liked subjects that the profession needs, in the profession's order."""
    shared = tuple(code for code in needed if code in liked)[:MAX_SUBJECTS]
    return Reason("subjects", shared) if shared else None


def areas_reason(areas: Sequence[str], profession: np.ndarray) -> Reason | None:
    """The student's top areas that the profession also scores high on."""
    mean = float(profession.mean())
    strong = set(np.argsort(-profession, kind="stable")[:PROFESSION_TOP_AREAS].tolist())
    shared = [a for a in areas if RIASEC.index(a) in strong and profession[RIASEC.index(a)] > mean]
    return Reason("areas", tuple(shared)) if shared else None


def profession_reasons(
    facts: ProfileFacts,
    index: LemmaIndex,
    row: int,
    contributions: Mapping[str, float],
    riasec: np.ndarray,
    subjects: Sequence[str],
    demand: str,
    lines: Sequence[str],
) -> list[Reason]:
    """The reasons for one profession, the part that added most to its score first."""
    reasons = []
    for part in sorted(contributions, key=lambda p: -contributions[p]):
        if contributions[part] <= 0:
            continue
        if part == "text":
            reason = words_reason(facts, index, row, lines)
        elif part == "riasec":
            reason = areas_reason(facts.top_areas, riasec)
        else:
            reason = subjects_reason(facts.subjects, subjects)
        if reason:
            reasons.append(reason)
    if reasons and lines and not any(r.met for r in reasons):
        # Subjects and areas are shared by many professions; the first reason carries this
        # one's own first duty, so that no two professions read alike.
        reasons[0] = replace(reasons[0], met=(lines[0],))
    if demand == "high":
        reasons.append(Reason("demand"))
    return reasons


def tour_reasons(
    shown: Sequence[str],
    closest: str | None,
    profile: StudentProfile,
    min_age: int,
    min_grade: int,
    town: str,
) -> list[Reason]:
    """Which of the student's professions the tour shows (or the closest one it shows), that
    it admits the student's grade or age (when both are known), and the enterprise's town."""
    reasons = []
    if shown:
        reasons.append(Reason("shows", tuple(shown)))
    elif closest:
        reasons.append(Reason("closest", (closest,)))
    if min_grade and profile.grade is not None:
        reasons.append(Reason("grade", (str(profile.grade),), (str(min_grade),)))
    elif min_age and profile.age is not None:
        reasons.append(Reason("age", (str(profile.age),), (str(min_age),)))
    if town:
        reasons.append(Reason("town", (), (town,)))
    return reasons
