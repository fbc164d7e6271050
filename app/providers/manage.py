"""Applying to register a training organisation, and owners managing their organisation's members."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.accounts import menu
from app.accounts.names import person_name
from app.accounts.permissions import is_signed_in
from app.i18n.countries import country_choices
from app.i18n.filters import field_text
from app.platform.confirmation import confirm_page
from app.platform.extensions import db
from app.platform.mail import external_url, send_mail
from app.providers import invitations, services
from app.providers.forms import AddMemberForm, ApplicationForm, RemoveMemberForm
from app.providers.models import Organisation
from app.providers.permissions import can_apply, can_manage_members, can_view_members, is_provider_member
from app.providers.services import ProviderError

bp = Blueprint("onboarding", __name__, url_prefix="/<lang:lang_code>/provider")
ORG_ID = "<int(max=2147483647):org_id>"

menu.register("onboarding.applications", _l("Register a training organisation"),
              lambda user: is_signed_in(user) and not is_provider_member(user))
menu.register("onboarding.members", _l("Organisation members"), is_provider_member)


@bp.route("/apply", methods=["GET", "POST"])
@login_required
def apply():
    if not can_apply(current_user):
        abort(403)
    existing = services.open_application(current_user)
    form = ApplicationForm(country_choices=country_choices(g.lang))
    if existing is None and form.validate_on_submit():
        try:
            services.submit_application(current_user, **{k: form[k].data for k in services.APPLICATION_FIELDS})
        except ProviderError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Thank you. Your application was sent; association staff will review it."), "success")
            return redirect(url_for("onboarding.applications"))
    status = 400 if request.method == "POST" else 200
    if existing is not None and request.method == "POST":
        flash(_("You already have an application waiting for review."), "error")
        status = 409
    return render_template("providers/apply.html", form=form, existing=existing), status


@bp.get("/applications")
@login_required
def applications():
    return render_template("providers/apply_list.html", applications=services.applications_of(current_user))


@bp.get("/members")
@login_required
def members_home():
    organisations = services.organisations_of(current_user)
    if not organisations:
        abort(404)
    if len(organisations) == 1:
        return redirect(url_for("onboarding.members", org_id=organisations[0][0].id))
    return render_template("providers/members_choose.html", organisations=organisations)


def _load(org_id: int, *, manage: bool = False) -> Organisation:
    """The organisation, if the signed-in person is one of its members (404 otherwise); with `manage`, one
    who may manage its members (403 otherwise)."""
    org = db.session.get(Organisation, org_id)
    if org is None or not can_view_members(current_user, org_id):
        abort(404)
    if manage and not can_manage_members(current_user, org.id):
        abort(403)
    return org


def _render_members(org: Organisation, add_form=None, status: int = 200):
    return render_template(
        "providers/members.html", org=org, members=services.members_of(org.id),
        can_manage=can_manage_members(current_user, org.id), add_form=add_form or AddMemberForm(),
        remove_form=RemoveMemberForm(),
    ), status


@bp.get(f"/members/{ORG_ID}")
@login_required
def members(org_id: int):
    return _render_members(_load(org_id))


@bp.post(f"/members/{ORG_ID}/add")
@login_required
def add_member(org_id: int):
    """Invite an address to join as staff; the answer is the same whether or not it has an account."""
    org = _load(org_id, manage=True)
    form = AddMemberForm()
    if not form.validate_on_submit():
        return _render_members(org, form, 400)
    try:
        sent = invitations.invite(org, form.email.data)
    except ProviderError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _render_members(org, form, 400)
    db.session.commit()
    if sent.token is not None:
        lang = sent.lang or g.lang
        send_mail(sent.to, lang, "member_invitation", org=org, inviter=current_user,
                  link=external_url("onboarding.invitation", lang, token=sent.token),
                  register_link=external_url("accounts.register", lang))
    flash(_("An invitation to join the organisation was sent to %(email)s. They become a member when they "
            "accept it.", email=sent.to), "success")
    return redirect(url_for("onboarding.members", org_id=org.id))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@login_required
def invitation(token: str):
    found = invitations.load(token)
    if found is None:
        return render_template("providers/invitation_invalid.html"), 404
    if not invitations.is_for(found, current_user):
        return render_template("providers/invitation.html", invitation=found, mine=False), 403
    if request.method == "POST":
        if invitations.accept(found, current_user._get_current_object()):
            db.session.commit()
            flash(_("You are now a member of %(name)s.", name=field_text(found.organisation, "name")), "success")
        else:
            flash(_("You are already a member of this organisation."), "success")
        return redirect(url_for("onboarding.members", org_id=found.organisation.id))
    return render_template("providers/invitation.html", invitation=found, mine=True)


@bp.get(f"/members/{ORG_ID}/remove")
@login_required
def confirm_remove_member(org_id: int):
    org = _load(org_id, manage=True)
    back = url_for("onboarding.members", org_id=org.id)
    raw = request.args.get("user_id", "")
    member = next((m for m in services.members_of(org.id) if str(m.user_id) == raw), None)
    if member is None:
        flash(_("That person is not a member of this organisation."), "error")
        return redirect(back)
    name = field_text(org, "name")
    if member.user_id == current_user.id:
        lines = [_("You leave %(org)s: you lose access to its courses, sessions, rosters and certificates at "
                   "once.", org=name)]
    else:
        lines = [_("%(person)s (%(email)s) is removed from %(org)s and loses access to its courses, sessions, "
                   "rosters and certificates at once.", person=person_name(member.user),
                   email=member.user.email or "", org=name)]
    lines.append(_("To give the access back, an owner sends a new invitation."))
    return confirm_page(title=_("Remove this member?"), lines=lines, button=_("Remove the member"), back=back,
                        hidden={"user_id": member.user_id}, undoable=True)


@bp.post(f"/members/{ORG_ID}/remove")
@login_required
def remove_member(org_id: int):
    org = _load(org_id, manage=True)
    form = RemoveMemberForm()
    raw = (form.user_id.data or "").strip()
    if not form.validate_on_submit() or not (raw.isascii() and raw.isdigit() and len(raw) <= 10):
        flash(_("That person is not a member of this organisation."), "error")
        return redirect(url_for("onboarding.members", org_id=org.id))
    try:
        services.remove_member(org, int(raw))
    except ProviderError as error:
        flash(str(error), "error")
        return redirect(url_for("onboarding.members", org_id=org.id))
    db.session.commit()
    flash(_("The member was removed."), "success")
    if not can_view_members(current_user, org.id):  # an owner who removed themselves (others remain)
        return redirect(url_for("accounts.overview"))
    return redirect(url_for("onboarding.members", org_id=org.id))
