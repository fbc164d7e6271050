"""The second factor: the code asked for after the password, setting up an authenticator app, and
managing it later. Views on the `accounts` blueprint (imported at the end of accounts/routes.py)."""
from __future__ import annotations

import time
from datetime import timedelta

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import format_timedelta, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from app.accounts import totp
from app.accounts.models import AccountStatus, User
from app.accounts.permissions import needs_second_factor
from app.accounts.routes import PENDING, bp
from app.accounts.sessions import start_session
from app.audit.services import record
from app.platform.extensions import db
from app.platform.forms import PlainText, strip
from app.platform.redirects import safe_next

PENDING_SECONDS = 10 * 60  # between the password and the code
SETUP = "totp_setup"  # session key: {"u": user id, "s": secret} until a first code confirms the secret


class CodeForm(FlaskForm):
    code = StringField(_l("6-digit code"), validators=[InputRequired(), Length(max=40), PlainText()],
                       filters=[strip], render_kw={"inputmode": "numeric", "maxlength": 12})


class RecoveryForm(FlaskForm):
    recovery_code = StringField(_l("Recovery code"), validators=[InputRequired(), Length(max=40), PlainText()],
                                filters=[strip], render_kw={"spellcheck": "false", "maxlength": 20})


def _pending() -> tuple[User, dict] | None:
    """The person who gave the right password less than PENDING_SECONDS ago, else None."""
    data = session.get(PENDING)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("t"), int):
        return None
    if not 0 <= time.time() - data["t"] <= PENDING_SECONDS:
        return None
    user = db.session.get(User, data["u"])
    if user is None or user.status != AccountStatus.ACTIVE:
        return None
    return user, data


def _expired():
    had_pending = PENDING in session
    session.pop(PENDING, None)
    session.pop(SETUP, None)
    if had_pending:
        flash(_("Your sign-in took too long. Please sign in with your password again."), "error")
    return redirect(url_for("accounts.sign_in"))


def _throttled(user: User) -> bool:
    wait = totp.retry_after(user)
    if wait:
        flash(_("Too many wrong codes. Please wait %(wait)s and try again.",
                wait=format_timedelta(timedelta(seconds=wait), threshold=1)), "error")
    return bool(wait)


def _wrong(field, message: str) -> None:
    field.errors = [*field.errors, message]


def _complete_sign_in(user: User, data: dict) -> str:
    """Start the session awaited since the password; returns where to go next."""
    session.pop(PENDING, None)
    session.pop(SETUP, None)
    totp.clear_failures(user)
    start_session(user, bool(data.get("r")))
    return safe_next(data.get("n")) or url_for("home.index")


def _try_code(user: User, form, use_recovery: bool) -> bool:
    """Check the code typed; a wrong one is counted against the account and explained on its field."""
    if use_recovery:
        ok = totp.use_recovery_code(user, form.recovery_code.data)
    else:
        ok = totp.verify_code(user, form.code.data)
    if not ok:
        totp.count_failure(user)
        db.session.commit()
        if use_recovery:
            _wrong(form.recovery_code, _("That recovery code is not valid or has already been used."))
        else:
            _wrong(form.code, _("That code is not right. Enter the code your app shows now; each code works once."))
    return ok


@bp.route("/two-factor", methods=["GET", "POST"])
def second_factor():
    pending = _pending()
    if pending is None:
        return redirect(url_for("accounts.overview")) if current_user.is_authenticated else _expired()
    user, data = pending
    if not user.has_second_factor:
        return redirect(url_for("accounts.two_factor_setup"))
    code_form, recovery_form = CodeForm(), RecoveryForm()
    use_recovery = "recovery_code" in request.form
    form = recovery_form if use_recovery else code_form
    status = 200
    if request.method == "POST":
        status = 429 if _throttled(user) else 400
        if status == 400 and form.validate() and _try_code(user, form, use_recovery):
            target = _complete_sign_in(user, data)
            if use_recovery:
                record("account.recovery_code_used", "user", user.id)
            db.session.commit()
            flash(_("You are signed in."), "success")
            if use_recovery:
                flash(ngettext("You used a recovery code; %(num)s is left. Each works only once.",
                               "You used a recovery code; %(num)s are left. Each works only once.",
                               totp.recovery_codes_left(user)), "success")
            return redirect(target)
    return render_template("accounts/two_factor.html", code_form=code_form, recovery_form=recovery_form,
                           show_recovery=use_recovery), status


def _setup_subject() -> tuple[User | None, dict | None]:
    """Who is setting up an authenticator: the signed-in person, or one half-way through signing in."""
    if current_user.is_authenticated:
        return current_user._get_current_object(), None
    pending = _pending()
    return pending if pending is not None else (None, None)


def _setup_secret(user: User) -> str:
    """The secret being set up, kept in this browser's session (not the database) until confirmed."""
    stored = session.get(SETUP)
    if isinstance(stored, dict) and stored.get("u") == user.id and isinstance(stored.get("s"), str):
        return stored["s"]
    secret = totp.new_secret()
    session[SETUP] = {"u": user.id, "s": secret}
    return secret


@bp.route("/two-factor/setup", methods=["GET", "POST"])
def two_factor_setup():
    user, data = _setup_subject()
    if user is None:
        return _expired()
    if user.has_second_factor:  # never replaced from here: that would bypass the current one
        return redirect(url_for("accounts.two_factor_manage" if data is None else "accounts.second_factor"))
    secret = _setup_secret(user)
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        codes = totp.enable(user, secret, form.code.data)
        if codes is not None:
            session.pop(SETUP, None)
            target = _complete_sign_in(user, data) if data is not None else url_for("accounts.two_factor_manage")
            record("account.two_factor_enabled", "user", user.id)
            db.session.commit()
            flash(_("Two-step sign-in is on."), "success")
            return render_template("accounts/two_factor_codes.html", codes=codes, continue_url=target)
        _wrong(form.code, _("That code is not right. Check that the app shows the account just added, and "
                            "enter the code it shows now."))
    if request.method == "POST":
        status = 400
    uri = totp.provisioning_uri(secret, user.email or "")
    return render_template("accounts/two_factor_setup.html", form=form, secret=totp.grouped(secret),
                           qr=Markup(totp.qr_svg(uri)), required=needs_second_factor(user),
                           signing_in=data is not None), status


@bp.get("/two-factor/manage")
@login_required
def two_factor_manage():
    user = current_user._get_current_object()
    return render_template(
        "accounts/two_factor_manage.html", enabled=user.has_second_factor, required=needs_second_factor(user),
        codes_left=totp.recovery_codes_left(user) if user.has_second_factor else 0, form=CodeForm(),
    )


@bp.post("/two-factor/recovery-codes")
@login_required
def two_factor_new_codes():
    user = current_user._get_current_object()
    form = FlaskForm()
    if not user.has_second_factor or not form.validate_on_submit():
        return redirect(url_for("accounts.two_factor_manage"))
    codes = totp.new_recovery_codes(user)
    record("account.recovery_codes_regenerated", "user", user.id)
    db.session.commit()
    flash(_("New recovery codes are made; the earlier ones no longer work."), "success")
    return render_template("accounts/two_factor_codes.html", codes=codes,
                           continue_url=url_for("accounts.two_factor_manage"))


@bp.post("/two-factor/disable")
@login_required
def two_factor_disable():
    user = current_user._get_current_object()
    manage = redirect(url_for("accounts.two_factor_manage"))
    if needs_second_factor(user):
        flash(_("Your role needs two-step sign-in, so it cannot be turned off."), "error")
        return manage
    form = CodeForm()
    if not user.has_second_factor or _throttled(user):
        return manage
    if not form.validate_on_submit():
        flash(_("Enter the 6-digit code your app shows now."), "error")
        return manage
    if totp.verify_code(user, form.code.data):
        totp.disable(user)
        record("account.two_factor_disabled", "user", user.id)
        db.session.commit()
        flash(_("Two-step sign-in is off."), "success")
        return manage
    totp.count_failure(user)
    db.session.commit()
    flash(_("That code is not right. Two-step sign-in stays on."), "error")
    return manage
