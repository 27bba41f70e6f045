"""Forms of the explorer."""

from flask_wtf import FlaskForm
from wtforms import HiddenField


class ToggleForm(FlaskForm):
    """A button that adds or removes something (saved, compared); carries CSRF and a return URL."""

    next = HiddenField()
