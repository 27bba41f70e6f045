"""Tiny catalogues with known answers, shared by the matching tests."""

from __future__ import annotations

from matching import ProfessionDoc, TourDoc


def riasec(**levels: float) -> dict[str, float]:
    """Six RIASEC levels, 0.1 where not given."""
    return {area: levels.get(area, 0.1) for area in "RIASEC"}


SIX = [
    ProfessionDoc(
        1,
        "svarshchik",
        "Сварщик",
        "metalworking",
        "Сварщик. Сварщик сваривает металлические детали, варит швы сваркой, режет металл "
        "газовым резаком и работает со сварочным инвертором по чертежу.",
        riasec(R=0.95, C=0.3),
        ("technology", "physics"),
        "medium",
    ),
    ProfessionDoc(
        2,
        "programmist",
        "Программист",
        "it-digital",
        "Программист. Программист пишет код программ на Python, придумывает алгоритмы, "
        "проектирует базы данных и исправляет ошибки в приложениях.",
        riasec(I=0.9, C=0.8),
        ("informatics", "math"),
        "medium",
    ),
    ProfessionDoc(
        3,
        "medsestra",
        "Медицинская сестра",
        "health-education",
        "Медицинская сестра ухаживает за пациентами в больнице, ставит уколы и капельницы, "
        "измеряет давление и помогает врачу лечить людей.",
        riasec(S=0.95, C=0.4),
        ("biology", "chemistry"),
        "medium",
    ),
    ProfessionDoc(
        4,
        "dizayner",
        "Дизайнер",
        "creative-tourism",
        "Дизайнер рисует макеты, придумывает логотипы и упаковку, подбирает цвета и шрифты "
        "в графическом редакторе.",
        riasec(A=0.95, E=0.3),
        ("art", "drawing"),
        "medium",
    ),
    ProfessionDoc(
        5,
        "bukhgalter",
        "Бухгалтер",
        "business-law",
        "Бухгалтер ведёт учёт денег предприятия, начисляет зарплату, считает налоги и сдаёт "
        "отчёты в налоговую.",
        riasec(C=0.95, E=0.3),
        ("math", "economics"),
        "medium",
    ),
    ProfessionDoc(
        6,
        "menedzher-po-prodazham",
        "Менеджер по продажам",
        "business-law",
        "Менеджер по продажам находит клиентов, ведёт переговоры, заключает сделки и "
        "выполняет план продаж.",
        riasec(E=0.95, S=0.5),
        ("russian", "social"),
        "medium",
    ),
]

TOURS = [
    TourDoc(11, "Сварочный цех", "zavod", "Завод", "Как варят рамы в сварочном цехе", (1,), 14),
    TourDoc(12, "Резка металла", "zavod", "Завод", "Газовая резка и сварка металла", (1,), None),
    TourDoc(13, "Роботы-сварщики", "zavod", "Завод", "Сварка роботами и программы", (1, 2), None),
    TourDoc(14, "Офис разработки", "it-park", "Айти-парк", "Как пишут код программ", (2,), None),
    TourDoc(15, "Больница", "bolnitsa", "Больница", "День медсестры", (3,), 16, "Владимир"),
]
