"""A student's data: everything held about them, as one JSON document, and deleting it.

Deleting removes the personal data at once — the account row (name, e-mail, birth year),
test answers and free text, saved professions, class places, the «Профминимум» entries, the
notifications, consents and parents' addresses, responses to offers, feedback comments — and
keeps only what cannot name anyone: past visits and ratings with no author, which the region's
statistics count. Upcoming bookings are cancelled first, through the booking core, so their
seats go to whoever waits.
"""

from __future__ import annotations

import json

from sqlalchemy import delete, select, update

from extensions import db
from models import (
    AuditEntry,
    Booking,
    CareerActivity,
    ClassMembership,
    Consent,
    DismissedProfession,
    Feedback,
    InterestProfile,
    Notification,
    ParentRequest,
    ShortlistEntry,
    User,
    VacancyResponse,
)
from services import audit

FILE_NAME = "profmarshrut-data.json"


def _iso(value):
    return value.isoformat() if value is not None else None


def export(student: User) -> dict:
    """Everything the site holds about the student, readable by a person."""
    sid = student.id

    def rows(model, column):
        return db.session.scalars(select(model).where(column == sid).order_by(model.id)).all()

    return {
        "account": {
            "display_name": student.display_name,
            "email": student.email,
            "birth_year": student.birth_year,
            "grade": student.grade,
            "language": student.locale,
            "created_at": _iso(student.created_at),
            "last_login_at": _iso(student.last_login_at),
        },
        "consents": [
            {
                "purpose": c.purpose,
                "decision": "given" if c.granted else "declined",
                "text_version": c.version,
                "given_by": c.given_by,
                "at": _iso(c.created_at),
                "withdrawn_at": _iso(c.withdrawn_at),
            }
            for c in rows(Consent, Consent.user_id)
        ],
        "parent_links": [
            {
                "sent_to": r.parent_email,
                "sent_at": _iso(r.created_at),
                "answered_at": _iso(r.answered_at),
            }
            for r in rows(ParentRequest, ParentRequest.student_id)
        ],
        "interest_tests": [
            {
                "at": _iso(p.created_at),
                "riasec": p.riasec,
                "subjects": p.subjects,
                "in_your_words": p.interests,
                "answers": p.answers,
            }
            for p in rows(InterestProfile, InterestProfile.user_id)
        ],
        "saved_professions": [
            e.profession.title for e in rows(ShortlistEntry, ShortlistEntry.user_id)
        ],
        "set_aside_professions": [
            {"profession": d.profession.title, "why": d.reason, "at": _iso(d.created_at)}
            for d in rows(DismissedProfession, DismissedProfession.user_id)
        ],
        "classes": [
            {"class": m.school_class.name, "school": m.school_class.school.name}
            for m in rows(ClassMembership, ClassMembership.student_id)
        ],
        "bookings": [
            {
                "tour": b.session.tour.title,
                "enterprise": b.session.tour.enterprise.name,
                "starts_at": _iso(b.session.starts_at),
                "state": b.state,
            }
            for b in rows(Booking, Booking.booked_by_id)
        ],
        "profminimum": [
            {
                "date": _iso(a.held_on),
                "hours": float(a.hours),
                "direction": a.direction,
                "title": a.title,
            }
            for a in rows(CareerActivity, CareerActivity.student_id)
        ],
        "feedback": [
            {
                "rating": f.rating,
                "comment": f.comment,
                "to_change": f.to_change,
                "interest_changed": f.interest_changed,
                "at": _iso(f.created_at),
            }
            for f in rows(Feedback, Feedback.author_id)
        ],
        "offer_responses": [
            {"offer": r.vacancy.title, "message": r.message, "state": r.state}
            for r in rows(VacancyResponse, VacancyResponse.student_id)
        ],
        "notifications": [
            {"at": _iso(n.created_at), "kind": n.kind, "message": n.message}
            for n in rows(Notification, Notification.user_id)
        ],
    }


def export_json(student: User) -> str:
    """``export`` as the JSON file a person downloads."""
    return json.dumps(export(student), ensure_ascii=False, indent=2)


def delete_student(student: User, by: str) -> None:
    """Delete the student's account and personal data now (``by``: "student" or "parent")."""
    from services import booking as booking_service
    from services import consent

    for booking in consent.live_bookings(student):
        booking_service.end_for_privacy(booking, "account_deleted")
    sid = student.id
    # What stays, anonymous: visits (for the statistics) and ratings without their comments.
    db.session.execute(update(Booking).where(Booking.booked_by_id == sid).values(booked_by_id=None))
    db.session.execute(
        update(Feedback)
        .where(Feedback.author_id == sid)
        .values(author_id=None, comment="", to_change="")
    )
    for model, column in (
        (InterestProfile, InterestProfile.user_id),
        (ShortlistEntry, ShortlistEntry.user_id),
        (DismissedProfession, DismissedProfession.user_id),
        (ClassMembership, ClassMembership.student_id),
        (CareerActivity, CareerActivity.student_id),
        (Notification, Notification.user_id),
        (VacancyResponse, VacancyResponse.student_id),
        (Consent, Consent.user_id),
        (ParentRequest, ParentRequest.student_id),
    ):
        db.session.execute(delete(model).where(column == sid))
    # The audit log keeps that something happened, never to whom: entries about the student
    # lose the id, and the student as actor becomes "nobody".
    db.session.execute(
        update(AuditEntry)
        .where(AuditEntry.object_type == "User", AuditEntry.object_id == sid)
        .values(object_id=None)
    )
    db.session.execute(update(AuditEntry).where(AuditEntry.actor_id == sid).values(actor_id=None))
    db.session.delete(student)
    audit.record("account.deleted", None, by=by, role="student")
    db.session.commit()
