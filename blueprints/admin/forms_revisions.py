"""The moderator's decision on a change or a new programme."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField, ValidationError
from wtforms.validators import AnyOf, InputRequired, Length

from blueprints.validators import PlainText
from services.revision_moderation import DECISIONS, REASON_MAX


class DecisionForm(FlaskForm):
    """Approve, or reject with a reason that the enterprise's staff will read."""

    decision = StringField(validators=[InputRequired(), AnyOf(list(DECISIONS))])
    reason = TextAreaField(
        _l("Причина, если отклоняете (её прочтёт предприятие)"),
        validators=[Length(max=REASON_MAX), PlainText(multiline=True)],
        filters=[lambda value: (value or "").strip()],
    )

    def validate_reason(self, field: TextAreaField) -> None:
        """A rejection says what to fix."""
        if self.decision.data == "reject" and not field.data:
            raise ValidationError(_l("Напишите причину: предприятие увидит, что исправить."))
