"""A counsellor's classes."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from access import role_required
from blueprints.counsellor import bp
from blueprints.counsellor.forms import ClassForm
from extensions import db
from models import SchoolClass
from models._common import utcnow
from services.accounts import DOUBLE_SUBMIT_WINDOW
from services.classes import ClassError, create_class


@bp.get("/")
@role_required("counsellor")
def dashboard():
    """The counsellor's classes with their join codes."""
    return render_template("counsellor/dashboard.html", form=ClassForm())


@bp.post("/classes")
@role_required("counsellor")
def new_class():
    """Create a class; its join code is shown at once."""
    form = ClassForm()
    if current_user.school is None:
        abort(409)
    if form.validate_on_submit():
        try:
            made = create_class(
                current_user,
                current_user.school,
                form.name.data,
                form.grade.data,
                form.expected_size.data,
            )
        except ClassError:
            form.name.errors.append(_("В вашей школе уже есть класс с таким названием."))
        else:
            flash(_created_message(made), "success")
            target = url_for("counsellor.class_detail", class_id=made.school_class.id)
            return redirect(target, code=303)
    return render_template("counsellor/dashboard.html", form=form), 422


def _created_message(made) -> str:
    code = made.school_class.join_code
    if made.created or made.school_class.created_at > utcnow() - DOUBLE_SUBMIT_WINDOW:
        # Created now, or by this same form sent twice moments ago: the same answer both times.
        return _("Класс создан. Код для учеников: %(code)s", code=code)
    return _("Такой класс у вас уже есть — вот он. Код для учеников: %(code)s", code=code)


@bp.get("/classes/<id:class_id>")
@role_required("counsellor")
def class_detail(class_id: int):
    """One class: join code and who has joined (names only)."""
    school_class = db.get_or_404(SchoolClass, class_id)
    if school_class.counsellor_id != current_user.id:
        abort(404)  # another counsellor's class is not even confirmed to exist
    return render_template("counsellor/class.html", school_class=school_class)
