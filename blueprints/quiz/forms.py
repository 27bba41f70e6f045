"""Forms of the interest test: its start, one screen of statements, and the last screen."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from i18n import SUBJECT_LABELS
from services.quiz import MAX_INTERESTS_CHARS, Item

SCALE_CHOICES = [
    (1, _l("Совсем не моё")),
    (2, _l("Скорее нет")),
    (3, _l("Не знаю")),
    (4, _l("Скорее да")),
    (5, _l("Очень нравится")),
]


class StartForm(FlaskForm):
    """Short (30 statements) or full (60)."""

    length = RadioField(
        _l("Вариант теста"),
        choices=[
            ("short", _l("Короткий: 30 утверждений, 3–4 минуты")),
            ("full", _l("Полный: 60 утверждений, 6–7 минут")),
        ],
        default="short",
    )


def field_name(item: Item) -> str:
    """The form field of a statement."""
    return f"a_{item.code}"


def step_form(items: list[Item], answers: dict[str, int]) -> FlaskForm:
    """A form with one five-point question per statement of this screen."""

    class StepForm(FlaskForm):
        pass

    for item in items:
        field = RadioField(item.text, choices=SCALE_CHOICES, coerce=int, validators=[Optional()])
        setattr(StepForm, field_name(item), field)
    data = {field_name(i): answers[i.code] for i in items if i.code in answers}
    return StepForm(data=data)


class MultiCheckboxField(SelectMultipleField):
    """Check boxes rather than a multi-select list: easier on a phone."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ExtrasForm(FlaskForm):
    """Liked subjects, free text, and (for visitors) age."""

    subjects = MultiCheckboxField(
        _l("Какие школьные предметы вам нравятся?"),
        choices=list(SUBJECT_LABELS.items()),
        validators=[Optional()],
    )
    interests = TextAreaField(
        _l("Что вы любите делать? Напишите своими словами"),
        validators=[Optional(), Length(max=MAX_INTERESTS_CHARS)],
    )
    age = IntegerField(
        _l("Сколько вам лет? (чтобы предлагать экскурсии по возрасту; можно не указывать)"),
        validators=[Optional(), NumberRange(10, 25)],
    )
