"""The enterprise's team: its staff and open invitations; an owner invites, revokes, removes
and hands ownership over. And the invitation's link, where the colleague joins (signed in with
the invited address, or registering with it there and then)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from access import role_required
from blueprints.auth.routes import sign_in
from blueprints.employer import bp
from blueprints.employer.forms_team import ActionForm, InviteForm, InviteRegistrationForm
from extensions import db, limiter
from models import EnterpriseStaff, StaffInvite
from rendering import client_redirect, render_page_or_fragment
from services import team as team_service
from services import team_invites
from services.accounts import AccountError, find_user
from services.team import NotOwner, TeamRefused

REFUSALS = {
    "on_team": _l("Этот сотрудник уже в команде предприятия."),
    "too_many": _l(
        "Открытых приглашений уже %(n)s — отзовите ненужные или дождитесь, пока их примут.",
        n=team_invites.MAX_OPEN_INVITES,
    ),
    "last_owner": _l(
        "Вы единственный владелец: сначала передайте права владельца другому сотруднику."
    ),
    "already_owner": _l("Этот сотрудник уже владелец."),
}


def own_link() -> EnterpriseStaff:
    """The signed-in employer's approved link to their enterprise, or 404 (staff awaiting
    approval, or removed, have no team pages)."""
    link = team_service.my_link(current_user)
    if link is None:
        abort(404)
    return link


def _owner_only(link: EnterpriseStaff) -> None:
    if not link.is_owner:
        abort(403)


def _submitted() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


def _team_page(link: EnterpriseStaff, form: InviteForm | None = None, status: int = 200):
    return render_page_or_fragment(
        "employer/team.html",
        "employer/_team.html",
        status,
        link=link,
        members=team_service.members(link.enterprise),
        invites=team_invites.open_invites(link.enterprise) if link.is_owner else [],
        form=form or InviteForm(),
        action=ActionForm(),
        owners=len(team_service.owners(link.enterprise_id)),
        days=team_invites.INVITE_DAYS,
    )


@bp.get("/team")
@role_required("employer")
def team():
    """The enterprise's staff; for an owner also their e-mails, the open invitations and the
    form to invite a colleague."""
    link = own_link()
    if not link.is_owner:
        team_service.ensure_owner(link.enterprise)  # staff approved before owners existed
    return _team_page(link)


@bp.post("/team/invite")
@role_required("employer")
def send_invite():
    """Invite a colleague by e-mail (owners only): the link goes out after the commit."""
    link = own_link()
    _owner_only(link)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            row = team_invites.invite(link, form.email.data, form.position.data)
        except TeamRefused as refusal:
            db.session.rollback()
            form.email.errors.append(REFUSALS[refusal.code])
        else:
            flash(_("Приглашение отправлено на %(email)s.", email=row.email), "success")
            return client_redirect(url_for("employer.team"))
    return _team_page(link, form, 422)


@bp.post("/team/invites/<id:invite_id>/revoke")
@role_required("employer")
def revoke_invite(invite_id: int):
    """Revoke an open invitation (owners only): its link stops working at once."""
    link = own_link()
    _submitted()
    try:
        if not team_invites.revoke(link, invite_id):
            abort(404)
    except NotOwner:
        abort(403)
    flash(_("Приглашение отозвано."), "success")
    return client_redirect(url_for("employer.team"))


def _member(link: EnterpriseStaff, link_id: int) -> EnterpriseStaff:
    """A member of the signed-in owner's team, or 404 (another enterprise's link is not even
    confirmed to exist); 403 for a member who is not an owner."""
    target = team_service.member(link.enterprise, link_id)
    if target is None:
        abort(404)
    _owner_only(link)
    _submitted()
    return target


@bp.post("/team/<id:link_id>/remove")
@role_required("employer")
def remove_member(link_id: int):
    """Take a member off the team (owners only); an owner leaves only while another stays."""
    link = own_link()
    target = _member(link, link_id)
    name, leaving = target.user.display_name, target.id == link.id
    try:
        team_service.remove(link, target)
    except TeamRefused as refusal:
        db.session.rollback()
        flash(REFUSALS[refusal.code], "error")
        return client_redirect(url_for("employer.team"))
    if leaving:
        flash(_("Вы вышли из команды предприятия."), "info")
        return client_redirect(url_for("employer.dashboard"))
    flash(_("%(name)s больше не в команде.", name=name), "success")
    return client_redirect(url_for("employer.team"))


@bp.post("/team/<id:link_id>/owner")
@role_required("employer")
def hand_over(link_id: int):
    """Make another member the owner in place of the signed-in one (owners only)."""
    link = own_link()
    target = _member(link, link_id)
    try:
        team_service.hand_over(link, target)
    except TeamRefused as refusal:
        db.session.rollback()
        flash(REFUSALS[refusal.code], "error")
    else:
        flash(_("Теперь владелец — %(name)s.", name=target.user.display_name), "success")
    return client_redirect(url_for("employer.team"))


# --- the invitation's link ---------------------------------------------------------------------


def _closed_page(row: StaffInvite, reason: str):
    page = render_template(
        "employer/invite_closed.html", invite=row, reason=reason, days=team_invites.INVITE_DAYS
    )
    return page, 410


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"])
def invite(token: str):
    """The mailed link: join the enterprise signed in with the invited address, or create an
    employer account for it here; a closed invitation says why, an unknown token is a 404."""
    row = team_invites.find_invite(token)
    if row is None:
        abort(404)
    if reason := team_invites.why_closed(row):
        return _closed_page(row, reason)
    if not current_user.is_authenticated:
        return _invite_for_visitor(row)
    if not team_invites.is_for(row, current_user):
        return render_template("employer/invite.html", invite=row, state="other"), 403
    if request.method == "POST":
        _submitted()
        try:
            team_invites.accept(row.id, current_user._get_current_object())
        except TeamRefused as refusal:
            db.session.rollback()
            return _closed_page(row, refusal.code)
        flash(_("Вы в команде предприятия «%(name)s».", name=row.enterprise.name), "success")
        return redirect(url_for("employer.team"), code=303)
    return render_template("employer/invite.html", invite=row, state="join", action=ActionForm())


def _invite_for_visitor(row: StaffInvite):
    """A visitor signs in, or registers with the invited address (unless it has an account)."""
    has_account = find_user(row.email) is not None
    form = InviteRegistrationForm(email=row.email)
    if not has_account and form.validate_on_submit():
        try:
            user = team_invites.register_and_accept(
                row.id, form.display_name.data, form.password.data
            )
        except AccountError:  # registered a moment ago in another tab
            db.session.rollback()
            has_account = True
        except TeamRefused as refusal:
            db.session.rollback()
            return _closed_page(row, refusal.code)
        else:
            sign_in(user)
            flash(_("Учётная запись создана, вы в команде предприятия."), "success")
            return redirect(url_for("employer.team"), code=303)
    status = 422 if request.method == "POST" else 200
    login = url_for("auth.login", next=request.path, email=row.email)
    return render_template(
        "employer/invite.html",
        invite=row,
        state="visitor",
        has_account=has_account,
        form=form,
        login=login,
    ), status
