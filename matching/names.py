"""Professions a student names: «хочу сварщиком», «на оператора станков с ЧПУ», «бугалтером».

A profession is named when every content word of its title (or of the other name in brackets:
«Специалист по аддитивным технологиям (3D-печать)») is among the student's words: the same
lemma; a woman's form of it («визажистка», «бухгалтерша», «сварщица»); or a typing slip of it
(``slips``), because students misspell the very titles they mean. The model puts named
professions first and says so in a reason (``matching.model``).

Title words are few (a few hundred at the demo size), so each student word is compared with all
of them by rapidfuzz in microseconds.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from matching.text import WORD_RE, is_person, normalise, words_with_lemmas

BRACKETS_RE = re.compile(r"\(([^)]*)\)")
PREFIX_FROM = 4  # a title word this long, or it but its last letter, takes a woman's ending
FEMININE = ("ка", "ша", "иха", "ица", "ца")
SLIP_FROM = 6  # title words this long may be one letter off
SLIPS_FROM = 9  # and this long, two
MAX_WORDS = 40  # of a student's text: enough for any answer, bounded for a pasted essay
# A part of a hyphenated title names it alone when at most this many titles have that part
# («логопед», «слесарь»), not «инженер» or «технолог».
RARE = 3
CLOSE_CACHE = 20_000


def _content_lemmas(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(normal for _, normal in words_with_lemmas(text.replace("-", " "))))


def title_names(title: str) -> list[tuple[str, ...]]:
    """The title's content lemmas, and those of each other name it gives in brackets."""
    names = [_content_lemmas(BRACKETS_RE.sub(" ", title))]
    names += [_content_lemmas(inner) for inner in BRACKETS_RE.findall(title)]
    return [name for name in names if name]


def part_names(title: str) -> list[tuple[str, tuple[str, ...]]]:
    """The shorter names a hyphenated title gives: each person-noun part with the title's
    other words («Учитель-логопед» → логопед; «Инженер-программист ЧПУ» → программист ЧПУ),
    as (the part, the name). ``TitleIndex.fit`` keeps those whose part is rare enough."""
    words = WORD_RE.findall(normalise(BRACKETS_RE.sub(" ", title)))
    compounds = [w for w in words if "-" in w]
    rest = _content_lemmas(" ".join(w for w in words if "-" not in w))
    found = []
    for compound in compounds:
        for part in _content_lemmas(compound):
            if len(part) >= PREFIX_FROM and is_person(part):
                found.append((part, (part, *[w for w in rest if w != part])))
    return found


def _first(word: str) -> str:
    return "е" if word[0] == "э" else word[0]


def slips(word: str, words: Sequence[str]) -> list[int]:
    """Indices of ``words`` that ``word`` may be a typing slip of: both six letters or more,
    one edit apart (two from nine letters, Damerau–Levenshtein), the same first letter
    («лекарем» is not «пекарем»; «е» for «э» is a slip). pymorphy3 knows some misspellings as
    words («фрезировщик»), so known words are tried too."""
    if len(word) < SLIP_FROM:
        return []
    found = process.extract(
        word,
        words,
        scorer=DamerauLevenshtein.distance,
        score_cutoff=2 if len(word) >= SLIPS_FROM else 1,
        limit=None,
    )
    return [
        i
        for _, distance, i in found
        if len(words[i]) >= SLIP_FROM
        and _first(words[i]) == _first(word)
        and distance <= (2 if len(words[i]) >= SLIPS_FROM else 1)
    ]


@dataclass
class TitleIndex:
    """The professions' titles as sets of lemmas, and which professions each lemma is in."""

    words: list[str]  # every distinct title lemma
    rows_of: dict[tuple[int, ...], list[int]]  # a name (word indices) -> professions it names
    names_of: dict[int, list[tuple[int, ...]]]  # word index -> the names it is in
    position: dict[str, int] = field(init=False)
    stems: dict[str, list[int]] = field(init=False)  # a title word, or it but its last letter

    def __post_init__(self) -> None:
        self.position = {word: i for i, word in enumerate(self.words)}
        self.stems = defaultdict(list)
        for i, word in enumerate(self.words):
            if len(word) >= PREFIX_FROM:
                self.stems[word].append(i)
            if len(word) > PREFIX_FROM:
                self.stems[word[:-1]].append(i)
        self.stems = dict(self.stems)

    @classmethod
    def fit(cls, titles: Sequence[str]) -> TitleIndex:
        """Index ``titles`` (one per profession, in the model's row order)."""
        index: dict[str, int] = {}
        rows_of: dict[tuple[int, ...], list[int]] = defaultdict(list)
        names_of: dict[int, list[tuple[int, ...]]] = defaultdict(list)
        parts = [part_names(title) for title in titles]
        spread = Counter(word for title in titles for word in set(_content_lemmas(title)))
        for row, title in enumerate(titles):
            shorter = [name for part, name in parts[row] if len(name) > 1 or spread[part] <= RARE]
            for name in dict.fromkeys([*title_names(title), *shorter]):
                ids = tuple(index.setdefault(word, len(index)) for word in name)
                if ids not in rows_of:  # many professions may share a name: checked once
                    for word in set(ids):
                        names_of[word].append(ids)
                rows_of[ids].append(row)
        return cls(list(index), dict(rows_of), dict(names_of))

    def _met(self, text: str) -> dict[int, str]:
        """Title word index -> the student's word (as written) that meets it."""
        met: dict[int, str] = {}
        for written, normal in list(words_with_lemmas(text.replace("-", " ")))[:MAX_WORDS]:
            for form in dict.fromkeys((normal, written)):
                if form in self.position:
                    met.setdefault(self.position[form], written)
            for i in self._close(normal):
                met.setdefault(i, written)
        return met

    def _close(self, normal: str) -> tuple[int, ...]:
        """Title words one slip or a woman's ending away from ``normal``; kept per process
        (up to CLOSE_CACHE words), since students write the same few thousand words."""
        cache = self.__dict__.setdefault("_close_cache", {})
        found = cache.get(normal)
        if found is None:
            if len(cache) >= CLOSE_CACHE:
                cache.clear()
            found = cache[normal] = (*slips(normal, self.words), *self._prefixed(normal))
        return found

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_close_cache"}

    def _prefixed(self, normal: str) -> list[int]:
        # A woman's name for the trade: «визажистка», «бухгалтерша», «ткачиха», «сварщица»
        # («сварщик» but its «к»). Not any longer word: «экология» does not name «эколог».
        found = []
        for suffix in FEMININE:
            if normal.endswith(suffix) and len(normal) - len(suffix) >= PREFIX_FROM:
                found += self.stems.get(normal[: -len(suffix)], ())
        return found

    def named(self, text: str) -> dict[int, tuple[str, ...]]:
        """Profession row -> the student's words that name it, for every profession ``text``
        names (empty for a text that names none)."""
        if not text.strip():
            return {}
        met = self._met(normalise(text))
        found: dict[int, tuple[str, ...]] = {}
        for name in sorted({name for word in met for name in self.names_of.get(word, ())}):
            if all(word in met for word in name):
                words = tuple(dict.fromkeys(met[word] for word in name))
                for row in self.rows_of[name]:
                    found.setdefault(row, words)
        return found
