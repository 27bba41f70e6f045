"""Forms of feedback after a visit: the visitor's rating, an employer's report, and the word of
regional staff on it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional

from blueprints.validators import PlainText
from services.feedback import RATINGS

MAX_TEXT = 1000
MAX_REASON = 300
# The stored answer to "did the visit change your interest?": yes, no, or not sure (None).
INTEREST_ANSWERS = {"yes": True, "no": False, "unsure": None}


def _stripped(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _rating(value) -> int | None:
    """The submitted rating as a number; anything else is None (then refused as no rating)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _free_text(label):
    return TextAreaField(
        label,
        filters=[_stripped],
        render_kw={"rows": 3, "maxlength": MAX_TEXT},
        validators=[
            Optional(),
            Length(max=MAX_TEXT, message=_l("Не длиннее %(max)d знаков.")),
            PlainText(multiline=True),
        ],
    )


class FeedbackForm(FlaskForm):
    """A rating from 1 to 5 (required), what was liked and what to change, and whether the
    visit changed the visitor's interest in the profession."""

    rating = RadioField(
        _l("Ваша оценка экскурсии"),
        choices=[(n, str(n)) for n in RATINGS],
        coerce=_rating,
        # Our own message for every wrong value ("6", "abc", none): see the validators.
        validate_choice=False,
        validators=[
            InputRequired(_l("Поставьте оценку от 1 до 5.")),
            AnyOf(RATINGS, message=_l("Поставьте оценку от 1 до 5.")),
        ],
    )
    liked = _free_text(_l("Что понравилось"))
    to_change = _free_text(_l("Что бы вы изменили"))
    interest = RadioField(
        _l("Экскурсия изменила мой интерес к профессии?"),
        choices=[("yes", _l("Да")), ("no", _l("Нет")), ("unsure", _l("Не знаю"))],
        validate_choice=False,
        validators=[Optional(), AnyOf(list(INTEREST_ANSWERS), message=_l("Выберите один ответ."))],
    )

    @property
    def interest_changed(self) -> bool | None:
        """The answer as stored: True, False, or None when not sure or not answered."""
        return INTEREST_ANSWERS.get(self.interest.data or "unsure")


class ReportForm(FlaskForm):
    """Why a comment breaks the rules, for regional staff."""

    reason = TextAreaField(
        _l("Почему отзыв нарушает правила"),
        filters=[_stripped],
        render_kw={"rows": 2, "maxlength": MAX_REASON},
        validators=[
            DataRequired(_l("Напишите, что не так с отзывом.")),
            Length(max=MAX_REASON, message=_l("Не длиннее %(max)d знаков.")),
            PlainText(multiline=True),
        ],
    )
