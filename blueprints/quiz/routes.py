"""The interest test, screen by screen, and the recommendations page."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.quiz import bp
from blueprints.quiz.forms import ExtrasForm, StartForm, field_name, step_form
from matching import RIASEC, StudentProfile
from matching.explain import top_areas
from rendering import client_redirect, render_page_or_fragment, wants_fragment
from services import dismissals, quiz, student_actions
from services.professions import professions_by_slugs
from services.reasons import AREA_WORDS, DISMISS_REASON_LABELS, saved_line
from services.recommendations import recommend
from services.visits import session_lines, student_bookings_by_session


def _data_dir():
    return current_app.config["DATA_DIR"]


def _student():
    user = current_user if current_user.is_authenticated else None
    return user if user is not None and user.role == "student" else None


@bp.get("/quiz")
def intro():
    """What the test is, which form to take, and where to resume."""
    progress = quiz.state(session)
    return render_template("quiz/intro.html", form=StartForm(), progress=progress)


@bp.post("/quiz/start")
def start():
    """Begin the chosen form afresh."""
    form = StartForm()
    if not form.validate_on_submit():
        return render_template("quiz/intro.html", form=form, progress=None), 422
    quiz.start(session, form.length.data)
    return redirect(url_for("quiz.step", number=1), code=303)


def _render_step(number: int, form, status: int = 200, push: bool = False):
    progress = quiz.state(session)
    total = quiz.screen_count(progress["form"], _data_dir())
    context = {
        "form": form,
        "number": number,
        "total": total,
        "items": quiz.screen_items(progress["form"], number, _data_dir()),
        "field_name": field_name,
        "is_student": _student() is not None,
    }
    push_url = url_for("quiz.step", number=number) if push else None
    return render_page_or_fragment("quiz/step.html", "quiz/_step.html", status, push_url, **context)


def _form_for(number: int):
    progress = quiz.state(session)
    total = quiz.screen_count(progress["form"], _data_dir())
    if number == total:
        return ExtrasForm(
            data={
                "subjects": progress["subjects"],
                "interests": progress["interests"],
                "age": progress.get("age"),
            }
        )
    items = quiz.screen_items(progress["form"], number, _data_dir())
    return step_form(items, progress["answers"])


@bp.get("/quiz/step/<id:number>")
def step(number: int):
    """One screen of the test (a fragment for htmx)."""
    progress = quiz.state(session)
    if progress is None:
        return redirect(url_for("quiz.intro"))
    if number > quiz.screen_count(progress["form"], _data_dir()):
        abort(404)
    return _render_step(number, _form_for(number))


@bp.post("/quiz/step/<id:number>")
def save_step(number: int):
    """Keep this screen's answers, then go back, forward, or to the results."""
    progress = quiz.state(session)
    if progress is None:
        return redirect(url_for("quiz.intro"), code=303)
    total = quiz.screen_count(progress["form"], _data_dir())
    if number > total:
        abort(404)
    form = _form_for(number)
    going_back = request.form.get("go") == "back"
    if not form.validate_on_submit():
        return _render_step(number, form, status=422)
    if number == total:
        quiz.record_extras(
            session, form.subjects.data or [], form.interests.data or "", form.age.data
        )
    else:
        items = quiz.screen_items(progress["form"], number, _data_dir())
        given = {i.code: form[field_name(i)].data for i in items}
        quiz.record_answers(session, {k: v for k, v in given.items() if v}, _data_dir())
        missing = [i for i in items if not given[i.code]]
        if missing and not going_back:
            for item in missing:
                form[field_name(item)].errors = [_("Выберите ответ.")]
            return _render_step(number, form, status=422)
    if going_back:
        target = max(1, number - 1)
        return _go(target)
    if number < total:
        return _go(number + 1)
    quiz.finish(session, _data_dir())
    if _student() is not None:
        quiz.save_for_student(current_user, session)
    return client_redirect(url_for("quiz.results"))


def _go(number: int):
    if wants_fragment():
        return _render_step(number, _form_for(number), push=True)
    return redirect(url_for("quiz.step", number=number), code=303)


@bp.get("/recommendations")
def results():
    """The student's interest profile and what it recommends, with reasons."""
    result = quiz.latest_result(_student(), session)
    if result is None:
        return render_template("quiz/no_result.html")
    student = _student()
    age = result.age
    if student is not None and student.birth_year:
        age = student.age_in(date.today().year)
    profile = StudentProfile(
        interests=result.interests,
        subjects=tuple(result.subjects),
        riasec=None if result.flat else result.riasec,
        age=age,
        grade=student.grade if student is not None else None,
    )
    learnt = student_actions.learnt(student, session)
    found = {"professions": [], "tours": []}
    if not profile.is_empty():
        found = recommend(profile, details=True, learnt=learnt)
    series = [{"label": _("Вы"), "values": [result.riasec[a] for a in RIASEC]}]
    session_ids = [t["next_session"]["id"] for t in found["tours"]]
    return render_template(
        "quiz/results.html",
        result=result,
        found=found,
        student=student,
        chart_series=series,
        lines=session_lines(session_ids),
        mine=student_bookings_by_session(student, session_ids),
        learnt=learnt,
        saved_line=saved_line(learnt.saved) if learnt.saved else "",
        just_set_aside=_just_set_aside(learnt),
        dismiss_reasons=DISMISS_REASON_LABELS,
        **_history(student),
    )


def _history(student) -> dict:
    """A signed-in student's earlier tests (newest first) and what moved since the last one."""
    past = quiz.history(student) if student is not None else []
    return {
        "past": [(p, top_areas(p.riasec)) for p in past],
        "moved": quiz.moves(past[0], past[1]) if len(past) > 1 else [],
        "area_words": AREA_WORDS,
    }


def _just_set_aside(learnt):
    """The profession set aside a moment ago (``?set_aside=slug``), to ask why."""
    slug = request.args.get("set_aside", "")
    return next((s for s in learnt.set_aside if s.slug == slug), None)


@bp.post("/recommendations/<any(dismiss, restore):action>")
def set_aside(action: str):
    """«Не интересно» on a recommended profession (again, with why), or bringing it back."""
    slug = request.form.get("slug", "")
    why = request.form.get("why") or None
    found = professions_by_slugs([slug])
    if not found or (why is not None and why not in dismissals.REASONS):
        abort(400)  # a form that names no profession of the catalogue, or no known reason
    profession = found[0]
    user = _student()
    if action == "restore":
        dismissals.restore(profession, user, session)
        return redirect(url_for("quiz.results"), code=303)
    dismissals.dismiss(profession, why, user, session)
    if why is None:
        message = _("«%(title)s» больше не показываем; похожие профессии теперь ниже.")
    elif why in dismissals.KEEPS_SIMILAR:
        message = _("Спасибо. «%(title)s» убрали, а похожие профессии оставили на местах.")
    else:
        message = _("Спасибо. «%(title)s» убрали, похожие профессии теперь ниже.")
    flash(message % {"title": profession.title}, "success")
    if why is None:
        return redirect(url_for("quiz.results", set_aside=slug, _anchor="why-h"), code=303)
    return redirect(url_for("quiz.results"), code=303)
