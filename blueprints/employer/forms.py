"""An employer's forms for sessions: one or a series, capacity, cancellation."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from blueprints.fields import ChoiceField, MultiCheckboxField
from blueprints.validators import PlainText
from services.session_planning import MAX_CAPACITY, MAX_WEEKS

WEEKDAY_LABELS = (
    (0, _l("понедельник")),
    (1, _l("вторник")),
    (2, _l("среда")),
    (3, _l("четверг")),
    (4, _l("пятница")),
    (5, _l("суббота")),
    (6, _l("воскресенье")),
)


def _capacity_field() -> IntegerField:
    """A session's number of seats (the same field when planning and when changing it)."""
    return IntegerField(
        _l("Мест на сеансе"),
        validators=[
            InputRequired(_l("Укажите число мест.")),
            NumberRange(1, MAX_CAPACITY, _l("Мест — от 1 до %(n)s.", n=MAX_CAPACITY)),
        ],
    )


class SessionsForm(FlaskForm):
    """One session, or a series on chosen weekdays for some weeks."""

    tour = ChoiceField(_l("Экскурсия"), coerce=int)
    mode = RadioField(
        _l("Сколько сеансов"),
        choices=[("one", _l("Один сеанс")), ("series", _l("Серия по дням недели"))],
        default="one",
    )
    starts_on = DateField(
        _l("Дата (для серии — первый день)"), validators=[InputRequired(_l("Укажите дату."))]
    )
    at = TimeField(_l("Время начала"), validators=[InputRequired(_l("Укажите время."))])
    weekdays = MultiCheckboxField(_l("Дни недели (для серии)"), coerce=int, choices=WEEKDAY_LABELS)
    weeks = IntegerField(
        _l("Сколько недель (для серии)"),
        default=8,
        validators=[
            Optional(),
            NumberRange(1, MAX_WEEKS, _l("Серия — от 1 до %(n)s недель.", n=MAX_WEEKS)),
        ],
    )
    capacity = _capacity_field()


class CapacityForm(FlaskForm):
    """A session's new number of seats."""

    capacity = _capacity_field()


class CancelSessionForm(FlaskForm):
    """Why a session is cancelled: every booker reads it."""

    reason = TextAreaField(
        _l("Причина отмены (её прочтут все записавшиеся)"),
        validators=[
            DataRequired(_l("Напишите причину — её получат все записавшиеся.")),
            Length(3, 300, _l("Причина — от 3 до 300 знаков.")),
            PlainText(multiline=True),
        ],
    )
