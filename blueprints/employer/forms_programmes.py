"""The tour programme form: what a visit is, whom it suits, its limits, rules and professions."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from blueprints.fields import MultiCheckboxField
from blueprints.validators import PlainText

MAX_LINES = 20
MAX_LINE_LENGTH = 200
MAX_PROFESSIONS = 20
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,9}")


class WholeNumberField(IntegerField):
    """An integer typed in plain digits: Python's ``int()`` would also take «٣», «1_000» and
    surrounding zero-width spaces, and WTForms' refusal of the rest is untranslated."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = valuelist[0].strip()
        if not text:
            self.data = None
        elif _WHOLE_NUMBER.fullmatch(text):
            self.data = int(text)
        else:
            self.data = None
            raise ValueError(_l("Введите целое число цифрами, например 90."))


def lines_of(text: str | None) -> list[str]:
    """The non-empty lines of a text, each with its spaces tidied."""
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


def _short_lines(form, field) -> None:
    lines = lines_of(field.data)
    if len(lines) > MAX_LINES:
        raise ValidationError(_l("Не больше %(n)s строк.", n=MAX_LINES))
    if any(len(line) > MAX_LINE_LENGTH for line in lines):
        raise ValidationError(_l("Каждая строка — не длиннее %(n)s знаков.", n=MAX_LINE_LENGTH))


def _number(label, low: int, high: int, required: bool = True, default=None):
    """A whole number between ``low`` and ``high`` with its messages in the user's language."""
    presence = (
        InputRequired(_l("Заполните это поле.")) if required else Optional(strip_whitespace=True)
    )
    return WholeNumberField(
        label,
        default=default,
        validators=[
            presence,
            NumberRange(low, high, _l("Число от %(lo)s до %(hi)s.", lo=low, hi=high)),
        ],
    )


def _text(label, low: int, high: int, required: bool = True, multiline: bool = True):
    presence = DataRequired(_l("Заполните это поле.")) if required else Optional()
    return TextAreaField(
        label,
        validators=[
            presence,
            Length(low, high, _l("От %(lo)s до %(hi)s знаков.", lo=low, hi=high)),
            PlainText(multiline=multiline),
        ],
    )


class ProgrammeForm(FlaskForm):
    """A tour programme; professions are chosen from the catalogue."""

    title = StringField(
        _l("Название программы"),
        validators=[
            DataRequired(_l("Назовите программу.")),
            Length(5, 200, _l("Название — от 5 до 200 знаков.")),
            PlainText(),
        ],
    )
    description = _text(_l("Что увидят и услышат участники"), 20, 5000)
    duration_minutes = _number(_l("Длительность, минут"), 15, 600)
    min_age = _number(_l("Возраст от, лет"), 6, 99)
    max_age = _number(_l("Возраст до, лет (необязательно)"), 6, 99, required=False)
    min_grade = _number(_l("Класс от (необязательно)"), 1, 11, required=False)
    max_grade = _number(_l("Класс до (необязательно)"), 1, 11, required=False)
    group_min = _number(_l("Группа от, человек"), 1, 200)
    group_max = _number(_l("Группа до, человек"), 1, 200)
    adults_per_students = _number(_l("Один взрослый на столько учеников"), 1, 50, default=10)
    price_rub = _number(_l("Цена за участника, ₽ (0 — бесплатно)"), 0, 100000, default=0)
    safety_rules = TextAreaField(
        _l("Правила безопасности, по одному в строке"),
        validators=[Optional(), PlainText(multiline=True), _short_lines],
    )
    what_to_bring = TextAreaField(
        _l("Что взять с собой, по одному в строке"),
        validators=[Optional(), PlainText(multiline=True), _short_lines],
    )
    accessibility = _text(_l("Доступность: ходьба, лестницы, шум (необязательно)"), 0, 2000, False)
    meeting_point = _text(
        _l("Место сбора (необязательно; иначе — адрес предприятия)"), 0, 500, False
    )
    booking_cutoff_hours = _number(
        _l("Запись закрывается за столько часов до начала"), 0, 336, default=0
    )
    cancel_cutoff_hours = _number(
        _l("Отменить запись онлайн можно до стольких часов до начала"), 0, 336, default=2
    )
    professions = MultiCheckboxField(
        _l("Профессии, которые увидят участники"),
        coerce=int,
        not_a_choice=_l("Выберите профессии из списка."),
    )

    def validate_professions(self, field) -> None:
        """A programme shows a handful of professions, not the whole catalogue."""
        if len(field.data or ()) > MAX_PROFESSIONS:
            raise ValidationError(_l("Не больше %(n)s профессий.", n=MAX_PROFESSIONS))

    def validate(self, extra_validators=None) -> bool:
        """Each field, then the ranges in order: «до» is not below «от»."""
        valid = super().validate(extra_validators)
        for low, high in (
            (self.min_age, self.max_age),
            (self.min_grade, self.max_grade),
            (self.group_min, self.group_max),
        ):
            if low.data is not None and high.data is not None and high.data < low.data:
                high.errors.append(_l("Не меньше, чем «от»."))
                valid = False
        return valid

    def programme_fields(self) -> dict:
        """The columns of ``services.programmes.FIELDS`` as the form gives them."""
        return {
            "title": " ".join(self.title.data.split()),
            "description": self.description.data.strip(),
            "duration_minutes": self.duration_minutes.data,
            "min_age": self.min_age.data,
            "max_age": self.max_age.data,
            "min_grade": self.min_grade.data,
            "max_grade": self.max_grade.data,
            "group_min": self.group_min.data,
            "group_max": self.group_max.data,
            "adults_per_students": self.adults_per_students.data,
            "price_rub": self.price_rub.data,
            "safety_rules": lines_of(self.safety_rules.data),
            "what_to_bring": lines_of(self.what_to_bring.data),
            "accessibility": (self.accessibility.data or "").strip(),
            "meeting_point": (self.meeting_point.data or "").strip(),
            "booking_cutoff_hours": self.booking_cutoff_hours.data,
            "cancel_cutoff_hours": self.cancel_cutoff_hours.data,
        }


def form_data(values: dict, profession_ids: list[int]) -> dict:
    """What an edit form starts with: the programme's values, lists as lines."""
    shown = dict(values)
    for name in ("safety_rules", "what_to_bring"):
        shown[name] = "\n".join(values.get(name) or [])
    shown["professions"] = profession_ids
    return shown
