"""Validators the forms share."""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

# What a person's text never needs: control characters, format characters (bidi overrides and
# isolates that make a name read backwards, zero-width spaces and joiners that make two equal
# names differ), surrogates, private-use and unassigned code points. Written here because the
# rule is ours: which Unicode categories a name or a note on a school paper may hold.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
LINE_BREAKS = frozenset("\r\n")


def has_hidden_characters(text: str, multiline: bool = False) -> bool:
    """Whether the text holds a character from ``HIDDEN_CATEGORIES`` (line breaks allowed
    where the text has lines)."""
    allowed = LINE_BREAKS if multiline else frozenset()
    return any(
        ch not in allowed and unicodedata.category(ch) in HIDDEN_CATEGORIES for ch in text or ""
    )


class PlainText:
    """Refuse invisible and control characters, with a message that says what to do."""

    def __init__(self, multiline: bool = False, message=None) -> None:
        self.multiline = multiline
        self.message = message or _l(
            "Уберите невидимые и управляющие символы — они часто попадают в текст при копировании."
        )

    def __call__(self, form, field) -> None:
        if isinstance(field.data, str) and has_hidden_characters(field.data, self.multiline):
            raise ValidationError(self.message)
