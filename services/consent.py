"""Consent per purpose: who decided what, on which text, and what each decision allows.

A student under 14 (by the youngest age the birth year allows) cannot consent: a parent decides
each purpose through a signed link mailed to them (7 days, one answer, a new link on request).
From 14 the student decides for themselves, except sharing contact details with an employer,
which under 18 also needs a parent's confirmation by the same kind of link. Every decision is
a new ``Consent`` row; the newest of a purpose is in force, and withdrawing it stops that
processing in the same transaction (bookings cancelled, the profile out of the class picture).

The texts are versioned files in ``data/consent/`` (``<purpose>.<version>.yaml``); a decision
records the version it was given on.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import yaml
from flask import current_app, url_for
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import select

from extensions import db
from models import Booking, ClassMembership, Consent, ParentRequest, User
from models._common import utcnow
from models.consent import PURPOSES
from services import audit

SELF_CONSENT_AGE = 14  # 152-ФЗ, ст. 9; below it a parent decides
ADULT_AGE = 18
LINK_DAYS = 7
# What a parent of a child under 14 is asked at registration (contact sharing with employers
# is not offered to children under 14 at all).
CHILD_PURPOSES = ("account", "counsellor", "booking")
_LINK_SALT = "parent-consent"


class ConsentError(ValueError):
    """A decision that cannot be taken (by this person, for this purpose)."""


# --- the texts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentText:
    """One version of a purpose's text, in both languages."""

    purpose: str
    version: str
    texts: dict  # language -> {"title", "summary", "sections": [{"heading", "text"}]}

    def in_language(self, language: str) -> dict:
        return self.texts.get(language) or self.texts["ru"]


@cache
def _all_texts(folder: str) -> dict[str, list[ConsentText]]:
    found: dict[str, list[ConsentText]] = {}
    for path in sorted(Path(folder).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = ConsentText(
            data["purpose"], str(data["version"]), {"ru": data["ru"], "en": data["en"]}
        )
        found.setdefault(text.purpose, []).append(text)
    for versions in found.values():
        versions.sort(key=lambda t: t.version)
    return found


def text_of(purpose: str, version: str | None = None) -> ConsentText:
    """The current text of a purpose, or the version asked for."""
    versions = _all_texts(str(current_app.config["DATA_DIR"] / "consent"))[purpose]
    if version is None:
        return versions[-1]
    return next(t for t in versions if t.version == version)


# --- who decides -----------------------------------------------------------------------------


def youngest_age(student: User, today: date | None = None) -> int | None:
    """The youngest age the birth year allows (birthday still to come this year)."""
    if student.birth_year is None:
        return None
    return (today or date.today()).year - student.birth_year - 1


def parent_decides(student: User, purpose: str) -> bool:
    """Whether this purpose is a parent's to decide for this student."""
    age = youngest_age(student)
    if age is None or age < SELF_CONSENT_AGE:
        return True
    return purpose == "employer_contact" and age < ADULT_AGE


# --- what is in force --------------------------------------------------------------------------


def current(student: User, purpose: str) -> Consent | None:
    """The newest decision of a purpose, if any."""
    return db.session.scalar(
        select(Consent)
        .where(Consent.user_id == student.id, Consent.purpose == purpose)
        .order_by(Consent.id.desc())
        .limit(1)
    )


def in_force(student: User) -> dict[str, Consent | None]:
    """The newest decision of every purpose."""
    rows = db.session.scalars(
        select(Consent).where(Consent.user_id == student.id).order_by(Consent.id)
    )
    latest: dict[str, Consent | None] = dict.fromkeys(PURPOSES)
    for row in rows:
        latest[row.purpose] = row
    return latest


def allows(student: User, purpose: str) -> bool:
    """Whether the student's data may be processed for ``purpose`` now. Every purpose stands
    on the account one."""
    if student.role != "student":
        return True
    decisions = in_force(student)
    wanted = decisions[purpose]
    account = decisions["account"]
    return bool(wanted and wanted.active and account and account.active)


def _sync_state(student: User) -> None:
    """Keep ``User.consent_state`` (the account purpose in one word) with the records."""
    account = current(student, "account")
    if account is None:
        student.consent_state = "pending"
    elif account.active:
        student.consent_state = "granted" if account.given_by == "parent" else "not_required"
    else:
        student.consent_state = "withdrawn"


# --- deciding ----------------------------------------------------------------------------------


def decide(
    student: User,
    purpose: str,
    granted: bool,
    by: str,
    request: ParentRequest | None = None,
) -> Consent:
    """Record a decision on the current text (the caller commits). A decision by the student
    on a purpose that is a parent's is refused."""
    if purpose not in PURPOSES:
        raise ConsentError(purpose)
    if by == "student" and parent_decides(student, purpose):
        raise ConsentError("parent_decides")
    before = current(student, purpose)
    row = Consent(
        user=student,
        purpose=purpose,
        granted=granted,
        version=text_of(purpose).version,
        given_by=by,
        request_id=request.id if request else None,
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        "consent.given" if granted else "consent.declined",
        student,
        actor=student if by == "student" else None,
        purpose=purpose,
        by=by,
        version=row.version,
    )
    if not granted and before is not None and before.active:
        _stop(student, purpose, by)
    _sync_state(student)
    return row


def withdraw(student: User, purpose: str, by: str) -> None:
    """Withdraw a purpose's consent; its processing stops now (the caller commits)."""
    row = current(student, purpose)
    if row is None or not row.active:
        return
    if by == "student" and parent_decides(student, purpose):
        raise ConsentError("parent_decides")
    row.withdrawn_at, row.withdrawn_by = utcnow(), by
    audit.record("consent.withdrawn", student, purpose=purpose, by=by)
    _stop(student, purpose, by)
    _sync_state(student)


def _stop(student: User, purpose: str, by: str) -> None:
    """What ending a purpose ends: bookings (booking, account), class places (account).
    The class picture reads the consents themselves, so it changes with no work here."""
    from services import booking as booking_service

    if purpose in ("booking", "account"):
        for booking in live_bookings(student):
            booking_service.end_for_privacy(booking, "consent_withdrawn")
    if purpose == "account":
        for membership in db.session.scalars(
            select(ClassMembership).where(ClassMembership.student_id == student.id)
        ):
            db.session.delete(membership)


def live_bookings(student: User) -> list[Booking]:
    """The student's own bookings still to come (in session order: locks taken in order)."""
    rows = db.session.scalars(
        select(Booking)
        .where(
            Booking.booked_by_id == student.id,
            Booking.kind == "individual",
            Booking.state.in_(("confirmed", "waitlisted", "offered")),
        )
        .order_by(Booking.session_id)
    ).all()
    return [b for b in rows if b.session.is_upcoming]


# --- links for parents -------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_LINK_SALT)


def ask_parent(student: User, parent_email: str, purposes: tuple[str, ...]) -> ParentRequest:
    """Mail a parent a link to decide ``purposes`` for the student (the caller commits)."""
    from services import account_mail

    request = ParentRequest(
        student=student,
        parent_email=parent_email.strip().lower(),
        purposes=list(purposes),
        nonce=secrets.token_hex(16),
        expires_at=utcnow() + timedelta(days=LINK_DAYS),
    )
    db.session.add(request)
    db.session.flush()
    token = _serializer().dumps({"r": request.id, "n": request.nonce})
    account_mail.send(
        request.parent_email,
        "parent_consent",
        student.locale,
        child=student.display_name,
        link=url_for("consent.parent", token=token),
        days=LINK_DAYS,
        purposes=[text_of(p).in_language(student.locale or "ru")["title"] for p in purposes],
    )
    audit.record("consent.asked", student, purposes=list(purposes))
    return request


@dataclass(frozen=True)
class Link:
    """What a parent's link leads to: the request, and whether it can still be answered."""

    request: ParentRequest
    state: str  # "open", "expired", "answered"


def link_for(token: str) -> Link | None:
    """The request a link was made for (None for anything not made by us)."""
    try:
        data = _serializer().loads(token)
    except BadData:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("r"), int):
        return None
    request = db.session.get(ParentRequest, data["r"]) if 0 < data["r"] < 2**31 else None
    if request is None or not secrets.compare_digest(str(data.get("n")), request.nonce):
        return None
    if request.answered_at is not None:
        return Link(request, "answered")
    if request.expires_at <= utcnow():
        return Link(request, "expired")
    return Link(request, "open")


def answer(request: ParentRequest, decisions: dict[str, bool]) -> None:
    """Record a parent's decisions, one per purpose asked; the link is then used up."""
    student = request.student
    for purpose in request.purposes:
        if purpose in decisions:
            decide(student, purpose, decisions[purpose], "parent", request)
    request.answered_at = utcnow()
    db.session.commit()


def renew(request: ParentRequest) -> ParentRequest:
    """A new link to the same parent for the same purposes (an expired or used one)."""
    fresh = ask_parent(request.student, request.parent_email, tuple(request.purposes))
    db.session.commit()
    return fresh


def last_parent_email(student: User) -> str | None:
    """The address the newest link went to (to say where it went, masked)."""
    return db.session.scalar(
        select(ParentRequest.parent_email)
        .where(ParentRequest.student_id == student.id)
        .order_by(ParentRequest.id.desc())
        .limit(1)
    )


def masked(email: str | None) -> str:
    """``m***@mail.ru``: enough for the family to recognise, too little for anyone else."""
    if not email or "@" not in email:
        return ""
    local, domain = email.split("@", 1)
    return f"{local[:1]}***@{domain}"
