"""Registering, activating, signing in and out, and resetting a forgotten password."""
from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import format_timedelta, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts import services, tokens
from app.accounts.forms import ForgotPasswordForm, RegisterForm, ResetPasswordForm, SignInForm, SignOutEverywhereForm
from app.accounts.models import AccountStatus, User
from app.accounts.permissions import needs_second_factor
from app.accounts.services import SignInResult
from app.accounts.sessions import end_other_sessions, end_session, start_session
from app.accounts.signals import revoke_other_credentials
from app.i18n.countries import country_choices, default_timezone
from app.legal import CONSENT_VERSION
from app.platform.database import reads_first, write_transaction
from app.platform.extensions import db
from app.platform.mail import external_url, send_mail
from app.platform.redirects import safe_next

bp = Blueprint("accounts", __name__, url_prefix="/<lang:lang_code>/account")
PENDING = "pending_sign_in"  # the session key holding a password-checked sign-in awaiting its second factor


def client_address() -> str:
    return request.remote_addr or "unknown"


@bp.route("/register", methods=["GET", "POST"])
def register():
    # Where the person was going (a course they wanted to book): through the activation link and back there.
    target = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(target or url_for("accounts.overview"))
    form = RegisterForm()
    form.country.choices = [("", _("Choose…"))] + list(country_choices(g.lang))
    if request.method == "GET":
        form.preferred_language.data = g.lang
    if request.method == "POST" and not (verdict := services.registration_allowed(client_address())).allowed:
        db.session.commit()  # the counter
        wait = format_timedelta(timedelta(seconds=verdict.retry_after), threshold=1)
        return render_template("accounts/register_limited.html", wait=wait), 429, {
            "Retry-After": str(verdict.retry_after)}
    if form.validate_on_submit():
        country = form.country.data or None
        outcome = services.register(
            form.email.data, form.password.data, preferred_language=form.preferred_language.data,
            family_name=form.family_name.data, given_name=form.given_name.data, country=country,
            **form.name_readings(),
            timezone=default_timezone(country) if country else None,
            share_with_providers=form.share_with_providers.data, consent_version=CONSENT_VERSION,
        )
        mail_allowed = services.registration_mail_allowed(form.email.data)
        db.session.commit()
        user = outcome.user
        if not mail_allowed:
            pass  # the mailbox had its share this hour: the same answer, no mail
        elif outcome.created:
            link = external_url("accounts.activate", user.preferred_language, token=tokens.activation_token(user),
                                next=target)
            send_mail(user.email, user.preferred_language, "activate", user=user, link=link)
        else:  # the same answer on the page; the address's owner learns of it by mail
            send_mail(user.email, user.preferred_language, "account_exists", user=user,
                      sign_in_link=external_url("accounts.sign_in", user.preferred_language, next=target),
                      reset_link=external_url("accounts.forgot_password", user.preferred_language))
        return redirect(url_for("accounts.check_mail"))
    return render_template("accounts/register.html", form=form, next=target)


@bp.get("/check-your-mail")
def check_mail():
    return render_template("accounts/check_mail.html")


@bp.get("/activate/<token>")
def activate(token: str):
    """Opening the link proves the address: the account becomes active and the person is signed in, then
    taken where they were going (`next`, a path on this site) -- unless their role needs a second factor."""
    target = safe_next(request.args.get("next"))
    user = tokens.user_for_activation(token)
    if user is None:
        return render_template("accounts/link_invalid.html"), 404
    services.activate(user)
    if needs_second_factor(user) or user.has_second_factor:
        db.session.commit()
        flash(_("Your account is active. Please sign in."), "success")
        return redirect(url_for("accounts.sign_in", next=target))
    session.clear()  # a fresh session: nothing from before carries over
    start_session(user, remember=False)
    db.session.commit()
    flash(_("Your account is active and you are signed in."), "success")
    return redirect(target or url_for("home.index"))


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    reads_first()  # no write lock while the password is checked (scrypt takes ~0.2 s)
    target = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(target or url_for("accounts.overview"))
    form = SignInForm()
    status, retry_after = 200, 0
    if form.validate_on_submit():
        attempt = services.authenticate(form.email.data, form.password.data, client_address())
        db.session.commit()  # end the reads: the failure counters were written on their own
        if attempt.result == SignInResult.OK:
            with write_transaction():
                return _signed_in(attempt.user, form.remember.data, target)
        if attempt.result == SignInResult.THROTTLED:
            wait = format_timedelta(timedelta(seconds=attempt.retry_after), threshold=1)
            flash(_("Too many failed attempts. Please wait %(wait)s and try again, or reset your password.",
                    wait=wait), "error")
            status = 429
            retry_after = attempt.retry_after
        elif attempt.result == SignInResult.NOT_ACTIVATED:
            flash(_("Please confirm your email address first: follow the link in the mail we sent you."), "error")
        else:
            flash(_("That email address and password do not match an active account."), "error")
    elif request.method == "POST":
        status = 400
    headers = {"Retry-After": str(retry_after)} if status == 429 else {}
    return render_template("accounts/sign_in.html", form=form, next=target), status, headers


def _signed_in(user, remember: bool, target: str | None):
    """Password checked: ask for the second factor where the role needs one, else start the session."""
    session.clear()  # a fresh session: nothing from before signing in carries over
    if needs_second_factor(user) or user.has_second_factor:  # also a learner who turned it on
        session[PENDING] = {"u": user.id, "r": bool(remember), "n": target, "t": int(time.time())}
        return redirect(url_for("accounts.second_factor"))
    start_session(user, remember)
    db.session.commit()
    flash(_("You are signed in."), "success")
    return redirect(target or url_for("home.index"))


@bp.post("/sign-out")
def sign_out():
    if current_user.is_authenticated:
        end_session()
        db.session.commit()
    session.clear()
    flash(_("You are signed out."), "success")
    return redirect(url_for("home.index"))


@bp.post("/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    form = SignOutEverywhereForm()
    revoked = revoke_other_credentials(current_user) if form.validate_on_submit() and form.revoke_tokens.data \
        else None
    end_other_sessions(current_user, keep_current=False)
    end_session()
    db.session.commit()
    session.clear()
    if revoked is None:
        flash(_("You are signed out on every device. Your API tokens were not revoked: programs using them "
                "keep working."), "success")
    else:
        flash(ngettext("You are signed out on every device, and %(num)s API token was revoked.",
                       "You are signed out on every device, and %(num)s API tokens were revoked.", revoked),
              "success")
    return redirect(url_for("home.index"))


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = services.find_by_email(form.email.data)
        allowed = services.reset_allowed(form.email.data, client_address())
        db.session.commit()
        if user is not None and allowed:
            lang = user.preferred_language
            if user.status == AccountStatus.ACTIVE:
                link = external_url("accounts.reset_password", lang, token=tokens.reset_token(user))
                send_mail(user.email, lang, "reset_password", user=user, link=link)
            elif user.status == AccountStatus.PENDING:
                link = external_url("accounts.activate", lang, token=tokens.activation_token(user))
                send_mail(user.email, lang, "activate", user=user, link=link)
        # The same page whether or not the address has an account.
        return redirect(url_for("accounts.check_mail", reset=1))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = tokens.user_for_reset(token)
    if user is None:
        return render_template("accounts/link_invalid.html"), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        end_other_sessions(user, keep_current=False)
        revoked = revoke_other_credentials(user)
        db.session.commit()
        send_mail(user.email, user.preferred_language, "password_changed", user=user)
        flash(ngettext("Your password is changed, every earlier sign-in has ended and %(num)s API token was "
                       "revoked. Please sign in.",
                       "Your password is changed, every earlier sign-in has ended and %(num)s API tokens were "
                       "revoked. Please sign in.", revoked), "success")
        return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/reset_password.html", form=form)


_OVERVIEW_PARTS: list[Callable[[User], dict]] = []


def add_to_overview(part: Callable[[User], dict]) -> None:
    """A part built on accounts adds to the account overview: part(user) gives template values."""
    if part not in _OVERVIEW_PARTS:
        _OVERVIEW_PARTS.append(part)


@bp.get("/")
@login_required
def overview():
    values: dict = {}
    for part in _OVERVIEW_PARTS:
        values.update(part(current_user))
    return render_template("accounts/overview.html", **values)


from app.accounts import profile, two_factor  # noqa: E402,F401  (views on this blueprint)
