"""`flask create-user`: privileged accounts from the command line, and nothing else changed on an error."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.accounts.models import AccountStatus, User
from app.accounts.passwords import verify_password
from app.audit.models import AuditEntry
from app.platform.extensions import db
from tests.factories import make_user

GOOD = "lantern orchard seventeen rivers"


def _run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=["create-user", *args], input=input)


def _count() -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(User)).scalar_one()


def _by_key(key: str) -> User | None:
    db.session.expire_all()
    return db.session.execute(sa.select(User).where(User.email_key == key)).scalar_one_or_none()


@pytest.mark.parametrize("role", ["admin", "staff", "learner"])
def test_creates_an_active_account_with_the_role(app, role):
    result = _run(app, "--role", role, "--email", f"Boss.{role}@Example.com", "--password", GOOD)
    assert result.exit_code == 0, result.output
    assert f"Created {role} account" in result.output
    user = _by_key(f"boss.{role}@example.com")
    assert user.email == f"Boss.{role}@Example.com"
    assert user.status == AccountStatus.ACTIVE and user.activated_at is not None
    assert user.is_admin is (role == "admin") and user.is_staff is (role == "staff")
    assert user.password_hash != GOOD and verify_password(user.password_hash, GOOD)
    assert user.totp_enabled_at is None  # set up at the first sign-in
    entry = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "account.create",
                                                           AuditEntry.object_id == str(user.id))).scalar_one()
    assert entry.detail["role"] == role


def test_prompts_twice_for_a_hidden_password(app):
    result = _run(app, "--role", "staff", "--email", "staff.person@example.com", input=f"{GOOD}\n{GOOD}\n")
    assert result.exit_code == 0, result.output
    assert GOOD not in result.output  # hidden
    assert "Password:" in result.output and "Repeat for confirmation" in result.output
    assert verify_password(_by_key("staff.person@example.com").password_hash, GOOD)


def test_two_different_passwords_create_nothing(app):
    before = _count()
    result = _run(app, "--role", "admin", "--email", "typo@example.com", input=f"{GOOD}\n{GOOD}x\n")
    assert result.exit_code != 0
    assert _count() == before


def test_existing_address_in_another_case_or_width_is_refused(app):
    make_user("learner", email="taken@example.com")
    before = _count()
    for email in ("taken@example.com", "TAKEN@Example.com", "ｔａｋｅｎ@example.com", " taken@example.com "):
        result = _run(app, "--role", "admin", "--email", email, "--password", GOOD)
        assert result.exit_code == 1, email
        assert "already exists" in result.output
    assert _count() == before
    user = _by_key("taken@example.com")
    assert not user.is_admin  # nothing changed on the existing account


@pytest.mark.parametrize("password,reason", [
    ("short", "at least 12 characters"),
    ("password1234", "commonly used"),
    ("weak.admin@example.com!", "email address"),
])
def test_password_policy(app, password, reason):
    before = _count()
    result = _run(app, "--role", "admin", "--email", "weak.admin@example.com", "--password", password)
    assert result.exit_code == 1
    assert reason in result.output
    assert _count() == before


@pytest.mark.parametrize("email", ["not-an-address", "a@", "bad\x00@example.com", "x" * 250 + "@example.com"])
def test_bad_address(app, email):
    before = _count()
    result = _run(app, "--role", "staff", "--email", email, "--password", GOOD)
    assert result.exit_code == 1
    assert _count() == before


def test_unknown_role_is_a_usage_error(app):
    result = _run(app, "--role", "owner", "--email", "x@example.com", "--password", GOOD)
    assert result.exit_code == 2
    assert _by_key("x@example.com") is None


def test_created_admin_must_set_up_a_second_factor_at_first_sign_in(app, client):
    assert _run(app, "--role", "admin", "--email", "first.admin@example.com", "--password", GOOD).exit_code == 0
    response = client.post("/en/account/sign-in", data={"email": "first.admin@example.com", "password": GOOD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/en/account/two-factor")
    assert client.get("/en/account/two-factor").headers["Location"].endswith("/en/account/two-factor/setup")
