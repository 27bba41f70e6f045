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
            school_class = create_class(
                current_user,
                current_user.school,
                form.name.data,
                form.grade.data,
                form.expected_size.data,
            )
        except ClassError:
            form.name.errors.append(_("В вашей школе уже есть класс с таким названием."))
        else:
            flash(
                _("Класс создан. Код для учеников: %(code)s", code=school_class.join_code),
                "success",
            )
            return redirect(url_for("counsellor.class_detail", class_id=school_class.id), code=303)
    return render_template("counsellor/dashboard.html", form=form), 422


@bp.get("/classes/<id:class_id>")
@role_required("counsellor")
def class_detail(class_id: int):
    """One class: join code and who has joined (names only)."""
    school_class = db.get_or_404(SchoolClass, class_id)
    if school_class.counsellor_id != current_user.id:
        abort(404)  # another counsellor's class is not even confirmed to exist
    return render_template("counsellor/class.html", school_class=school_class)
