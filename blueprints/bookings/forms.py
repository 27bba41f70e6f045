"""The student's booking forms: each a button carrying CSRF, and where to return."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField


class BookForm(FlaskForm):
    """Book a session (``waitlist``: join its waiting list when it is full)."""

    waitlist = BooleanField()
    next = HiddenField()


class VisitActionForm(FlaskForm):
    """Cancel, accept or decline: the button alone."""
