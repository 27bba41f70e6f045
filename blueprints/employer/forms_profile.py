"""The forms of an enterprise's profile: its text fields and a new photo."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from blueprints.validators import PlainText
from services.revisions import ENTERPRISE_FIELDS

ACCEPT = "image/jpeg,image/png,image/webp"


def tidy(value: str | None) -> str:
    """Text as stored: no surrounding blanks, and browsers' CRLF line ends as LF (else every
    save of an untouched text area would look like a change to review)."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _line(label, max_length: int, required: bool = False) -> StringField:
    first = [DataRequired()] if required else []
    return StringField(
        label, validators=[*first, Length(max=max_length), PlainText()], filters=[tidy]
    )


def _text(label, max_length: int) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[Length(max=max_length), PlainText(multiline=True)],
        filters=[tidy],
        render_kw={"rows": 4},
    )


class ProfileForm(FlaskForm):
    """What a school reads about the enterprise before a visit."""

    description = _text(_l("Описание: что делает предприятие и что увидят школьники"), 5000)
    town = _line(_l("Населённый пункт"), 100, required=True)
    district = _line(_l("Район"), 100, required=True)
    address = _line(_l("Адрес"), 300)
    contact = _line(_l("Контакт для школ: имя и телефон или почта"), 300)
    directions = _text(_l("Как добраться: транспорт, остановка, вход, парковка для автобуса"), 2000)
    rules_age = _text(_l("Возраст: с какого возраста или класса пускают"), 1000)
    rules_clothing = _text(_l("Одежда и обувь"), 1000)
    rules_documents = _text(_l("Документы: что взять с собой, списки группы, согласия"), 1000)
    rules_photography = _text(_l("Фото- и видеосъёмка: где можно снимать"), 1000)
    visiting_rules = _text(_l("Другие правила посещения"), 2000)

    def profile_fields(self) -> dict[str, str]:
        """The submitted values by column name, for ``services.revisions.propose``."""
        return {name: getattr(self, name).data or "" for name in ENTERPRISE_FIELDS}


class PhotoForm(FlaskForm):
    """A new photo and the words that stand for it (read aloud by screen readers)."""

    photo = FileField(
        _l("Фотография"),
        validators=[FileRequired(_l("Выберите файл с фотографией."))],
        render_kw={"accept": ACCEPT},
    )
    alt = StringField(
        _l("Что на фото (для тех, кто не видит снимок)"),
        validators=[
            DataRequired(_l("Опишите, что на фото: например, «Сборочный цех, линия упаковки».")),
            Length(5, 300),
            PlainText(),
        ],
        filters=[tidy],
    )
