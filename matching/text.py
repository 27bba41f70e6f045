"""Russian text for the model: normalisation, pymorphy3 lemmas, stop-words, TF-IDF vectorizers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache
from itertools import pairwise

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

TEXT_MODES = ("char", "lemma")
# n-grams found in more than this share of professions (and in more than 20) are dropped: they
# say little and, at 20,000 professions, take 40 % of the char matrix's memory.
CHAR_MAX_DF = 0.2
WORD_RE = re.compile(r"[0-9a-zа-я]+(?:-[0-9a-zа-я]+)*")
# Function words by part of speech: prepositions, conjunctions, particles, interjections,
# pronouns-nouns, numerals, predicatives. pymorphy3 tags them reliably, so no long list is needed.
STOP_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO", "NUMR", "PRED"})
# Lemmas that carry no topic: the glue of descriptions and the filler of what students write
# ("мне нравится…", "хочу…"), which would otherwise match every profession that "любит" something.
_STOP_WORDS = """
    быть это этот тот такой свой весь всё который какой каждый другой сам самый
    мочь очень также тоже ещё уже где когда чтобы если либо или как так там тут
    один два три много немного часть разный нужный нужно должный можно нельзя
    любить нравиться понравиться хотеть хотеться интересовать интересный интересно
    мечтать увлекаться заниматься делать сделать думать знать хорошо хороший
    получаться понимать понять почему
    наш ваш мой твой его её их они мы вы он она оно я ты
"""
STOP_LEMMAS = frozenset(_STOP_WORDS.replace("ё", "е").split())


# «хочу ткать на станке», «водилой пойду», «мечтаю стать …»: the clause that says what the
# student wants to do, among hobbies written around it.
WISH_RE = re.compile(
    r"\b(?:хочу|хочется|хотела?\s+бы|мечтаю|мечта|стану|стать|пойду|поступлю|поступать"
    r"|собираюсь|планирую|буду\s+работать|работать\s+(?:бы\s+)?хочу)\b"
)
CLAUSE_RE = re.compile(r"[.!?;,\n]+|\s(?:а|но|ещ[её]|и\s+ещ[её])\s")


def wish_clauses(text: str) -> str:
    """The clauses of ``text`` that say what the student wants («… а вообще хочу нейросети
    обучать» → «вообще хочу нейросети обучать»), joined; "" when none does."""
    clauses = CLAUSE_RE.split(normalise(text))
    return ". ".join(c.strip() for c in clauses if WISH_RE.search(c))


def normalise(text: str) -> str:
    """Lower-case and write «ё» as «е», so both spellings meet."""
    return text.lower().replace("ё", "е")


@cache
def _morph():
    # Building the analyser loads its dictionaries (~0.3 s); do it once per process, on first use.
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str | None:
    """The normal form of one normalised word, or None for a stop-word."""
    if len(word) < 2 or word.isdigit():
        return None
    parse = _morph().parse(word)[0]
    if parse.tag.POS in STOP_POS:
        return None
    normal = parse.normal_form.replace("ё", "е")
    return None if normal in STOP_LEMMAS else normal


@lru_cache(maxsize=50_000)
def is_verb(word: str) -> bool:
    """Whether pymorphy3's first reading of the normalised ``word`` is a verb or infinitive."""
    return _morph().parse(word)[0].tag.POS in {"VERB", "INFN"}


def is_person(word: str) -> bool:
    """Whether pymorphy3's first reading of the normalised ``word`` is an animate noun
    («логопед», «слесарь»; not «конструктор»)."""
    tag = _morph().parse(word)[0].tag
    return tag.POS == "NOUN" and tag.animacy == "anim"


def _noun_reading(word: str):
    # Students name things in the nominative («тачки» is «машины», not «у тачки»): prefer a
    # dictionary noun reading in the nominative, then any dictionary noun reading.
    parses = [
        p
        for p in _morph().parse(normalise(word))
        if p.tag.POS == "NOUN" and p.is_known and not {"Name", "Surn", "Patr"} & p.tag.grammemes
    ]
    return next((p for p in parses if p.tag.case == "nomn"), parses[0] if parses else None)


@lru_cache(maxsize=20_000)
def inflect_noun(word: str, case: str) -> str | None:
    """The noun ``word`` in grammatical ``case`` (pymorphy3's tag: "accs", "datv", …), in the
    number it was written in (as given when it has no such form); None when pymorphy3 does not
    know it as a noun (its guesses for unknown words do not count)."""
    parse = _noun_reading(word)
    if parse is None:
        return None
    grammemes = {case} | ({parse.tag.number} if parse.tag.number else set())
    form = parse.inflect(grammemes)
    return form.word if form else word


def words_with_lemmas(text: str) -> Iterator[tuple[str, str]]:
    """Each content word of ``text`` as written (lower-cased) with its lemma."""
    for match in WORD_RE.finditer(normalise(text)):
        word = match.group()
        normal = lemma(word)
        if normal is not None:
            yield word, normal


def lemmas(text: str) -> list[str]:
    """The content words of ``text`` as lemmas, in order."""
    return [normal for _, normal in words_with_lemmas(text)]


def lemma_terms(text: str) -> list[str]:
    """Lemma unigrams and the bigrams of neighbouring content words (the lemma analyzer)."""
    unigrams = lemmas(text)
    return unigrams + [f"{a} {b}" for a, b in pairwise(unigrams)]


def make_vectorizer(text_mode: str):
    """An unfitted TF-IDF vectorizer for ``text_mode`` ("char" or "lemma").

    :raises ValueError: for an unknown mode.
    """
    if text_mode == "char":
        from matching.chars import CharTfidf

        return CharTfidf(max_df=CHAR_MAX_DF)
    if text_mode == "lemma":
        # float32 halves the memory of float64 and is plenty for cosines.
        return TfidfVectorizer(analyzer=lemma_terms, sublinear_tf=True, dtype=np.float32)
    raise ValueError(f"text_mode must be one of {', '.join(TEXT_MODES)}, not {text_mode!r}")
