"""The programme's rules a booking must meet, each refusal with its own reason.

``services.booking`` asks these questions under the session's lock; nothing here writes.
"""

from __future__ import annotations

import math
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from models import SchoolClass, TourProgramme, TourSession, User
from models._common import local_now

REASONS = {
    "session_unknown": _l("Такого сеанса нет."),
    "programme_unlisted": _l("Эта экскурсия сейчас не проводится."),
    "session_cancelled": _l("Этот сеанс отменён предприятием."),
    "session_past": _l("Этот сеанс уже начался или прошёл."),
    "booking_closed": _l("Запись на этот сеанс закрыта."),
    "too_young": _l("Экскурсия для участников от %(min_age)s лет."),
    "too_old": _l("Экскурсия для участников не старше %(max_age)s лет."),
    "grade_too_low": _l("Экскурсия для учеников начиная с %(min_grade)s класса."),
    "grade_too_high": _l("Экскурсия для учеников не старше %(max_grade)s класса."),
    "group_too_big": _l(
        "В группе может быть не больше %(group_max)s человек вместе со взрослыми, "
        "а в заявке %(seats)s."
    ),
    "too_few_adults": _l(
        "Нужен один взрослый на каждые %(per)s учеников: для %(students)s учеников — "
        "не меньше %(needed)s."
    ),
    "consent_needed": _l(
        "Чтобы записываться на экскурсии, дайте согласие на обработку данных для записи — "
        "на странице «Мои данные»."
    ),
    "consent_needed_parent": _l(
        "Записаться можно после того, как родитель даст согласие на обработку данных: "
        "ссылка для родителя — на странице «Мои данные»."
    ),
    "no_seats": _l("Свободных мест: %(seats_left)s, а нужно %(seats)s."),
    "cancel_too_late": _l(
        "Отменить запись на сайте можно не позже чем за %(hours)s ч до начала. "
        "Позвоните на предприятие."
    ),
    "not_offered": _l("Для этой записи сейчас нет предложенного места."),
    "offer_expired": _l("Время на подтверждение истекло, и места переданы следующему."),
    "already_cancelled": _l("Эта запись уже отменена."),
    "not_changeable": _l("Эту запись уже нельзя изменить."),
    "bad_count": _l("Сколько пришло — от 1 до %(students)s (столько учеников записано)."),
    "not_a_student": _l("Записаться самостоятельно может только ученик."),
}


class BookingRefused(Exception):
    """A booking action that the rules refuse; ``code`` names the rule, ``message`` says it in
    the user's language, ``params`` carry the figures (``seats_left`` for a lack of seats)."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        """The reason in the current language."""
        return str(REASONS[self.code]) % self.params


def check_session_open(session: TourSession, programme: TourProgramme) -> None:
    """The session takes bookings: listed, scheduled, not started, not closed.

    :raises BookingRefused:
    """
    now = local_now()
    if not programme.is_listed:
        raise BookingRefused("programme_unlisted")
    if session.state == "cancelled":
        raise BookingRefused("session_cancelled")
    if session.starts_at <= now:
        raise BookingRefused("session_past")
    if session.booking_closes_at <= now:
        raise BookingRefused("booking_closed")


def check_student(student: User, programme: TourProgramme, session: TourSession) -> None:
    """A student may book this programme alone: consent, age and grade.

    Only the birth year is known, so a student is refused only when certainly outside the ages
    (on the session's date they are ``year - birth_year`` or one less).

    :raises BookingRefused:
    """
    if student.role != "student":
        raise BookingRefused("not_a_student")
    from services import consent  # consent stands on bookings, not the other way

    if not consent.allows(student, "booking"):
        raise BookingRefused(
            "consent_needed_parent"
            if consent.parent_decides(student, "booking")
            else "consent_needed"
        )
    if student.birth_year is not None:
        oldest = session.starts_at.year - student.birth_year
        _check_ages(programme, youngest=oldest - 1, oldest=oldest)
    if student.grade is not None:
        _check_grade(programme, student.grade)


def check_class(
    school_class: SchoolClass, programme: TourProgramme, students: int, adults: int
) -> None:
    """A class may book this programme with this many students and adults.

    A class of grade N is mostly N+6 to N+7 years old: refused on age only when certainly
    outside, as for one student.

    :raises BookingRefused:
    """
    _check_grade(programme, school_class.grade)
    _check_ages(programme, youngest=school_class.grade + 6, oldest=school_class.grade + 7)
    check_group(programme, students, adults)


def check_group(programme: TourProgramme, students: int, adults: int) -> None:
    """The group fits the programme: not too big, enough adults.

    :raises BookingRefused:
    """
    if students + adults > programme.group_max:
        raise BookingRefused(
            "group_too_big", group_max=programme.group_max, seats=students + adults
        )
    needed = math.ceil(students / programme.adults_per_students)
    if adults < needed:
        raise BookingRefused(
            "too_few_adults", per=programme.adults_per_students, students=students, needed=needed
        )


def check_cancellable_online(session: TourSession, programme: TourProgramme) -> None:
    """A booker may still cancel online: before the programme's cutoff.

    :raises BookingRefused:
    """
    hours = programme.cancel_cutoff_hours
    if session.starts_at - timedelta(hours=hours) <= local_now():
        raise BookingRefused("cancel_too_late", hours=hours)


def _check_ages(programme: TourProgramme, youngest: int, oldest: int) -> None:
    if programme.min_age is not None and oldest < programme.min_age:
        raise BookingRefused("too_young", min_age=programme.min_age)
    if programme.max_age is not None and youngest > programme.max_age:
        raise BookingRefused("too_old", max_age=programme.max_age)


def _check_grade(programme: TourProgramme, grade: int) -> None:
    if programme.min_grade is not None and grade < programme.min_grade:
        raise BookingRefused("grade_too_low", min_grade=programme.min_grade)
    if programme.max_grade is not None and grade > programme.max_grade:
        raise BookingRefused("grade_too_high", max_grade=programme.max_grade)
