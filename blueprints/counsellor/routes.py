"""A counsellor's classes: the class page with its interest picture, and the planner of tours
that fit it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from access import role_required
from blueprints.counsellor import bp
from blueprints.counsellor.forms import ClassForm
from extensions import db
from models import SchoolClass
from models._common import utcnow
from services import booking as booking_service
from services import class_planner
from services.accounts import DOUBLE_SUBMIT_WINDOW
from services.classes import ClassError, create_class

MAX_GROUP = 200  # the planner's group size: no programme takes more


def own_class(class_id: int) -> SchoolClass:
    """The signed-in counsellor's class, or 404 (another counsellor's is not even confirmed
    to exist)."""
    school_class = db.get_or_404(SchoolClass, class_id)
    if school_class.counsellor_id != current_user.id:
        abort(404)
    return school_class


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
    """One class: who joined (names only), its interest picture in aggregate, its trips."""
    school_class = own_class(class_id)
    return render_template(
        "counsellor/class.html",
        school_class=school_class,
        picture=class_planner.class_picture(school_class),
        trips=booking_service.bookings_of_class(school_class),
        minimum=class_planner.SHOW_MINIMUM,
    )


@bp.get("/classes/<id:class_id>/tours")
@role_required("counsellor")
def class_tours(class_id: int):
    """Tours ranked by how many of the class's students they fit, and two trips that together
    fit the most."""
    school_class = own_class(class_id)
    students = request.args.get("students", type=int)
    if students is not None and not 1 <= students <= MAX_GROUP:
        students = None
    found = class_planner.tours_for_class(school_class, students)
    return render_template(
        "counsellor/tours.html",
        school_class=school_class,
        found=found,
        max_group=MAX_GROUP,
        pair=class_planner.two_trips(found),
        minimum=class_planner.SHOW_MINIMUM,
    )
