"""Language selection (Russian by default, English on request) and labels of domain codes."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale, refresh
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from extensions import babel

DEMAND_LABELS = {
    "high": _l("высокий спрос"),
    "medium": _l("средний спрос"),
    "low": _l("низкий спрос"),
}
EDUCATION_LABELS = {
    "college": _l("колледж (СПО)"),
    "university": _l("вуз"),
    "on_the_job": _l("обучение на производстве"),
}
RIASEC_LABELS = {
    "R": _l("Практик (R): техника, инструменты, работа руками"),
    "I": _l("Исследователь (I): разобраться, как устроено, наука"),
    "A": _l("Творец (A): придумывать, рисовать, создавать новое"),
    "S": _l("Помощник (S): учить, помогать, заботиться о людях"),
    "E": _l("Организатор (E): вести за собой, убеждать, своё дело"),
    "C": _l("Систематизатор (C): порядок, точность, документы и данные"),
}
SUBJECT_LABELS = {
    "math": _l("математика"),
    "physics": _l("физика"),
    "chemistry": _l("химия"),
    "biology": _l("биология"),
    "informatics": _l("информатика"),
    "technology": _l("технология"),
    "drawing": _l("черчение"),
    "literature": _l("литература"),
    "russian": _l("русский язык"),
    "history": _l("история"),
    "social": _l("обществознание"),
    "geography": _l("география"),
    "foreign_lang": _l("иностранный язык"),
    "art": _l("изобразительное искусство"),
    "music": _l("музыка"),
    "pe": _l("физкультура"),
    "economics": _l("экономика"),
    "safety": _l("ОБЗР (основы безопасности)"),
}
INDUSTRY_LABELS = {
    "machine-building": _l("Машиностроение"),
    "climate-heating": _l("Климатическое и отопительное оборудование"),
    "house-building": _l("Домостроение"),
    "food": _l("Пищевая промышленность"),
    "glass-crystal": _l("Стекло и хрусталь"),
    "chemistry-pharma": _l("Химия и фармацевтика"),
    "textiles": _l("Лёгкая промышленность"),
    "energy": _l("Энергетика"),
    "agriculture": _l("Сельское хозяйство"),
    "crafts": _l("Художественные промыслы"),
    "electronics": _l("Электроника"),
    "logistics": _l("Логистика"),
}
BOOKING_STATE_LABELS = {
    "confirmed": _l("Записаны"),
    "waitlisted": _l("В листе ожидания"),
    "offered": _l("Предложены места — подтвердите"),
    "cancelled": _l("Отменена"),
    "attended": _l("Состоялась"),
    "no_show": _l("Не пришли"),
}
VACANCY_KIND_LABELS = {
    "job": _l("Вакансия"),
    "internship": _l("Стажировка"),
    "summer_job": _l("Летняя работа"),
    "practice": _l("Производственная практика"),
    "target_training": _l("Целевое обучение"),
}
RESPONSE_STATE_LABELS = {
    "sent": _l("Новый"),
    "viewed": _l("Просмотрен"),
    "invited": _l("Приглашение"),
    "declined": _l("Отказ"),
    "withdrawn": _l("Отозван"),
}
ROLE_LABELS = {
    "student": _l("ученик"),
    "counsellor": _l("профконсультант"),
    "employer": _l("представитель предприятия"),
    "admin": _l("региональный координатор"),
}


class Labels(Mapping):
    """Labels of domain codes in the current language, resolved once per language.

    Result lists show a label per line; resolving a lazy string each time costs a translation
    lookup, which adds up on the explorer's hot path.
    """

    def __init__(self, lazy: dict):
        self._lazy = lazy
        self._resolved: dict[str, dict[str, str]] = {}

    def _current(self) -> dict[str, str]:
        locale = str(get_locale())
        table = self._resolved.get(locale)
        if table is None:
            table = self._resolved[locale] = {k: str(v) for k, v in self._lazy.items()}
        return table

    def __getitem__(self, key: str) -> str:
        return self._current()[key]

    def __iter__(self):
        return iter(self._lazy)

    def __len__(self) -> int:
        return len(self._lazy)


def select_locale() -> str:
    """Pick the UI language: ``?lang=`` (remembered in the session), then the session, then ru.

    An unknown ``lang`` value falls back to Russian rather than failing.
    """
    languages = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():  # a job or the CLI: Russian unless told (force_locale)
        return default
    asked = request.args.get("lang")
    if asked is not None:
        chosen = asked if asked in languages else default
        session["lang"] = chosen
        return chosen
    stored = session.get("lang")
    if stored in languages:
        return stored
    if current_user and getattr(current_user, "locale", None) in languages:
        return current_user.locale
    return default


def lang_url(code: str) -> str:
    """The current page's URL with ``lang`` set to ``code`` (for the language switch).

    Built from the path and the query as they came, not through ``url_for``: a query argument
    named like a URL variable (``?slug=``) or like one of ``url_for``'s own (``?_method=``)
    would otherwise clash with them and break every page, the error page included.
    """
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return f"{request.script_root}{request.path}?{urlencode([*args, ('lang', code)])}"


def init_i18n(app: Flask) -> None:
    """Bind Flask-Babel and give templates the labels and the switch."""
    babel.init_app(app, locale_selector=select_locale)
    # Flask-Babel caches the locale on the app context, which outlives a request when one is
    # already pushed (CLI, tests); each request chooses afresh.
    app.before_request(refresh)
    app.jinja_env.globals.update(
        get_locale=get_locale,
        lang_url=lang_url,
        DEMAND_LABELS=Labels(DEMAND_LABELS),
        EDUCATION_LABELS=Labels(EDUCATION_LABELS),
        RIASEC_LABELS=Labels(RIASEC_LABELS),
        SUBJECT_LABELS=Labels(SUBJECT_LABELS),
        INDUSTRY_LABELS=Labels(INDUSTRY_LABELS),
        ROLE_LABELS=Labels(ROLE_LABELS),
        BOOKING_STATE_LABELS=Labels(BOOKING_STATE_LABELS),
        VACANCY_KIND_LABELS=Labels(VACANCY_KIND_LABELS),
        RESPONSE_STATE_LABELS=Labels(RESPONSE_STATE_LABELS),
    )
