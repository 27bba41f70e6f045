"""The class's «Профминимум» record: hours per student against the school's level, activities
entered for the whole class or a few students, one student's entries, and the exports."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from access import role_required
from blueprints.counsellor import bp
from blueprints.counsellor.forms import ActivityForm, LevelForm, TripActionForm
from blueprints.counsellor.routes import own_class
from models._common import local_now
from models.profminimum import DIRECTIONS
from rendering import download
from services import profminimum
from services.profminimum import DIRECTION_LABELS, LEVEL_LABELS, LedgerError


def _year() -> int:
    """The school year asked for (``?year=2025``), within the years kept; else the current."""
    now = profminimum.current_year(local_now().date())
    asked = request.args.get("year", type=int)
    return asked if asked is not None and now - profminimum.YEARS_KEPT <= asked <= now else now


def _activity_form(school_class) -> ActivityForm:
    """The activity form with the class's students as choices, all ticked at first."""
    form = ActivityForm()
    form.students.choices = [
        (m.student_id, m.student.display_name)
        for m in sorted(school_class.members, key=lambda m: m.student.display_name)
    ]
    if not form.is_submitted():
        form.students.data = [sid for sid, _name in form.students.choices]
        form.held_on.data = local_now().date()
    return form


def _page(school_class, year: int, activity_form=None, level_form=None, status=200):
    ledger = profminimum.class_ledger(school_class, year)
    if level_form is None:
        level_form = LevelForm(level=ledger.level)
    now = profminimum.current_year(local_now().date())
    return (
        render_template(
            "counsellor/hours.html",
            school_class=school_class,
            ledger=ledger,
            directions=DIRECTIONS,
            direction_labels=DIRECTION_LABELS,
            level_labels=LEVEL_LABELS,
            level_form=level_form,
            activity_form=activity_form or _activity_form(school_class),
            years=range(now, now - profminimum.YEARS_KEPT - 1, -1),
        ),
        status,
    )


@bp.get("/classes/<id:class_id>/hours")
@role_required("counsellor")
def class_hours(class_id: int):
    """Hours per student in the school year, by direction, against the level."""
    return _page(own_class(class_id), _year())


@bp.post("/classes/<id:class_id>/hours/level")
@role_required("counsellor")
def set_level(class_id: int):
    """Choose the school's level for the school year (it applies to every class of the school)."""
    school_class = own_class(class_id)
    year = _year()
    form = LevelForm()
    if not form.validate_on_submit():
        return _page(school_class, year, level_form=form, status=422)
    profminimum.set_level(school_class.school, year, form.level.data, current_user)
    flash(_("Уровень школы сохранён."), "success")
    return redirect(url_for("counsellor.class_hours", class_id=class_id, year=year), code=303)


@bp.post("/classes/<id:class_id>/hours")
@role_required("counsellor")
def add_activity(class_id: int):
    """Enter one activity for the students ticked."""
    school_class = own_class(class_id)
    form = _activity_form(school_class)
    if form.validate_on_submit():
        try:
            added = profminimum.add_activity(
                current_user,
                school_class,
                form.students.data,
                form.held_on.data,
                form.hours.data,
                form.direction.data,
                form.title.data,
            )
        except LedgerError as error:
            form.students.errors.append(str(error))
        else:
            flash(_("Записано учеников: %(n)s.", n=added), "success")
            year = profminimum.school_year(form.held_on.data)
            return redirect(
                url_for("counsellor.class_hours", class_id=class_id, year=year), code=303
            )
    return _page(school_class, _year(), activity_form=form, status=422)


@bp.get("/classes/<id:class_id>/hours/<id:student_id>")
@role_required("counsellor")
def student_hours(class_id: int, student_id: int):
    """One student's entries in the year (to check or remove one)."""
    school_class = own_class(class_id)
    member = next((m for m in school_class.members if m.student_id == student_id), None)
    if member is None:
        abort(404)
    year = _year()
    return render_template(
        "counsellor/student_hours.html",
        school_class=school_class,
        student=member.student,
        entries=profminimum.student_entries(student_id, year),
        ledger=profminimum.class_ledger(school_class, year),
        direction_labels=DIRECTION_LABELS,
        form=TripActionForm(),
        year=year,
    )


@bp.post("/classes/<id:class_id>/hours/entries/<id:entry_id>/delete")
@role_required("counsellor")
def remove_entry(class_id: int, entry_id: int):
    """Remove one student's entry."""
    own_class(class_id)
    entry = profminimum.entry_of_counsellor(current_user, entry_id)
    if entry is None:
        abort(404)
    if not TripActionForm().validate_on_submit():
        abort(400)
    student_id, year = entry.student_id, profminimum.school_year(entry.held_on)
    profminimum.remove_entry(current_user, entry)
    flash(_("Запись удалена."), "success")
    return redirect(
        url_for("counsellor.student_hours", class_id=class_id, student_id=student_id, year=year),
        code=303,
    )


@bp.get("/classes/<id:class_id>/hours.csv")
@role_required("counsellor")
def hours_csv(class_id: int):
    """The class view as CSV."""
    ledger = profminimum.class_ledger(own_class(class_id), _year())
    return _export(profminimum.ledger_csv(ledger).encode(), "text/csv", ledger, "csv")


@bp.get("/classes/<id:class_id>/hours.xlsx")
@role_required("counsellor")
def hours_xlsx(class_id: int):
    """The class view as an Excel workbook."""
    ledger = profminimum.class_ledger(own_class(class_id), _year())
    mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _export(profminimum.ledger_xlsx(ledger), mimetype, ledger, "xlsx")


def _export(body: bytes, mimetype: str, ledger, ext: str) -> Response:
    name = f"profminimum-{ledger.school_class.id}-{ledger.year}.{ext}"
    return download(body, mimetype, name)
