"""The papers a school files for a class trip, generated from the booking, never typed again:
the trip sheet, a draft of the school's order («приказ») on the excursion, the participant
list, the parents' consent form and the safety-briefing sign-off list.

They follow the Минпросвещения recommendations on school excursions (letter 06-836 of
16.06.2022): the order names the excursion's aim, place, date and time, route and transport,
the leader and escorts answerable for the children's life and health, the participant list,
the safety briefing and the parents' written consent. They are drafts in Russian, whatever the
site's language: the school's own documents, which it checks against its local acts and edits
in Word (hence DOCX, through python-docx).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta

from babel.dates import format_date, format_time
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from models import Booking
from services.booking_notes import meeting_point

TRANSPORT_TEXT = {
    "bus": "автобусом (организованная перевозка группы детей)",
    "public": "общественным транспортом",
    "walk": "пешком",
    None: "способ проезда уточняется",
}
# What every excursion briefing covers (letter 06-836), before the programme's own rules.
BRIEFING_TOPICS = (
    "Правила поведения в пути: посадка и высадка, движение группой, переход дороги.",
    "Правила поведения на территории предприятия: находиться только с группой и "
    "сопровождающими, ничего не трогать без разрешения, выполнять указания сотрудников.",
    "Что делать, если отстал от группы, почувствовал себя плохо или получил травму: "
    "сразу сообщить руководителю группы.",
    "Действия при пожаре и других чрезвычайных ситуациях: эвакуация по указанию сотрудников "
    "предприятия.",
)


@dataclass(frozen=True)
class TripFacts:
    """Everything the papers say, read once from the booking."""

    booking_id: int
    school: str
    town: str
    class_name: str
    grade: int
    counsellor: str
    tour: str
    enterprise: str
    address: str
    meeting_point: str
    starts_at: datetime
    duration_minutes: int
    what_to_bring: tuple[str, ...]
    safety_rules: tuple[str, ...]
    accessibility: str
    visiting_rules: str
    contact: str
    students: int
    adults: int
    transport: str | None
    escorts: tuple[str, ...]
    student_names: tuple[str, ...]

    @property
    def ends_at(self) -> datetime:
        """When the programme ends (travel not included)."""
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def date_text(self) -> str:
        """«15 декабря 2026 г.»"""
        return format_date(self.starts_at.date(), "d MMMM y", locale="ru") + " г."

    @property
    def time_text(self) -> str:
        """«10:00–11:30»"""
        start = format_time(self.starts_at.time(), "HH:mm", locale="ru")
        return f"{start}–{format_time(self.ends_at.time(), 'HH:mm', locale='ru')}"

    @property
    def transport_text(self) -> str:
        """How the class travels, in words."""
        return TRANSPORT_TEXT.get(self.transport, TRANSPORT_TEXT[None])

    @property
    def place_text(self) -> str:
        """The enterprise and where it is."""
        return f"{self.enterprise}, {self.address}" if self.address else self.enterprise


def trip_facts(booking: Booking) -> TripFacts:
    """The facts of a class booking, for every paper."""
    session = booking.session
    programme = session.tour
    enterprise = programme.enterprise
    school_class = booking.school_class
    school = school_class.school
    names = sorted(m.student.display_name for m in school_class.members)
    return TripFacts(
        booking_id=booking.id,
        school=school.name,
        town=school.town,
        class_name=school_class.name,
        grade=school_class.grade,
        counsellor=booking.booked_by.display_name,
        tour=programme.title,
        enterprise=enterprise.name,
        address=enterprise.address or enterprise.town,
        meeting_point=meeting_point(session),
        starts_at=session.starts_at,
        duration_minutes=programme.duration_minutes,
        what_to_bring=tuple(programme.what_to_bring or ()),
        safety_rules=tuple(programme.safety_rules or ()),
        accessibility=programme.accessibility,
        visiting_rules=enterprise.visiting_rules,
        contact=enterprise.contact,
        students=booking.students,
        adults=booking.adults,
        transport=booking.transport,
        escorts=tuple(booking.escorts or ()),
        student_names=tuple(names),
    )


# --- DOCX -------------------------------------------------------------------------------------

BLANK = "____________________"


def _document() -> Document:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    return document


def _centered(document: Document, text: str, bold: bool = False) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(text).bold = bold


def _bytes(document: Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def order_docx(facts: TripFacts) -> bytes:
    """A draft of the school's order on the excursion, to finish in Word."""
    document = _document()
    _centered(document, facts.school, bold=True)
    _centered(document, "ПРИКАЗ", bold=True)
    document.add_paragraph(f"от {BLANK} № {BLANK[:8]}\t\t\t\t\t{facts.town}")
    _centered(
        document,
        f"Об организации экскурсии обучающихся {facts.class_name} класса на предприятие "
        f"«{facts.enterprise}»",
        bold=True,
    )
    document.add_paragraph(
        "В целях реализации профориентационного минимума, знакомства обучающихся с "
        "производством и профессиями, востребованными в регионе, в соответствии с "
        "планом воспитательной работы школы"
    )
    document.add_paragraph("ПРИКАЗЫВАЮ:")
    leader = facts.escorts[0] if facts.escorts else BLANK
    others = ", ".join(facts.escorts[1:]) if len(facts.escorts) > 1 else BLANK
    items = [
        f"Организовать {facts.date_text} экскурсию обучающихся {facts.class_name} класса "
        f"в количестве {facts.students} человек на предприятие «{facts.enterprise}» "
        f"по программе «{facts.tour}»: {facts.place_text}, место сбора — "
        f"{facts.meeting_point}, время программы {facts.time_text} "
        f"({facts.duration_minutes} мин). Проезд: {facts.transport_text}.",
        f"Назначить руководителем группы: {leader}; сопровождающими: {others}. Возложить "
        "на них ответственность за жизнь и здоровье обучающихся во время экскурсии и в пути "
        f"(всего взрослых: {facts.adults}).",
        "Руководителю группы: провести с обучающимися инструктаж по технике безопасности "
        "и правилам поведения в пути и на предприятии с записью в журнале инструктажа; "
        "получить письменные согласия родителей (законных представителей) обучающихся; "
        "иметь при себе список участников с телефонами родителей и аптечку; по "
        "возвращении сообщить о завершении экскурсии.",
        "Утвердить список участников экскурсии (приложение).",
    ]
    if facts.transport == "bus":
        items.append(
            "Организовать перевозку в соответствии с Правилами организованной перевозки "
            "группы детей автобусами (Постановление Правительства РФ от 23.09.2020 № 1527): "
            "уведомить Госавтоинспекцию, обеспечить сопровождающего у каждой двери автобуса."
        )
    items.append("Контроль за исполнением приказа оставляю за собой.")
    for number, text in enumerate(items, start=1):
        document.add_paragraph(f"{number}. {text}")
    document.add_paragraph(f"\nДиректор {BLANK} / {BLANK} /")
    document.add_paragraph("С приказом ознакомлены:")
    for name in facts.escorts or (BLANK, BLANK):
        document.add_paragraph(f"{name} {BLANK} «___» __________ 20__ г.")
    return _bytes(document)


def participants_docx(facts: TripFacts) -> bytes:
    """The participant list: names from the class (to correct to full names), and the columns
    the school fills in by hand, since the site does not store them."""
    document = _document()
    _centered(document, "Приложение к приказу", bold=False)
    _centered(document, "Список участников экскурсии", bold=True)
    document.add_paragraph(
        f"{facts.school}, {facts.class_name} класс. {facts.date_text}, {facts.time_text}, "
        f"«{facts.tour}» — {facts.enterprise}."
    )
    header = (
        "№",
        "ФИО обучающегося",
        "Дата рождения",
        "Телефон родителя (законного представителя)",
    )
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    rows = max(facts.students, len(facts.student_names))
    for number in range(1, rows + 1):
        cells = table.add_row().cells
        cells[0].text = str(number)
        if number <= len(facts.student_names):
            cells[1].text = facts.student_names[number - 1]
    document.add_paragraph("\nСопровождающие:")
    adults = document.add_table(rows=1, cols=3)
    adults.style = "Table Grid"
    for cell, text in zip(adults.rows[0].cells, ("№", "ФИО", "Телефон"), strict=True):
        cell.text = text
    for number in range(1, max(facts.adults, len(facts.escorts)) + 1):
        cells = adults.add_row().cells
        cells[0].text = str(number)
        if number <= len(facts.escorts):
            cells[1].text = facts.escorts[number - 1]
    return _bytes(document)


def file_name(kind: str, facts: TripFacts) -> str:
    """«prikaz-2026-12-15.docx»: ASCII, so that every browser saves it under this name."""
    return f"{kind}-{facts.starts_at.date().isoformat()}.docx"
