"""Choice fields that refuse a value not offered in the user's language (WTForms' own
sentences for it are untranslated)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


class _RefusesInTheUsersLanguage:
    """The shared part: an unreadable value is refused with ``not_a_choice`` and leaves the
    field empty."""

    def __init__(self, *args, not_a_choice=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.not_a_choice = not_a_choice or _l("Выберите из списка.")

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = self._empty()
            raise ValueError(self.not_a_choice) from None

    def _empty(self):
        return None


class ChoiceField(_RefusesInTheUsersLanguage, SelectField):
    """A select whose refusal of an unknown or unreadable value is in the user's language."""

    def pre_validate(self, form):
        if self.data not in {value for value, _label in self.choices or ()}:
            raise ValidationError(self.not_a_choice)


class MultiChoiceField(_RefusesInTheUsersLanguage, SelectMultipleField):
    """A multiple select, refusing a value that is not one of the options."""

    def _empty(self):
        return []

    def pre_validate(self, form):
        offered = {value for value, _label in self.choices or ()}
        if any(value not in offered for value in self.data or ()):
            raise ValidationError(self.not_a_choice)


class MultiCheckboxField(MultiChoiceField):
    """Checkboxes for a multiple choice (WTForms' documented recipe)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
