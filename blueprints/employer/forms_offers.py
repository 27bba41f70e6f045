"""The form of an offer after a visit, with the Labour Code's rules for minors."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from blueprints.fields import ChoiceField, MultiChoiceField
from blueprints.validators import PlainText
from i18n import VACANCY_KIND_LABELS
from models._common import local_now
from models.vacancy import ADULT_AGE, LIGHT_WORK_AGE

# ТК РФ ст. 92: at most 24 hours a week under 16 and 35 from 16 to 18 (half that while at
# school, which the employer's schedule must respect; the form holds the weekly ceiling).
MINOR_HOURS = {14: 24, 15: 24, 16: 35, 17: 35}
# The official «Работа России» portal, where a target-training offer must also be listed.
OFFICIAL_HOSTS = ("trudvsem.ru",)
PAY_MAX = 10_000_000


class OfferForm(FlaskForm):
    """A vacancy, internship, summer job, practice placement or target-training place."""

    kind = ChoiceField(_l("Что предлагаете"), choices=list(VACANCY_KIND_LABELS.items()))
    title = StringField(
        _l("Название"),
        validators=[
            DataRequired(_l("Напишите название.")),
            Length(3, 200, _l("Название — от 3 до 200 знаков.")),
            PlainText(),
        ],
    )
    description = TextAreaField(
        _l("Что делать, чему научат, что нужно уметь"),
        validators=[
            DataRequired(_l("Опишите предложение.")),
            Length(10, 5000, _l("Описание — от 10 до 5000 знаков.")),
            PlainText(multiline=True),
        ],
    )
    town = StringField(
        _l("Город"),
        validators=[DataRequired(_l("Укажите город.")), Length(2, 100), PlainText()],
    )
    min_age = IntegerField(
        _l("С какого возраста"),
        validators=[
            InputRequired(_l("Укажите возраст, с которого берёте.")),
            NumberRange(14, 99, _l("Возраст — от 14 до 99 лет.")),
        ],
    )
    hours_per_week = IntegerField(
        _l("Часов в неделю"),
        validators=[Optional(), NumberRange(1, 40, _l("Часов в неделю — от 1 до 40."))],
    )
    schedule = StringField(
        _l("График"),
        validators=[Optional(), Length(0, 300), PlainText()],
    )
    salary_min = IntegerField(
        _l("Оплата или стипендия в месяц, от (₽)"),
        validators=[Optional(), NumberRange(0, PAY_MAX, _l("Сумма — от 0 до 10 000 000 ₽."))],
    )
    salary_max = IntegerField(
        _l("до (₽)"),
        validators=[Optional(), NumberRange(0, PAY_MAX, _l("Сумма — от 0 до 10 000 000 ₽."))],
    )
    minor_conditions = TextAreaField(
        _l("Почему работа подходит несовершеннолетним"),
        validators=[Optional(), Length(0, 2000), PlainText(multiline=True)],
    )
    not_harmful = BooleanField(
        _l("Работа не вредная, не опасная, без тяжестей и ночных смен (ТК РФ ст. 265, 268)")
    )
    light_work = BooleanField(
        _l(
            "Для 14–15 лет: это лёгкий труд, не мешающий учёбе; договор — с письменного "
            "согласия родителя (ТК РФ ст. 63)"
        )
    )
    official_url = StringField(
        _l("Ссылка на это предложение на «Работе России» (trudvsem.ru)"),
        validators=[Optional(), Length(0, 300), PlainText()],
    )
    closes_on = DateField(_l("Принимаем отклики до (необязательно)"), validators=[Optional()])
    tours = MultiChoiceField(_l("После каких экскурсий предлагать"), coerce=int)
    professions = MultiChoiceField(_l("Профессии"), coerce=int)

    def validate(self, extra_validators=None) -> bool:
        """The fields one by one, then the rules that tie them together."""
        valid = super().validate(extra_validators)
        return self._rules_hold() and valid

    def _rules_hold(self) -> bool:
        ok = True
        low, high = self.salary_min.data, self.salary_max.data
        if low is not None and high is not None and high < low:
            self.salary_max.errors.append(_l("«До» не меньше, чем «от»."))
            ok = False
        closes = self.closes_on.data
        today = local_now().date()
        if closes is not None and not today <= closes <= today + timedelta(days=366):
            self.closes_on.errors.append(_l("Дата — от сегодняшней и не дальше чем через год."))
            ok = False
        if self.kind.data == "target_training" and not _official(self.official_url.data):
            self.official_url.errors.append(
                _l(
                    "Целевое обучение публикуется и на «Работе России»: вставьте ссылку "
                    "вида https://trudvsem.ru/…"
                )
            )
            ok = False
        elif self.official_url.data and not _official(self.official_url.data):
            self.official_url.errors.append(_l("Ссылка — только на trudvsem.ru, по https."))
            ok = False
        age = self.min_age.data
        if isinstance(age, int) and 14 <= age < ADULT_AGE:
            ok = self._minor_rules_hold(age) and ok
        return ok

    def _minor_rules_hold(self, age: int) -> bool:
        ok = True
        if not (self.minor_conditions.data or "").strip():
            self.minor_conditions.errors.append(
                _l(
                    "Для учеников младше 18 лет напишите, почему работа им подходит: "
                    "какие задачи, где, под чьим присмотром."
                )
            )
            ok = False
        if not self.not_harmful.data:
            self.not_harmful.errors.append(
                _l("Несовершеннолетних нельзя брать на вредную или опасную работу.")
            )
            ok = False
        hours, limit = self.hours_per_week.data, MINOR_HOURS[age]
        if hours is None or hours > limit:
            self.hours_per_week.errors.append(
                _l(
                    "С %(age)s лет — не больше %(n)s часов в неделю (ТК РФ ст. 92).",
                    age=age,
                    n=limit,
                )
            )
            ok = False
        if age < LIGHT_WORK_AGE and not self.light_work.data:
            self.light_work.errors.append(
                _l("В 14–15 лет можно только лёгкий труд, не мешающий учёбе (ТК РФ ст. 63).")
            )
            ok = False
        return ok

    def fields_of(self) -> dict:
        """The offer's columns from the form."""
        return {
            "kind": self.kind.data,
            "title": self.title.data.strip(),
            "description": self.description.data.strip(),
            "town": " ".join(self.town.data.split()),
            "min_age": self.min_age.data,
            "hours_per_week": self.hours_per_week.data,
            "schedule": (self.schedule.data or "").strip(),
            "salary_min": self.salary_min.data,
            "salary_max": self.salary_max.data,
            "minor_conditions": (self.minor_conditions.data or "").strip()
            if self.min_age.data < ADULT_AGE
            else "",
            "official_url": (self.official_url.data or "").strip(),
            "closes_on": self.closes_on.data,
        }


def _official(url: str | None) -> bool:
    """An https address on the «Работа России» portal."""
    parts = urlsplit((url or "").strip())
    host = (parts.hostname or "").lower()
    return parts.scheme == "https" and any(
        host == h or host.endswith("." + h) for h in OFFICIAL_HOSTS
    )
