"""The «Профминимум» record: levels, activities entered by visits and by counsellors, the class
view of hours against the level, and its exports for the regional operator."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from extensions import db
from models import (
    Booking,
    CareerActivity,
    ClassMembership,
    ProfminimumLevel,
    School,
    SchoolClass,
    User,
)
from models._common import local_now
from models.profminimum import DEFAULT_LEVEL, DIRECTIONS, LEVEL_HOURS, school_year
from services import audit

ACADEMIC_HOUR_MINUTES = 45
# The school years the record shows and takes entries for: this one and the five before it.
YEARS_KEPT = 5
LEVEL_LABELS = {
    "basic": _l("Базовый — 40 ч"),
    "main": _l("Основной — 60 ч"),
    "advanced": _l("Продвинутый — 80 ч"),
}
DIRECTION_LABELS = {
    "horizons": _l("«Россия — мои горизонты»"),
    "lessons": _l("Профориентация на уроках"),
    "diagnostics": _l("Диагностика"),
    "trials": _l("Профессиональные пробы"),
    "excursions": _l("Экскурсии на предприятия"),
    "meetings": _l("Встречи с работодателями"),
    "parents": _l("Работа с родителями"),
    "other": _l("Другое (доп. образование, проекты)"),
}
assert set(DIRECTION_LABELS) == set(DIRECTIONS)


class LedgerError(ValueError):
    """An activity the record cannot take; the message is for the counsellor."""


def academic_hours(minutes: int) -> Decimal:
    """A visit's length in academic hours (45 min), to the nearest half hour, at least one."""
    halves = (Decimal(minutes) * 2 / ACADEMIC_HOUR_MINUTES).quantize(Decimal(1), ROUND_HALF_UP)
    return max(Decimal(1), halves / 2)


def level_of(school: School, year: int) -> ProfminimumLevel | None:
    """The level the school chose for the school year starting in ``year``, if it did."""
    return db.session.scalar(
        select(ProfminimumLevel).where(
            ProfminimumLevel.school_id == school.id, ProfminimumLevel.year == year
        )
    )


def set_level(school: School, year: int, level: str, actor: User) -> ProfminimumLevel:
    """Choose the school's level for a school year (once per school and year; changes it)."""
    if level not in LEVEL_HOURS:
        raise LedgerError(_("Выберите уровень из списка."))
    row = level_of(school, year)
    if row is None:
        row = ProfminimumLevel(school_id=school.id, year=year, level=level)
        db.session.add(row)
    row.level = level
    audit.record("profminimum.level", school, actor=actor, year=year, level=level)
    db.session.commit()
    return row


# --- entries ----------------------------------------------------------------------------------


def record_visit(booking: Booking) -> int:
    """Enter an attended visit for everyone it took: the student who booked, or the class's
    students (the counsellor removes whoever stayed at home). Idempotent; the caller commits.
    Returns how many entries were added."""
    session = booking.session
    programme = session.tour
    if booking.kind == "individual":
        student_ids = [booking.booked_by_id]
    else:
        student_ids = list(
            db.session.scalars(
                select(ClassMembership.student_id).where(
                    ClassMembership.class_id == booking.class_id
                )
            )
        )
    already = set(
        db.session.scalars(
            select(CareerActivity.student_id).where(CareerActivity.booking_id == booking.id)
        )
    )
    title = _visit_title(programme.title, programme.enterprise.name)
    added = 0
    for student_id in student_ids:
        if student_id in already:
            continue
        db.session.add(
            CareerActivity(
                student_id=student_id,
                held_on=session.starts_at.date(),
                hours=academic_hours(programme.duration_minutes),
                direction="excursions",
                title=title,
                booking_id=booking.id,
            )
        )
        added += 1
    return added


def _visit_title(tour: str, enterprise: str) -> str:
    text = f"Экскурсия: {tour} ({enterprise})"
    return text if len(text) <= 200 else text[:199] + "…"


def unrecord_visit(booking: Booking) -> None:
    """Take back a visit's entries (attendance corrected to "did not come"); caller commits."""
    db.session.execute(delete(CareerActivity).where(CareerActivity.booking_id == booking.id))


def add_activity(
    counsellor: User,
    school_class: SchoolClass,
    student_ids: list[int],
    held_on: date,
    hours: Decimal,
    direction: str,
    title: str,
) -> int:
    """Enter one activity for several students of the class at once; returns how many.

    :raises LedgerError: for a student not in the class, an unknown direction or bad hours.
    """
    members = {m.student_id for m in school_class.members}
    chosen = set(student_ids)
    if not chosen:
        raise LedgerError(_("Отметьте хотя бы одного ученика."))
    if not chosen <= members:
        raise LedgerError(_("Отмечены ученики не из этого класса."))
    if direction not in DIRECTIONS:
        raise LedgerError(_("Выберите направление из списка."))
    if not hours.is_finite() or not Decimal("0.5") <= hours <= 40 or hours * 2 != int(hours * 2):
        raise LedgerError(_("Часы — от 0,5 до 40, с шагом 0,5."))
    today = local_now().date()
    if not earliest_entry_day(today) <= held_on <= today:
        raise LedgerError(
            _(
                "Дата — не позже сегодняшней и не раньше %(d)s.",
                d=earliest_entry_day(today).strftime("%d.%m.%Y"),
            )
        )
    batch = uuid.uuid4().hex
    for student_id in sorted(chosen):
        db.session.add(
            CareerActivity(
                student_id=student_id,
                held_on=held_on,
                hours=hours,
                direction=direction,
                title=" ".join(title.split())[:200],
                batch=batch,
                recorded_by_id=counsellor.id,
            )
        )
    audit.record(
        "profminimum.add", school_class, actor=counsellor, students=len(chosen), hours=str(hours)
    )
    db.session.commit()
    return len(chosen)


def entry_of_counsellor(counsellor: User, entry_id: int) -> CareerActivity | None:
    """An entry of a student in one of the counsellor's classes, or None."""
    return db.session.scalar(
        select(CareerActivity)
        .join(ClassMembership, ClassMembership.student_id == CareerActivity.student_id)
        .join(SchoolClass, SchoolClass.id == ClassMembership.class_id)
        .where(CareerActivity.id == entry_id, SchoolClass.counsellor_id == counsellor.id)
        .limit(1)
    )


def remove_entry(counsellor: User, entry: CareerActivity) -> None:
    """Remove one student's entry (say, absent on the day)."""
    audit.record("profminimum.remove", entry, actor=counsellor, student=entry.student_id)
    db.session.delete(entry)
    db.session.commit()


# --- the class view ---------------------------------------------------------------------------


@dataclass
class StudentHours:
    """One student's hours in the year: in all, by direction, and what the level still asks."""

    student_id: int
    name: str
    total: Decimal = Decimal(0)
    by_direction: dict[str, Decimal] = field(default_factory=dict)

    def missing(self, needed: int) -> Decimal:
        """Hours still missing to reach the level (0 when reached)."""
        return max(Decimal(0), Decimal(needed) - self.total)


@dataclass
class Ledger:
    """A class's record for one school year."""

    school_class: SchoolClass
    year: int
    level: str
    level_chosen: bool
    rows: list[StudentHours]

    @property
    def needed(self) -> int:
        """Hours the level asks of each student."""
        return LEVEL_HOURS[self.level]

    @property
    def below(self) -> list[StudentHours]:
        """Students who have not reached the level yet."""
        return [r for r in self.rows if r.total < self.needed]

    @property
    def year_label(self) -> str:
        """«2026/27»."""
        return f"{self.year}/{(self.year + 1) % 100:02d}"


def earliest_entry_day(today: date) -> date:
    """The first day an entry may carry: the start of the oldest school year the record keeps."""
    return date(current_year(today) - YEARS_KEPT, 9, 1)


def current_year(today: date | None = None) -> int:
    """The school year now."""
    return school_year(today or date.today())


def class_ledger(school_class: SchoolClass, year: int) -> Ledger:
    """Hours per student of the class in the school year, against the school's level."""
    chosen = level_of(school_class.school, year)
    students = db.session.execute(
        select(User.id, User.display_name)
        .join(ClassMembership, ClassMembership.student_id == User.id)
        .where(ClassMembership.class_id == school_class.id)
        .order_by(User.display_name, User.id)
    ).all()
    rows = {sid: StudentHours(sid, name) for sid, name in students}
    entries = db.session.execute(
        select(CareerActivity.student_id, CareerActivity.direction, CareerActivity.hours).where(
            CareerActivity.student_id.in_(list(rows)),
            CareerActivity.held_on >= date(year, 9, 1),
            CareerActivity.held_on < date(year + 1, 9, 1),
        )
    )
    for student_id, direction, hours in entries:
        row = rows[student_id]
        row.total += Decimal(hours)
        row.by_direction[direction] = row.by_direction.get(direction, Decimal(0)) + Decimal(hours)
    return Ledger(
        school_class,
        year,
        chosen.level if chosen else DEFAULT_LEVEL,
        chosen is not None,
        list(rows.values()),
    )


def student_entries(student_id: int, year: int) -> list[CareerActivity]:
    """One student's entries in the school year, newest first."""
    return list(
        db.session.scalars(
            select(CareerActivity)
            .where(
                CareerActivity.student_id == student_id,
                CareerActivity.held_on >= date(year, 9, 1),
                CareerActivity.held_on < date(year + 1, 9, 1),
            )
            .order_by(CareerActivity.held_on.desc(), CareerActivity.id.desc())
        )
    )


# --- exports ----------------------------------------------------------------------------------


def export_header() -> list[str]:
    """The columns of the exports, in the counsellor's language."""
    return [
        _("Ученик"),
        _("Класс"),
        _("Учебный год"),
        _("Уровень"),
        _("Нужно часов"),
        _("Всего часов"),
        _("Не хватает часов"),
        *[str(DIRECTION_LABELS[d]) for d in DIRECTIONS],
    ]


def export_rows(ledger: Ledger) -> list[list]:
    """One row per student, numbers as numbers (hours with one decimal)."""
    return [
        [
            row.name,
            ledger.school_class.name,
            ledger.year_label,
            str(LEVEL_LABELS[ledger.level]),
            ledger.needed,
            float(row.total),
            float(row.missing(ledger.needed)),
            *[float(row.by_direction.get(d, 0)) for d in DIRECTIONS],
        ]
        for row in ledger.rows
    ]


def ledger_csv(ledger: Ledger) -> str:
    """The class view as CSV (UTF-8 with BOM, ``;`` between columns: how Excel in Russian
    opens it without asking)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(export_header())
    for values in export_rows(ledger):
        writer.writerow([_decimal_comma(v) for v in values])
    return out.getvalue()


def _decimal_comma(value) -> str:
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def ledger_xlsx(ledger: Ledger) -> bytes:
    """The class view as an Excel workbook: one sheet, a header row, numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"Профминимум {ledger.year_label}".replace("/", "-")
    sheet.append(export_header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in export_rows(ledger):
        sheet.append(values)
    for row in sheet.iter_rows(min_row=2, min_col=5):
        for cell in row:
            cell.number_format = "0.0"
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 28
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
