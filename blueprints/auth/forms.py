"""Sign-in and registration forms."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from blueprints.validators import PlainText
from i18n import INDUSTRY_LABELS
from models.enterprise import INDUSTRIES
from services import passwords
from services.consent import SELF_CONSENT_AGE


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(_l("Электронная почта"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Пароль"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Запомнить меня на этом устройстве"))


class _AccountForm(FlaskForm):
    email = EmailField(
        _l("Электронная почта"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    display_name = StringField(
        _l("Как к вам обращаться"), validators=[DataRequired(), Length(2, 80), PlainText()]
    )
    password = PasswordField(
        _l("Пароль: не короче 10 символов, лучше фраза из нескольких слов"),
        validators=[DataRequired()],
    )
    confirm = PasswordField(
        _l("Пароль ещё раз"),
        validators=[DataRequired(), EqualTo("password", message=_l("Пароли не совпадают."))],
    )

    def validate_password(self, field: PasswordField) -> None:
        """Not short, not common, not the person's own name or e-mail."""
        if why := passwords.problem(field.data or "", self.display_name.data, self.email.data):
            raise ValidationError(why)


class StudentRegistrationForm(_AccountForm):
    """A student gives a name or nickname, birth year and grade — nothing more."""

    display_name = StringField(
        _l("Имя или ник (его увидит только ваш профконсультант)"),
        validators=[DataRequired(), Length(2, 40), PlainText()],
    )
    birth_year = IntegerField(_l("Год рождения"), validators=[InputRequired()])
    grade = IntegerField(
        _l("Класс или курс (1–11 — школа, 12–15 — колледж)"),
        validators=[Optional(), NumberRange(1, 15)],
    )

    parent_email = EmailField(
        _l("Почта родителя (нужна, если вам меньше 14 лет)"),
        validators=[Optional(), Email(check_deliverability=False), Length(max=254)],
    )

    def validate_birth_year(self, field: IntegerField) -> None:
        """Students are 12 to 18, give or take a year."""
        year = date.today().year
        if field.data is None or not year - 20 <= field.data <= year - 11:
            raise ValidationError(_l("Сайт для учащихся 12–18 лет: проверьте год рождения."))

    def needs_parent(self) -> bool:
        """Under 14 by the youngest age the birth year allows: a parent consents."""
        year = self.birth_year.data
        return isinstance(year, int) and date.today().year - year - 1 < SELF_CONSENT_AGE

    def validate(self, extra_validators=None) -> bool:
        """The parent's address: required under 14, never the student's own, and not kept
        from 14 on (asked only when needed: least data)."""
        valid = super().validate(extra_validators)
        field = self.parent_email
        if not self.needs_parent():
            field.data = None
            field.errors = []
            return valid and not self.errors
        if not field.data:
            field.errors.append(
                _l("Вам нет 14 лет: укажите почту родителя — мы попросим у него согласие.")
            )
        elif field.data.strip().lower() == (self.email.data or "").strip().lower():
            field.errors.append(_l("Нужна почта родителя, а не ваша."))
        return valid and not field.errors


class CounsellorRegistrationForm(_AccountForm):
    """A counsellor names their school."""

    school_name = StringField(_l("Школа или колледж"), validators=[DataRequired(), Length(3, 200)])
    town = StringField(_l("Населённый пункт"), validators=[DataRequired(), Length(2, 100)])


class EmployerRegistrationForm(_AccountForm):
    """An employer picks their enterprise or names a new one; both wait for moderation."""

    position = StringField(_l("Должность"), validators=[DataRequired(), Length(2, 120)])
    enterprise = SelectField(_l("Предприятие"), coerce=str, validators=[Optional()])
    new_name = StringField(
        _l("Или название нового предприятия"), validators=[Optional(), Length(3, 200)]
    )
    new_town = StringField(_l("Населённый пункт"), validators=[Optional(), Length(2, 100)])
    new_district = StringField(_l("Район"), validators=[Optional(), Length(2, 100)])
    new_industry = SelectField(
        _l("Отрасль"), choices=[("", "—"), *INDUSTRY_LABELS.items()], validators=[Optional()]
    )

    def validate(self, extra_validators=None) -> bool:
        """Require either a listed enterprise or a complete new one."""
        if not super().validate(extra_validators):
            return False
        if self.enterprise.data:
            return True
        missing = [
            f
            for f in (self.new_name, self.new_town, self.new_district, self.new_industry)
            if not f.data
        ]
        for f in missing:
            f.errors.append(_l("Выберите предприятие из списка или заполните это поле."))
        if self.new_industry.data and self.new_industry.data not in INDUSTRIES:
            self.new_industry.errors.append(_l("Выберите отрасль из списка."))
            return False
        return not missing


class NewPasswordForm(FlaskForm):
    """A new password for ``user``, by the same rules as at registration (the reset link)."""

    password = PasswordField(
        _l("Новый пароль: не короче 10 символов, лучше фраза из нескольких слов"),
        validators=[DataRequired()],
    )
    confirm = PasswordField(
        _l("Новый пароль ещё раз"),
        validators=[DataRequired(), EqualTo("password", message=_l("Пароли не совпадают."))],
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_password(self, field: PasswordField) -> None:
        """Not short, not common, not the person's own name or e-mail."""
        if why := passwords.problem(field.data or "", self.user.display_name, self.user.email):
            raise ValidationError(why)


class PasswordChangeForm(NewPasswordForm):
    """A new password, proved by the current one."""

    current = PasswordField(
        _l("Нынешний пароль"), validators=[DataRequired(), Length(max=passwords.MAX_LENGTH)]
    )


class PasswordResetRequestForm(FlaskForm):
    """The e-mail to send a reset link to."""

    email = EmailField(
        _l("Электронная почта"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
