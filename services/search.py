"""Profession search with Russian morphology, filters, sorting and paging.

The index is this project's own small inverted index over Snowball stems rather than a search
engine: the catalogue is small, SQLite and PostgreSQL must both work, and the explorer must answer
in a few milliseconds. Each worker builds it from the database once and rebuilds it when the
catalogue version changes (see ``services.catalogue_version``), so workers never disagree for long.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import snowballstemmer
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db
from models import Profession
from models.profession import DEMAND_LEVELS, EDUCATION_LEVELS, RIASEC, SUBJECTS
from services.catalogue_version import VersionedCache

MAX_QUERY_CHARS = 200
MAX_QUERY_TOKENS = 8
SORTS = ("relevance", "demand", "salary", "title")
# Field weights: a hit in the title says far more than one deep in the description.
FIELD_WEIGHTS = {
    "title": 8.0,
    "titles_en": 8.0,
    "summary": 3.0,
    "skills": 1.5,
    "duties": 1.5,
    "tools": 1.0,
    "description": 1.0,
}
STOP_WORDS = frozenset(
    "и в во на с со по для о об от до из к ко у за а но или что как это я мне меня мой моя "
    "люблю нравится хочу очень работа работать профессия".split()
)
_WORD_RE = re.compile(r"[0-9a-zа-я]+")
_stemmer = snowballstemmer.stemmer("russian")
# English titles (O*NET) are searchable too: "welder" meets "Welders", "programmer" "Programmers".
_english = snowballstemmer.stemmer("english")
_LATIN_RE = re.compile(r"[a-z]")
_stem_lock = threading.Lock()


def normalise(text: str) -> str:
    """Lower-case and fold ё to е, so that neither case nor ё matters."""
    return text.lower().replace("ё", "е")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball stem of one normalised word (cached: the vocabulary is small)."""
    with _stem_lock:  # the Snowball stemmer objects are not thread-safe
        return (_english if _LATIN_RE.search(word) else _stemmer).stemWord(word)


def tokens(text: str) -> list[str]:
    """Stems of the words of ``text``, stop-words removed."""
    return [stem(w) for w in _WORD_RE.findall(normalise(text)) if w not in STOP_WORDS]


@dataclass(frozen=True)
class Entry:
    """What a result line shows, kept in memory so that a search needs no ORM objects."""

    id: int
    slug: str
    title: str
    summary: str
    sphere: str
    demand: str
    salary_min: int
    salary_max: int
    education: tuple[str, ...]
    riasec_top: tuple[str, ...]
    subjects: frozenset[str]
    title_en: str | None = None

    @property
    def salary_text(self) -> str:
        """«55 000–110 000 ₽», with a narrow no-break space between thousands."""
        return f"{self.salary_min:,}–{self.salary_max:,} ₽".replace(",", "\u202f")


@dataclass
class Filters:
    """Validated filters; values the index does not know are collected in ``ignored``."""

    sphere: str = ""
    education: str = ""
    demand: str = ""
    riasec: str = ""
    subjects: tuple[str, ...] = ()
    ignored: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class SearchResult:
    """One page of results and what the page needs to say about them."""

    entries: list[Entry]
    total: int
    page: int
    pages: int
    per_page: int
    partial: bool = False  # no profession matched every word: showing those matching some
    clamped: bool = False  # the asked page was past the end

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1


class ProfessionIndex:
    """An in-memory inverted index of professions with column arrays for filters and sorting.

    Entries are addressed by position (0…n-1). Postings map a stem to the positions it occurs at
    and the weight of its best field; scoring, filtering and ordering are numpy operations over
    whole columns, so a query touching thousands of professions stays a few milliseconds.
    """

    def __init__(self, professions: list[Profession], spheres: set[str]):
        self.spheres = spheres
        # Values derived from this index that callers may keep (rendered lines); they are
        # dropped together with the index when the catalogue changes.
        self.memo: dict[tuple, object] = {}
        self.entries: list[Entry] = [_entry(p) for p in professions]
        n = len(self.entries)
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        for pos, p in enumerate(professions):
            for field_name, weight in FIELD_WEIGHTS.items():
                value = getattr(p, field_name)
                text = " ".join(value) if isinstance(value, list) else value or ""
                for s in tokens(text):
                    if postings[s].get(pos, 0) < weight:
                        postings[s][pos] = weight
        self.postings = {
            s: (
                np.fromiter(hits.keys(), np.int32, len(hits)),
                np.fromiter(hits.values(), np.float32, len(hits)),
            )
            for s, hits in postings.items()
        }
        self.vocabulary = sorted(self.postings)
        self._sphere_codes = {slug: i for i, slug in enumerate(sorted(spheres))}
        e = self.entries
        self.sphere = np.array([self._sphere_codes.get(x.sphere, -1) for x in e], np.int16)
        self.demand_rank = np.array([DEMAND_LEVELS.index(x.demand) for x in e], np.int8)
        self.salary_min = np.array([x.salary_min for x in e], np.int64)
        self.salary_max = np.array([x.salary_max for x in e], np.int64)
        self.education = np.array([_bits(x.education, EDUCATION_LEVELS) for x in e], np.uint8)
        self.riasec_top = np.array([_bits(x.riasec_top, RIASEC) for x in e], np.uint8)
        self.subjects = np.array([_bits(x.subjects, SUBJECTS) for x in e], np.uint32)
        self.title_rank = np.empty(n, np.int32)
        self.title_rank[sorted(range(n), key=lambda i: e[i].title)] = np.arange(n, dtype=np.int32)

    def _matching_stems(self, s: str) -> list[str]:
        """Vocabulary stems a query stem matches: a shared root of at least four letters.

        «сварка» (stem «сварк») and «сварщика» (stem «сварщик») share the root «свар», so the
        root is the stem less its last letter, but never shorter than four letters. Shorter query
        stems («дет») must match a stem exactly, or they would find «деталь» for «дети».
        """
        if len(s) < 4:
            return [s] if s in self.postings else []
        root = s[: max(4, len(s) - 1)]
        start = bisect.bisect_left(self.vocabulary, root)
        end = bisect.bisect_left(self.vocabulary, root + "\uffff")
        return self.vocabulary[start:end]

    def score(self, query: str) -> tuple[np.ndarray, np.ndarray, bool]:
        """Scores of every profession, which ones match, and whether the match is partial.

        Every word must match; when no profession matches them all, those matching some are
        returned with ``partial`` set.
        """
        n = len(self.entries)
        words = tokens(query[:MAX_QUERY_CHARS])[:MAX_QUERY_TOKENS]
        total = np.zeros(n, np.float32)
        if not words:
            return total, np.zeros(n, bool), False
        matched_all = np.ones(n, bool)
        matched_any = np.zeros(n, bool)
        for s in words:
            hits = np.zeros(n, np.float32)
            for vocab in self._matching_stems(s):
                positions, weights = self.postings[vocab]
                factor = 1.0 if vocab == s else 0.8  # an exact stem beats a shared root
                hits[positions] = np.maximum(hits[positions], weights * factor)
            found = hits > 0
            matched_all &= found
            matched_any |= found
            total += hits
        if matched_all.any():
            return total, matched_all, False
        return total, matched_any, bool(matched_any.any())

    def parse_filters(self, args) -> Filters:
        """Read filters from request arguments, setting aside values that are not known."""
        f = Filters()
        known = (
            ("sphere", self.spheres),
            ("education", EDUCATION_LEVELS),
            ("demand", DEMAND_LEVELS),
            ("riasec", RIASEC),
        )
        for name, allowed in known:
            value = args.get(name, "").strip()
            if value and value in allowed:
                setattr(f, name, value)
            elif value:
                f.ignored.append((name, value[:40]))
        subjects = []
        for value in args.getlist("subject"):
            if value in SUBJECTS:
                subjects.append(value)
            elif value:
                f.ignored.append(("subject", value[:40]))
        f.subjects = tuple(dict.fromkeys(subjects))
        return f

    def _filter_mask(self, f: Filters) -> np.ndarray:
        mask = np.ones(len(self.entries), bool)
        if f.sphere:
            mask &= self.sphere == self._sphere_codes[f.sphere]
        if f.education:
            mask &= (self.education & _bits((f.education,), EDUCATION_LEVELS)) > 0
        if f.demand:
            mask &= self.demand_rank == DEMAND_LEVELS.index(f.demand)
        if f.riasec:
            mask &= (self.riasec_top & _bits((f.riasec,), RIASEC)) > 0
        if f.subjects:
            wanted = _bits(f.subjects, SUBJECTS)
            mask &= (self.subjects & wanted) == wanted
        return mask

    def search(
        self, query: str, filters: Filters, sort: str, page: int, per_page: int
    ) -> SearchResult:
        """Matching professions, filtered and sorted, one page of them."""
        keep = self._filter_mask(filters)
        has_query = bool(query.strip())
        if has_query:
            scores, matched, partial = self.score(query)
            keep &= matched
        else:
            scores, partial = np.zeros(len(self.entries), np.float32), False
        found = np.flatnonzero(keep)
        total = len(found)
        pages = max(1, -(-total // per_page))
        clamped = page > pages
        page = min(max(page, 1), pages)
        start = (page - 1) * per_page
        order = self._first(
            found, start + per_page, self._sort_keys(sort, scores, found, has_query)
        )
        entries = [self.entries[i] for i in order[start : start + per_page]]
        return SearchResult(
            entries,
            total,
            page,
            pages,
            per_page,
            partial=partial and len(order) > 0,
            clamped=clamped,
        )

    @staticmethod
    def _first(found: np.ndarray, count: int, keys: tuple) -> np.ndarray:
        """The first ``count`` of ``found`` in ``keys`` order, without sorting them all.

        A single packed key is partitioned; several keys are narrowed to the candidates whose
        primary key is not past the ``count``-th smallest (ties included) and then sorted, so the
        result always equals a full sort's prefix.
        """
        if len(keys) == 1:
            key = keys[0]
            if len(found) > count:
                near = np.argpartition(key, count - 1)[:count]
                found, key = found[near], key[near]
            return found[np.argsort(key, kind="stable")][:count]
        primary = keys[-1]
        if len(found) > 4 * count:
            threshold = np.partition(primary, count - 1)[count - 1]
            near = primary <= threshold
            found, keys = found[near], tuple(k[near] for k in keys)
        return found[np.lexsort(keys)][:count]

    def _sort_keys(self, sort: str, scores, found, has_query: bool) -> tuple:
        """Sort keys of ``found``, for ``np.lexsort`` (the last key is the primary one).

        Relevance, the order of every keystroke, is packed into one int64 (score in hundredths,
        then demand, then title) so that a page needs a partition, not a sort.
        """
        title = self.title_rank[found].astype(np.int64)
        if sort == "demand":
            return (title, -scores[found], self.demand_rank[found])
        if sort == "salary":
            return (title, -self.salary_min[found], -self.salary_max[found])
        if sort == "title" or not has_query:
            return (title,)
        worse = (1 << 20) - np.minimum(np.rint(scores[found] * 100), (1 << 20) - 1).astype(np.int64)
        return ((worse << 26) | (self.demand_rank[found].astype(np.int64) << 24) | title,)


def _bits(values, universe: tuple[str, ...]) -> int:
    """A bit mask of which of ``universe`` are in ``values``."""
    return sum(1 << universe.index(v) for v in values if v in universe)


def _entry(p: Profession) -> Entry:
    riasec = p.riasec
    top = tuple(sorted(riasec, key=riasec.get, reverse=True)[:2])
    return Entry(
        id=p.id,
        slug=p.slug,
        title=p.title,
        title_en=p.title_en,
        summary=p.summary,
        sphere=p.sphere.slug,
        demand=p.demand,
        salary_min=p.salary_min,
        salary_max=p.salary_max,
        education=tuple(p.education_levels),
        riasec_top=top,
        subjects=frozenset(p.subjects),
    )


def build_index() -> ProfessionIndex:
    """Build the index from the database."""
    from models import Sphere

    professions = db.session.scalars(
        select(Profession).options(
            selectinload(Profession.education_paths), selectinload(Profession.sphere)
        )
    ).all()
    spheres = set(db.session.scalars(select(Sphere.slug)))
    return ProfessionIndex(list(professions), spheres)


_index_cache = VersionedCache(lambda: build_index())


def current_index() -> ProfessionIndex:
    """This worker's index, rebuilt when the catalogue version moved on."""
    return _index_cache.get()
