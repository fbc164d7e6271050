"""The person's personal API tokens: list, create (the token is shown once, in the answer to the POST),
revoke. Also their part of the data export (never the hash) and of deleting the account.

Scopes, creation, revocation and the live count are app/api/auth.py's: this module only asks and shows."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.privacy import register_erasure, register_export
from app.accounts.profile import local_time, own_zone
from app.api.auth import (
    MAX_TOKENS_PER_USER,
    SCOPES,
    create_token,
    delete_tokens,
    live_token_count,
    own_token,
    revoke,
    scopes_for,
    tokens_of,
)
from app.api.models import ApiToken
from app.api.token_forms import ApiTokenForm
from app.audit.services import record
from app.platform.database import utcnow
from app.platform.extensions import db

bp = Blueprint("api_tokens", __name__, url_prefix="/<lang:lang_code>/account/api-tokens")


# --- Reads ---------------------------------------------------------------------------------------

def state(token: ApiToken, now) -> str:
    if token.revoked_at is not None:
        return "revoked"
    return "active" if token.is_live(now) else "expired"


# --- Pages ---------------------------------------------------------------------------------------

@bp.after_request
def not_stored(response):
    # A fresh token is in the body of the POST's answer: no cache, no back-button copy.
    response.headers["Cache-Control"] = "no-store"
    return response


def _page(form: ApiTokenForm, status: int = 200, *, created: ApiToken | None = None, plain: str | None = None):
    user = current_user._get_current_object()
    now = utcnow()
    tokens = tokens_of(user.id)
    live = sum(1 for token in tokens if token.is_live(now))
    return render_template(
        "accounts/api_tokens.html", form=form, tokens=tokens, now=now, state=state, live=live,
        limit=MAX_TOKENS_PER_USER, scope_labels={scope: label for scope, (_may, label) in SCOPES.items()},
        usable=set(scopes_for(user)), created=created, plain=plain, zone=own_zone(),
        local_time=local_time), status


@bp.get("/")
@login_required
def index():
    return _page(ApiTokenForm(scopes_for(current_user)))


@bp.post("/")
@login_required
def create():
    user = current_user._get_current_object()
    form = ApiTokenForm(scopes_for(user))
    if not form.validate_on_submit():
        return _page(form, 400)
    if live_token_count(user.id) >= MAX_TOKENS_PER_USER:
        return _page(form, 409)  # the page says why: it shows the limit instead of the form
    token, plain = create_token(user, form.name.data, form.scopes.data, form.days)
    db.session.flush()
    record("api_token.create", "api_token", token.id, detail={
        "name": token.name, "prefix": token.prefix, "scopes": token.scopes.split(),
        "expires_at": token.expires_at.isoformat() if token.expires_at else None})
    db.session.commit()
    return _page(ApiTokenForm(scopes_for(user), formdata=None), created=token, plain=plain)


@bp.post("/<int(max=2147483647):token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    token = own_token(current_user.id, token_id)
    if token is None:
        abort(404)
    if token.revoked_at is not None:
        flash(_("The token “%(name)s” was already revoked.", name=token.name), "success")
        return redirect(url_for("api_tokens.index"))
    revoke(token)
    record("api_token.revoke", "api_token", token.id, detail={"name": token.name, "prefix": token.prefix})
    db.session.commit()
    flash(_("The token “%(name)s” is revoked: programs using it are refused from now on.", name=token.name),
          "success")
    return redirect(url_for("api_tokens.index"))


# --- The person's data ---------------------------------------------------------------------------

def export_tokens(user) -> list[dict]:
    # The hash is never exported: it is what a token is checked against.
    return [{"name": t.name, "prefix": t.prefix, "scopes": t.scopes.split(), "created_at": t.created_at,
             "last_used_at": t.last_used_at, "expires_at": t.expires_at, "revoked_at": t.revoked_at}
            for t in tokens_of(user.id)]


def erase_tokens(user) -> None:
    delete_tokens(user.id)


register_export("api_tokens", export_tokens)
register_erasure(erase_tokens)
