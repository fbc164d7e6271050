"""Second-factor secrets are sealed in the database (a key derived from SECRET_KEY); the migration seals the
plain ones (the demo's keeps working); `flask keys rotate` re-seals them after a SECRET_KEY change."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pyotp
import pytest
import sqlalchemy as sa

from app.accounts import totp
from app.accounts.models import User
from app.demo.accounts import DEMO_TOTP_SECRET
from app.platform.extensions import db
from tests.factories import make_user, now

MIGRATION = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0009_sealed_totp_secrets.py"


def _stored(user) -> str | None:
    return db.session.execute(sa.text("SELECT totp_secret FROM user_account WHERE id = :id"),
                              {"id": user.id}).scalar_one()


def _migration():
    spec = importlib.util.spec_from_file_location("sealed_totp_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _code_works(user) -> bool:
    user.totp_last_step = None
    return totp.verify_code(user, pyotp.TOTP(user.totp_secret).now())


def test_the_secret_is_never_stored_in_clear(db_session):
    user = make_user()
    secret = totp.new_secret()
    totp.enable(user, secret, pyotp.TOTP(secret).now())
    db.session.flush()
    stored = _stored(user)
    assert stored.startswith("enc1:") and secret not in stored
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret == secret


def test_the_migration_seals_plain_secrets_and_the_demo_code_keeps_working(app, db_session):
    user = make_user(totp=True)
    db.session.execute(sa.text("UPDATE user_account SET totp_secret = :s WHERE id = :id"),
                       {"s": DEMO_TOTP_SECRET, "id": user.id})
    sealed_before = make_user(totp=True)
    untouched = _stored(sealed_before)
    assert _migration().seal_rows(db.session.connection(), app.config["SECRET_KEY"]) == 1
    assert _stored(user).startswith("enc1:") and DEMO_TOTP_SECRET not in _stored(user)
    assert _stored(sealed_before) == untouched
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.totp_secret == DEMO_TOTP_SECRET and _code_works(user)
    assert _migration().unseal_rows(db.session.connection(), app.config["SECRET_KEY"]) == 2  # downgrade
    assert _stored(user) == DEMO_TOTP_SECRET


def test_keys_rotate_reseals_after_a_secret_key_change(app, db_session, monkeypatch):
    user = make_user(totp=True)
    secret = user.totp_secret
    old_key = app.config["SECRET_KEY"]
    monkeypatch.setitem(app.config, "SECRET_KEY", "a-new-secret-key-Xq8vR2mK9pL4nB7wT1zY5cH3")
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret is None  # locked out until rotated...
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["keys", "rotate"])
    assert refused.exit_code == 0 and "1 second-factor secret could not be read" in refused.output
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [old_key])  # ...with the old key as a fallback
    done = runner.invoke(args=["keys", "rotate"])
    assert done.exit_code == 0 and "1 second-factor secret re-encrypted" in done.output, done.output
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [])
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.totp_secret == secret and _code_works(user)


def test_demo_totp_command_reads_the_sealed_secret(app, db_session):
    make_user("staff", email="demo.staff@example.com", totp_secret=DEMO_TOTP_SECRET, totp_enabled_at=now())
    result = app.test_cli_runner().invoke(args=["demo-totp", "demo.staff@example.com"])
    assert result.exit_code == 0 and result.output.strip() == pyotp.TOTP(DEMO_TOTP_SECRET).now()


@pytest.mark.parametrize("value", [None, "", "enc1:not-a-token"])
def test_odd_stored_values_do_not_crash(db_session, value):
    user = make_user(totp=True)
    user.totp_secret_sealed = value
    assert user.totp_secret in (None, "") and not totp.verify_code(user, "123456")
