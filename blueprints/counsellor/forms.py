"""A counsellor's forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional


class ClassForm(FlaskForm):
    """A new class."""

    name = StringField(
        _l("Название класса, например «8 Б»"), validators=[DataRequired(), Length(1, 40)]
    )
    grade = IntegerField(
        _l("Класс или курс (1–15)"), validators=[InputRequired(), NumberRange(1, 15)]
    )
    expected_size = IntegerField(
        _l("Сколько учеников (необязательно)"), validators=[Optional(), NumberRange(1, 60)]
    )
