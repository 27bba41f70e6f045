"""The enterprise's statistics as one CSV file for a spreadsheet (UTF-8 with BOM, «;»): one
section per figure (a title line, a header line, its rows, a blank line), with the same
small-number rule as the page: a share behind fewer than ``SHOW_MINIMUM`` students reads
«меньше 5», and the count of those it describes is left out."""

from __future__ import annotations

import csv
import io

from flask_babel import format_decimal
from flask_babel import gettext as _

from i18n import RESPONSE_STATE_LABELS, VACANCY_KIND_LABELS
from services.employer_stats import SHOW_MINIMUM, EmployerStats, Share


def _few() -> str:
    return _("меньше %(n)s", n=SHOW_MINIMUM)


def percent_cell(share: Share) -> str:
    """A share's percentage as a cell: empty with nothing to divide by, «меньше 5» when few."""
    if not share.whole:
        return ""
    return str(share.percent) if share.shown else _few()


def _share_cells(share: Share) -> list[str | int]:
    """(part, whole, percent); a share held back gives neither its part nor its whole."""
    if share.whole and not share.shown:
        return ["", _few(), _few()]
    return [share.part, share.whole, percent_cell(share)]


def stats_csv(stats: EmployerStats) -> str:
    """Every figure of ``stats``, section by section."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")

    def section(title: str, header: list[str], rows: list[list]) -> None:
        writer.writerows([[title], header, *rows, []])

    period = stats.period.query_args()
    section(
        _("Статистика предприятия"),
        [_("Предприятие"), _("С месяца"), _("По месяц")],
        [[stats.enterprise.name, period["from"], period["to"]]],
    )
    section(
        _("Посетители по месяцам"),
        [_("Месяц"), _("Учеников пришло"), _("Взрослых пришло"), _("Посещаемость учеников, %")],
        [
            [f"{m.month:%Y-%m}", m.students, m.adults, percent_cell(m.attendance)]
            for m in stats.months
        ]
        + [[_("Всего"), stats.students, stats.adults, percent_cell(stats.attendance)]],
    )
    section(
        _("Классы и школы"),
        [_("Посещений классами"), _("Классов"), _("Школ")],
        [[stats.reach.class_visits, stats.reach.classes, stats.reach.schools]],
    )
    section(
        _("Посещаемость (по ученикам)"),
        [_("Учеников пришло"), _("Учеников отмечено"), _("Посещаемость, %")],
        [_share_cells(stats.attendance)],
    )
    feedback = stats.feedback
    average = "" if feedback.average is None else format_decimal(feedback.average, "0.0")
    section(
        _("Отзывы"),
        [_("Оценка"), _("Отзывов")],
        [[rating, n] for rating, n in feedback.by_rating.items()]
        + [
            [_("Всего"), feedback.count],
            [_("Из них скрыты модератором"), feedback.hidden],
            [_("Средняя оценка"), average],
        ],
    )
    section(
        _("Опубликованные предложения"),
        [_("Вид"), _("Опубликовано")],
        [[str(VACANCY_KIND_LABELS[k]), n] for k, n in stats.offers.items()]
        + [[_("Всего"), sum(stats.offers.values())]],
    )
    section(
        _("Отклики на эти предложения (без отозванных)"),
        [_("Состояние"), _("Откликов")],
        [[str(RESPONSE_STATE_LABELS[s]), n] for s, n in stats.responses.items()]
        + [[_("Всего"), sum(stats.responses.values())]],
    )
    section(
        _("Переход от посещения к отклику"),
        [_("Откликнулись после посещения"), _("Учеников посетили"), _("Доля, %")],
        [_share_cells(stats.conversion)],
    )
    return out.getvalue()
