"""The model's reasons in words, in the user's language (Flask-Babel), with Russian grammar.

``matching`` returns reasons as data (``matching.documents.Reason``); this module words them:
«вы писали про сварку — здесь: «Соединяет детали ручной дуговой сваркой»» in Russian, "you
wrote about «сварка» — here: …" in English. The student's nouns go into the accusative after
«про» (pymorphy3, ``matching.text.inflect``); other words are quoted as written. Catalogue lines
(``met``) are the catalogue's Russian in both languages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask_babel import get_locale, gettext, ngettext
from flask_babel import lazy_gettext as _l

from i18n import SUBJECT_LABELS
from matching import Reason
from matching.text import inflect_noun

# What each RIASEC area means, in words (no letter codes), for «по тесту вам ближе: …».
AREA_WORDS = {
    "R": _l("техника и работа руками"),
    "I": _l("наука и исследования"),
    "A": _l("творчество"),
    "S": _l("работа с людьми и помощь им"),
    "E": _l("организация дел и руководство"),
    "C": _l("порядок, точность и работа с данными"),
}


# Why a student set a profession aside (``services.dismissals.REASONS``), as the page asks it.
DISMISS_REASON_LABELS = {
    "work": _l("Не нравится такая работа"),
    "study": _l("Не хочу этому учиться"),
    "place": _l("Нет такой работы рядом"),
    "other": _l("Другая причина"),
}


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return gettext("%(items)s и %(last)s", items=", ".join(items[:-1]), last=items[-1])


def _russian() -> bool:
    locale = get_locale()
    return locale is None or locale.language == "ru"


def said_words(words: Sequence[str]) -> str:
    """The student's words after «про»: nouns in the accusative, other words in quotes."""
    if not _russian():
        return _join([f"«{w}»" for w in words])
    return _join([inflect_noun(w, "accs") or f"«{w}»" for w in words])


def _met(text: str, reason: Reason) -> str:
    if not reason.met:
        return text
    return gettext("%(reason)s — здесь: «%(line)s»", reason=text, line=reason.met[0])


def _liked(reason: Reason, sources: Mapping[str, tuple[str, str, str]]) -> str:
    """«похожа на профессию «Сварщик», которую вы сохранили» and the like."""
    kind, title, tour = sources.get(reason.said[0], ("", "", ""))
    same = reason.met == ("same",)
    if kind == "saved":
        if same:
            return gettext("вы сохранили эту профессию")
        return gettext("похожа на профессию «%(title)s», которую вы сохранили", title=title)
    if kind == "visited":
        if same:
            return gettext("её показывали на экскурсии «%(tour)s», где вы были", tour=tour)
        return gettext(
            "похожа на профессию «%(title)s» с экскурсии «%(tour)s», где вы были",
            title=title,
            tour=tour,
        )
    if kind == "booked":
        if same:
            return gettext("её покажут на экскурсии «%(tour)s», куда вы записаны", tour=tour)
        return gettext(
            "похожа на профессию «%(title)s» с экскурсии «%(tour)s», куда вы записаны",
            title=title,
            tour=tour,
        )
    return gettext("похожа на профессию, которую вы отметили")


def profession_reason(
    reason: Reason, sources: Mapping[str, tuple[str, str, str]] | None = None
) -> str:
    """One reason for a profession as a sentence fragment (``sources``: where a "liked"
    profession came from, ``services.student_actions.Learnt.sources``)."""
    if reason.kind == "named":
        return gettext("вы сами назвали эту профессию")
    if reason.kind == "liked":
        return _liked(reason, sources or {})
    if reason.kind == "words":
        return _met(gettext("вы писали про %(words)s", words=said_words(reason.said)), reason)
    if reason.kind == "subjects":
        names = [str(SUBJECT_LABELS[code]) for code in reason.said]
        text = ngettext(
            "вам нравится %(names)s", "вам нравятся %(names)s", len(names), names=_join(names)
        )
        return _met(text, reason)
    if reason.kind == "areas":
        areas = _join([str(AREA_WORDS[a]) for a in reason.said])
        return _met(gettext("по тесту вам ближе: %(areas)s", areas=areas), reason)
    if reason.kind == "demand":
        return gettext("в регионе на эту профессию высокий спрос")
    raise ValueError(f"unknown reason kind {reason.kind!r}")


def tour_reason(reason: Reason) -> str:
    """One reason for a tour as a sentence fragment."""
    if reason.kind == "shows":
        # Some titles hold commas («Инженер по отоплению, вентиляции и …»); keep them apart.
        separator = "; " if any("," in title for title in reason.said) else ", "
        return gettext("покажут ваши профессии: %(titles)s", titles=separator.join(reason.said))
    if reason.kind == "closest":
        return gettext("ближе всего к вашим ответам: %(title)s", title=reason.said[0])
    if reason.kind == "grade":
        return gettext("подходит вашему классу (принимают с %(min)s класса)", min=reason.met[0])
    if reason.kind == "age":
        return ngettext(
            "подходит по возрасту (принимают с %(num)s года)",
            "подходит по возрасту (принимают с %(num)s лет)",
            int(reason.met[0]),
        )
    if reason.kind == "town":
        return gettext("предприятие в городе %(town)s", town=reason.met[0])
    raise ValueError(f"unknown reason kind {reason.kind!r}")


def profession_reasons(
    reasons: Sequence[Reason], sources: Mapping[str, tuple[str, str, str]] | None = None
) -> list[str]:
    """Every reason of a profession in words."""
    return [profession_reason(r, sources) for r in reasons]


def tour_reasons(reasons: Sequence[Reason]) -> list[str]:
    """Every reason of a tour in words."""
    return [tour_reason(r) for r in reasons]


SAVED_SHOWN = 5


def saved_line(titles: Sequence[str]) -> str:
    """«Вы сохранили профессии «Сварщик» и «Токарь»» (the first SAVED_SHOWN, then how many
    more)."""
    shown = _join([f"«{t}»" for t in titles[:SAVED_SHOWN]])
    line = ngettext(
        "Вы сохранили профессию %(titles)s",
        "Вы сохранили профессии %(titles)s",
        len(titles),
        titles=shown,
    )
    if len(titles) > SAVED_SHOWN:
        line = gettext("%(line)s и ещё %(n)s", line=line, n=len(titles) - SAVED_SHOWN)
    return line
