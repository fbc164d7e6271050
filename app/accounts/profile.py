"""The person's own account pages: profile and consent, password, sessions, data export, deletion."""
from __future__ import annotations

import json
import re
from datetime import timedelta

from flask import Response, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import format_timedelta, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts import privacy, queries, services
from app.accounts.models import ConsentKind, NameOrder
from app.accounts.names import display_name
from app.accounts.passwords import verify_password
from app.accounts.profile_forms import ChangePasswordForm, DeleteAccountForm, ProfileForm
from app.accounts.routes import bp
from app.accounts.sessions import end_other_sessions, end_session, start_session
from app.audit.services import record
from app.i18n import LANGUAGES, formatting
from app.i18n.countries import country_choices, default_timezone
from app.legal import CONSENT_VERSION
from app.platform import ratelimit
from app.platform.database import utcnow
from app.platform.extensions import db
from app.platform.mail import external_url, send_mail

PASSWORD_TRIES, PASSWORD_WINDOW = 5, 15 * 60


def own_zone() -> str:
    return current_user.timezone or default_timezone(current_user.country)


def local_time(value) -> str:
    """A moment in the reader's own time zone: 25 Nov 2026, 09:30 / 2026年11月25日 9:30."""
    if value is None:
        return ""
    local = formatting.in_zone(value, own_zone())
    return f"{formatting.format_day(local, g.lang)} {formatting.format_clock(local, g.lang)}"


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
             ("Chromium/", "Chromium"), ("Safari/", "Safari"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))


def short_agent(agent: str | None) -> str:
    """"Firefox on Windows" from a user-agent string; the first characters when nothing is recognised."""
    agent = agent or ""
    browser = next((name for mark, name in _BROWSERS if mark in agent), None)
    system = next((name for mark, name in _SYSTEMS if mark in agent), None)
    if browser and system:
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    return browser or system or re.sub(r"\s+", " ", agent)[:40] or _("Unknown browser")


def _password_checked(password: str) -> bool | None:
    """Whether `password` is the signed-in person's; None while too many wrong tries are counted."""
    key = f"password:account:{current_user.id}"
    if not ratelimit.peek(key, PASSWORD_TRIES, PASSWORD_WINDOW).allowed:
        return None
    if verify_password(current_user.password_hash, password):
        return True
    verdict = ratelimit.hit(key, PASSWORD_TRIES, PASSWORD_WINDOW)
    db.session.commit()  # the count stays whatever happens next
    return False if verdict.allowed else None


def _refused_password(ok: bool | None, field) -> int:
    if ok is None:
        wait = format_timedelta(timedelta(seconds=PASSWORD_WINDOW), threshold=1)
        field.errors.append(_("Too many wrong passwords. Please wait up to %(wait)s and try again.", wait=wait))
        return 429
    field.errors.append(_("That is not your current password."))
    return 400


def _suggested_order(user) -> NameOrder:
    return services.suggested_name_order(user.family_name, user.given_name)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    user = current_user._get_current_object()
    consent = queries.live_consent(user.id, ConsentKind.SHARE_WITH_PROVIDERS)
    form = ProfileForm(obj=user, share_with_providers=consent is not None)
    form.set_choices(country_choices(g.lang), _("Usual zone of my country"))
    if request.method == "GET" and not user.timezone and user.country:
        form.timezone.data = default_timezone(user.country)
    if form.validate_on_submit():
        values = {name: form[name].data for name in privacy.PROFILE_FIELDS}
        changed = privacy.update_profile(user, values)
        consent_changed = privacy.set_share_consent(user, form.share_with_providers.data, CONSENT_VERSION)
        db.session.commit()
        saved = changed or consent_changed
        flash(_("Your profile is saved.") if saved else _("Nothing was changed."), "success")
        return redirect(url_for("accounts.profile", lang_code=user.preferred_language if "preferred_language"
                                in changed else g.lang))
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/profile.html", form=form, consent=consent, suggested=_suggested_order(user),
                           shown_as={lang: display_name(user, lang) for lang in LANGUAGES},
                           local_time=local_time), status


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    user = current_user._get_current_object()
    form = ChangePasswordForm(user)
    status = 200
    if form.validate_on_submit():
        ok = _password_checked(form.current_password.data)
        if ok:
            services.set_password(user, form.password.data)
            # Every session ends, this one too, and this browser gets a fresh one: a copy of its old
            # cookie (the reason someone changes a password) is refused from now on.
            ended = end_other_sessions(user, keep_current=True)
            end_other_sessions(user, keep_current=False)
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            start_session(user, remember=remembered)
            db.session.commit()
            send_mail(user.email, user.preferred_language, "password_changed", user=user,
                      reset_link=external_url("accounts.forgot_password", user.preferred_language))
            flash(ngettext("Your password is changed. You stay signed in here; %(num)s other sign-in has ended.",
                           "Your password is changed. You stay signed in here; %(num)s other sign-ins have ended.",
                           ended), "success")
            return redirect(url_for("accounts.overview"))
        status = _refused_password(ok, form.current_password)
    elif request.method == "POST":
        status = 400
    return render_template("accounts/profile_password.html", form=form), status


@bp.get("/sessions")
@login_required
def sessions():
    rows = queries.live_sessions(current_user.id)
    return render_template("accounts/profile_sessions.html", rows=rows, current_id=g.get("user_session_id"),
                           zone=own_zone(), local_time=local_time, short_agent=short_agent)


@bp.post("/sessions/end-others")
@login_required
def sign_out_others():
    ended = end_other_sessions(current_user, keep_current=True)
    db.session.commit()
    flash(ngettext("You are signed out on every other device (%(num)s sign-in ended).",
                   "You are signed out on every other device (%(num)s sign-ins ended).", ended), "success")
    return redirect(url_for("accounts.sessions"))


@bp.get("/export")
@login_required
def export():
    data = privacy.export_data(current_user._get_current_object())
    day = utcnow().date().isoformat()
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f"attachment; filename=battery-talent-bridge-{day}.json"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    user = current_user._get_current_object()
    form = DeleteAccountForm()
    lonely = privacy.deletion_blockers(user)
    status = 200
    if form.validate_on_submit() and not lonely:
        ok = _password_checked(form.password.data)
        if ok:
            try:
                after_commit = privacy.delete_account(user)
            except privacy.LastOwnerError as error:  # an owner left between the page and the post
                db.session.rollback()
                return render_template("accounts/profile_delete.html", form=form, lonely=error.organisations), 409
            record("account.delete", "user", user.id)
            end_session()
            db.session.commit()
            session.clear()
            for then in after_commit:  # e.g. the learner promoted to the seat this account held
                then()
            return redirect(url_for("accounts.goodbye"))
        status = _refused_password(ok, form.password)
    elif request.method == "POST":
        status = 409 if lonely else 400
    return render_template("accounts/profile_delete.html", form=form, lonely=lonely), status


@bp.get("/goodbye")
def goodbye():
    return render_template("accounts/profile_goodbye.html")
