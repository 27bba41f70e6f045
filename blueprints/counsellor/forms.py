"""A counsellor's forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
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
from models._common import local_now
from services.profminimum import DIRECTION_LABELS, LEVEL_LABELS, earliest_entry_day

MAX_ESCORTS = 10
TRANSPORT_LABELS = {
    "bus": _l("Автобусом (заказной или школьный)"),
    "public": _l("Общественным транспортом"),
    "walk": _l("Пешком"),
}


class ClassForm(FlaskForm):
    """A new class."""

    name = StringField(
        _l("Название класса, например «8 Б»"),
        validators=[DataRequired(), Length(1, 40), PlainText()],
    )
    grade = IntegerField(
        _l("Класс или курс (1–15)"), validators=[InputRequired(), NumberRange(1, 15)]
    )
    expected_size = IntegerField(
        _l("Сколько учеников (необязательно)"), validators=[Optional(), NumberRange(1, 60)]
    )


def _escort_lines(form, field) -> None:
    lines = escorts_of(field.data)
    if len(lines) > MAX_ESCORTS:
        raise ValidationError(_l("Не больше %(n)s сопровождающих.", n=MAX_ESCORTS))
    if any(len(line) > 120 for line in lines):
        raise ValidationError(_l("Одна строка — одно ФИО, не длиннее 120 знаков."))


def escorts_of(text: str | None) -> list[str]:
    """The adults' names, one per line, blank lines and extra spaces dropped."""
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


class TripFacts(FlaskForm):
    """How the class travels and who goes with it (for the papers)."""

    transport = RadioField(
        _l("Как класс поедет"),
        choices=list(TRANSPORT_LABELS.items()),
        validators=[InputRequired(_l("Выберите, как класс поедет."))],
    )
    escorts = TextAreaField(
        _l("Сопровождающие взрослые: ФИО, по одному в строке (для приказа; можно позже)"),
        validators=[Optional(), PlainText(multiline=True), _escort_lines],
    )


class ClassBookingForm(TripFacts):
    """Book a session for a class."""

    students = IntegerField(
        _l("Сколько учеников поедет"),
        validators=[InputRequired(_l("Укажите число учеников.")), NumberRange(1, 500)],
    )
    adults = IntegerField(
        _l("Сколько взрослых с ними"),
        validators=[InputRequired(_l("Укажите число взрослых.")), NumberRange(0, 100)],
    )
    waitlist = BooleanField(_l("Если мест не хватит — поставить класс в лист ожидания"))
    bus_ack = BooleanField(_l("Понятно: у каждой двери автобуса будет сопровождающий"))


class TripSizeForm(FlaskForm):
    """Change a class trip's numbers."""

    students = IntegerField(
        _l("Учеников"),
        validators=[InputRequired(_l("Укажите число учеников.")), NumberRange(1, 500)],
    )
    adults = IntegerField(
        _l("Взрослых"),
        validators=[InputRequired(_l("Укажите число взрослых.")), NumberRange(0, 100)],
    )


class TripActionForm(FlaskForm):
    """Cancel or accept: the button alone."""


class LevelForm(FlaskForm):
    """The school's «Профминимум» level for a school year."""

    level = SelectField(_l("Уровень школы в этом учебном году"), choices=list(LEVEL_LABELS.items()))


class CommaDecimalField(DecimalField):
    """A finite decimal that may be typed with a comma, as Russian writes «1,5»."""

    def process_formdata(self, valuelist):
        super().process_formdata([v.replace(",", ".").strip() for v in valuelist])
        if self.data is not None and not self.data.is_finite():
            # Decimal reads "NaN", "sNaN" and "Infinity"; none is a number of hours, and a
            # signalling NaN would break the range check.
            self.data = None
            raise ValueError(_l("Часы — числом, например 1,5."))


def _a_day_of_the_record(form, field) -> None:
    """Activities are entered after they happen, within the school years the record keeps."""
    today = local_now().date()
    if field.data and not earliest_entry_day(today) <= field.data <= today:
        raise ValidationError(
            _l(
                "Дата — не позже сегодняшней и не раньше %(d)s.",
                d=earliest_entry_day(today).strftime("%d.%m.%Y"),
            )
        )


class ActivityForm(FlaskForm):
    """One activity for the whole class or the students ticked."""

    title = StringField(
        _l("Что было"),
        validators=[DataRequired(_l("Напишите, что было.")), Length(1, 200), PlainText()],
    )
    direction = SelectField(_l("Направление"), choices=list(DIRECTION_LABELS.items()))
    held_on = DateField(
        _l("Когда"), validators=[InputRequired(_l("Укажите дату.")), _a_day_of_the_record]
    )
    hours = CommaDecimalField(
        _l("Академических часов"),
        places=1,
        validators=[
            InputRequired(_l("Укажите число часов.")),
            NumberRange(0.5, 40, _l("Часы — от 0,5 до 40.")),
        ],
    )
    students = MultiCheckboxField(
        _l("Ученики"), coerce=int, not_a_choice=_l("Отмечены ученики не из этого класса.")
    )
