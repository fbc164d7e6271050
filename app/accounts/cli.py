"""`flask create-user`: the way privileged accounts come to exist (no account has a known password
unless someone typed it here or loaded the demo data on purpose)."""
from __future__ import annotations

import unicodedata

import click
import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import Flask
from flask.cli import with_appcontext

from app.accounts.models import AccountStatus, User
from app.accounts.passwords import check_password_policy, hash_password
from app.accounts.services import email_key, find_by_email
from app.audit.services import record
from app.i18n import LANGUAGES
from app.platform.database import utcnow
from app.platform.extensions import db

ROLES = ("learner", "staff", "admin")


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(1)


def _check_email(email: str) -> str:
    email = unicodedata.normalize("NFKC", email).strip()
    if not email or len(email) > 254 or any(unicodedata.category(ch) in ("Cc", "Cs") for ch in email):
        _fail("that is not an email address.")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        _fail(f"that is not an email address ({error}).")
    if find_by_email(email) is not None:
        _fail(f"an account with the address {email} already exists; nothing was changed.")
    return email


def create_account(email: str, password: str, role: str, *, family_name: str | None = None,
                   given_name: str | None = None, language: str = "en") -> User:
    """An active account with the global role given (flush, never commit)."""
    now = utcnow()
    user = User(
        email=email, email_key=email_key(email), password_hash=hash_password(password),
        status=AccountStatus.ACTIVE, activated_at=now, password_changed_at=now, preferred_language=language,
        family_name=family_name or None, given_name=given_name or None,
        is_staff=role == "staff", is_admin=role == "admin",
    )
    db.session.add(user)
    db.session.flush()
    record("account.create", "user", user.id, detail={"role": role, "via": "flask create-user"})
    return user


def init_app(app: Flask) -> None:
    @app.cli.command("create-user")
    @click.option("--role", type=click.Choice(ROLES), required=True, help="The account's global role.")
    @click.option("--email", required=True, help="The address to sign in with.")
    @click.option("--password", default=None, help="Prompted for (hidden, twice) when left out; better so, "
                  "as a password on the command line stays in the shell history.")
    @click.option("--family-name", default=None, help="Optional.")
    @click.option("--given-name", default=None, help="Optional.")
    @click.option("--language", type=click.Choice(LANGUAGES), default="en", show_default=True,
                  help="Language of the account's mail.")
    @with_appcontext
    def create_user(role, email, password, family_name, given_name, language):
        """Create an active account: learner, association staff or admin.

        Staff and admins set up an authenticator app at their first sign-in.
        """
        email = _check_email(email)
        for name in (family_name, given_name):
            if name and (len(name) > 100 or any(unicodedata.category(ch) in ("Cc", "Cs") for ch in name)):
                _fail("a name may have at most 100 characters and no control characters.")
        if password is None:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        problems = check_password_policy(password, email=email, names=(family_name, given_name))
        if problems:
            _fail(" ".join(str(p) for p in problems))
        try:
            user = create_account(email, password, role, family_name=family_name, given_name=given_name,
                                  language=language)
            db.session.commit()
        except sa.exc.IntegrityError:  # created by someone else meanwhile
            db.session.rollback()
            _fail(f"an account with the address {email} already exists; nothing was changed.")
        click.echo(f"Created {role} account {user.id} for {user.email}.")
        if role in ("staff", "admin"):
            click.echo("At the first sign-in it will be asked to set up an authenticator app (two-step sign-in).")
