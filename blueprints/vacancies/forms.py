"""The forms of the list of offers and a student's response."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from blueprints.validators import PlainText
from services.responses import MESSAGE_MAX


class RespondForm(FlaskForm):
    """A student's short message with a response."""

    message = TextAreaField(
        _l("Коротко о себе: что хотите делать и когда можете"),
        validators=[
            DataRequired(_l("Напишите пару слов — так предприятию проще ответить.")),
            Length(2, MESSAGE_MAX, _l("Сообщение — до 1000 знаков.")),
            PlainText(multiline=True),
        ],
    )
