"""A student's own page: classes, consent state."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from access import role_required
from blueprints.student import bp
from blueprints.student.forms import JoinClassForm
from services.classes import ClassError, classes_of_student, join_class


@bp.get("/")
@role_required("student")
def dashboard():
    """The student's page: their classes and what they can do next."""
    return render_template(
        "student/dashboard.html", classes=classes_of_student(current_user), form=JoinClassForm()
    )


@bp.post("/classes/join")
@role_required("student")
def join():
    """Join a class with its code."""
    form = JoinClassForm()
    if form.validate_on_submit():
        try:
            school_class = join_class(current_user, form.code.data)
        except ClassError:
            form.code.errors.append(
                _("Класса с таким кодом нет. Проверьте код у профконсультанта.")
            )
        else:
            flash(_("Вы в классе %(name)s.", name=school_class.name), "success")
            return redirect(url_for("student.dashboard"), code=303)
    classes = classes_of_student(current_user)
    return render_template("student/dashboard.html", classes=classes, form=form), 422
