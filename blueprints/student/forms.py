"""A student's forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length


class JoinClassForm(FlaskForm):
    """The code the counsellor gave the class."""

    code = StringField(_l("Код класса"), validators=[DataRequired(), Length(4, 20)])


class ParentLinkForm(FlaskForm):
    """Where to send a parent the consent link."""

    parent_email = EmailField(
        _l("Почта родителя"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )


class DeleteAccountForm(FlaskForm):
    """Deleting the account, proved by the password."""

    password = PasswordField(_l("Пароль — чтобы подтвердить удаление"), validators=[DataRequired()])
