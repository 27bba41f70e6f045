"""Forms of an enterprise's team: inviting a colleague, and registering through an invitation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from blueprints.validators import PlainText
from services import passwords


def _stripped(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class InviteForm(FlaskForm):
    """A colleague's e-mail and position."""

    email = EmailField(
        _l("Электронная почта сотрудника"),
        filters=[_stripped],
        validators=[
            DataRequired(_l("Укажите почту сотрудника.")),
            Email(_l("Проверьте адрес почты."), check_deliverability=False),
            Length(max=254, message=_l("Адрес почты — не длиннее 254 знаков.")),
        ],
    )
    position = StringField(
        _l("Должность"),
        validators=[
            DataRequired(_l("Укажите должность.")),
            Length(2, 120, message=_l("Должность — от 2 до 120 знаков.")),
            PlainText(),
        ],
    )


class ActionForm(FlaskForm):
    """A button that changes something (revoke, remove, hand over, join): the CSRF token alone."""


class InviteRegistrationForm(FlaskForm):
    """An account for the invitation's address: a name and a password, by the site's rules."""

    display_name = StringField(
        _l("Как к вам обращаться"),
        validators=[
            DataRequired(_l("Напишите, как к вам обращаться.")),
            Length(2, 80, message=_l("Имя — от 2 до 80 знаков.")),
            PlainText(),
        ],
    )
    password = PasswordField(
        _l("Пароль: не короче 10 символов, лучше фраза из нескольких слов"),
        validators=[DataRequired(_l("Придумайте пароль."))],
    )
    confirm = PasswordField(
        _l("Пароль ещё раз"),
        validators=[
            DataRequired(_l("Повторите пароль.")),
            EqualTo("password", message=_l("Пароли не совпадают.")),
        ],
    )

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.invite_email = email

    def validate_password(self, field: PasswordField) -> None:
        """Not short, not common, not the person's own name or e-mail."""
        if why := passwords.problem(field.data or "", self.display_name.data, self.invite_email):
            raise ValidationError(why)
