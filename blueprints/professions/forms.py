"""Forms of the explorer."""

from flask_wtf import FlaskForm
from wtforms import HiddenField


class ToggleForm(FlaskForm):
    """A button that puts something in a list or takes it out (saved, compared).

    ``want`` says which ("on" or "off"), so that a double click asks twice for the same state
    instead of flipping it back; a form without it (a page cached from before) flips.
    """

    next = HiddenField()
    want = HiddenField()

    def wanted(self) -> bool | None:
        """True to put in, False to take out, None to flip."""
        return {"on": True, "off": False}.get(self.want.data or "")
