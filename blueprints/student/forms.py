"""A student's forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class JoinClassForm(FlaskForm):
    """The code the counsellor gave the class."""

    code = StringField(_l("Код класса"), validators=[DataRequired(), Length(4, 20)])
