"""Downloading everything the site holds about a person, and deleting the account."""
from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa

from app.accounts import privacy
from app.accounts.models import AccountStatus, Consent, ConsentKind, RecoveryCode, User, UserSession
from app.audit.models import AuditEntry
from app.platform.extensions import db
from app.providers.models import Membership, ProviderApplication
from tests.factories import PASSWORD, make_client, make_provider, make_user, sign_in


def _export(client):
    response = client.get("/en/account/export")
    assert response.status_code == 200
    return response, json.loads(response.get_data(as_text=True))


def test_export_holds_everything_but_secrets(client):
    org = make_provider(name_en="Cell Academy", name_ja="セル学院")
    user = make_user("member", organisation=org, totp=True, family_name="山田", given_name="太郎",
                     employer="Battery Works")
    db.session.add_all([
        Consent(user_id=user.id, kind=ConsentKind.TERMS, version="v1"),
        RecoveryCode(user_id=user.id, code_hash="f" * 64),
        ProviderApplication(applicant_id=user.id, name_en="My School", country="FR", city="Lyon"),
        AuditEntry(actor_id=user.id, action="course.update", object_type="course", object_id="7"),
    ])
    sign_in(client, user)
    response, data = _export(client)
    assert response.headers["Cache-Control"] == "no-store"
    assert re.fullmatch(r"attachment; filename=battery-talent-bridge-\d{4}-\d{2}-\d{2}\.json",
                        response.headers["Content-Disposition"])
    assert response.mimetype == "application/json"
    account = data["account"]
    assert account["email"] == user.email and account["family_name"] == "山田"
    assert account["employer"] == "Battery Works"
    assert account["secrets_held_but_not_exported"] == {
        "password_hash": True, "totp_secret": True, "unused_recovery_codes": 1}
    body = response.get_data(as_text=True)
    assert user.password_hash not in body and user.totp_secret not in body and "f" * 64 not in body
    assert [c["kind"] for c in data["consents"]] == ["terms"]
    assert data["memberships"][0]["organisation_name_ja"] == "セル学院"
    assert data["memberships"][0]["role"] == "staff"
    assert data["provider_applications"][0]["name_en"] == "My School"
    assert len(data["sign_in_sessions"]) == 1 and "token_hash" not in data["sign_in_sessions"][0]
    assert data["audit_entries_as_actor"][0]["action"] == "course.update"
    assert "山田" in body  # readable UTF-8, not \u escapes


def test_features_can_add_a_section(client, monkeypatch):
    monkeypatch.setitem(privacy._EXPORTS, "enrolments", lambda user: [{"user": user.id, "when": None}])
    user = make_user()
    sign_in(client, user)
    _, data = _export(client)
    assert data["enrolments"] == [{"user": user.id, "when": None}]


def _delete(client, password=PASSWORD, confirm="y"):
    data = {"password": password}
    if confirm:
        data["confirm"] = confirm
    return client.post("/en/account/delete", data=data)


def test_delete_erases_the_person_and_keeps_the_records(client, app):
    org = make_provider()
    user = make_user("member", organisation=org, totp=True, family_name="山田", given_name="太郎",
                     family_name_latin="Yamada", employer="Works", email="Gone@Example.com")
    user_id = user.id
    db.session.add_all([
        Consent(user_id=user_id, kind=ConsentKind.SHARE_WITH_PROVIDERS, version="v1"),
        RecoveryCode(user_id=user_id, code_hash="a" * 64),
        ProviderApplication(applicant_id=user_id, name_en="My School", country="FR"),
        AuditEntry(actor_id=user_id, action="course.update", object_type="course", object_id="7"),
    ])
    other = make_client(app)
    sign_in(other, user)
    sign_in(client, user)
    response = _delete(client)
    assert response.status_code == 302 and response.headers["Location"] == "/en/account/goodbye"
    assert client.get("/en/account/goodbye").status_code == 200
    assert client.get("/en/account/").status_code == 302
    assert other.get("/en/account/").status_code == 302

    db.session.expire_all()
    user = db.session.get(User, user_id)
    assert user.status == AccountStatus.DELETED and user.deleted_at is not None
    for name in privacy.ERASED_FIELDS:
        assert getattr(user, name) is None, name
    assert db.session.execute(sa.select(sa.func.count()).select_from(UserSession).where(
        UserSession.user_id == user_id, UserSession.ended_at.is_(None))).scalar_one() == 0
    assert db.session.execute(sa.select(Membership).where(Membership.user_id == user_id)).first() is None
    assert db.session.execute(sa.select(RecoveryCode).where(RecoveryCode.user_id == user_id)).first() is None
    consents = db.session.execute(sa.select(Consent).where(Consent.user_id == user_id)).scalars().all()
    assert consents and all(c.withdrawn_at is not None for c in consents)
    # What others count stays: the application and the audit trail, now with a nameless actor.
    assert db.session.execute(sa.select(ProviderApplication).where(
        ProviderApplication.applicant_id == user_id)).first() is not None
    actions = db.session.execute(sa.select(AuditEntry.action, AuditEntry.object_id, AuditEntry.detail).where(
        AuditEntry.actor_id == user_id).order_by(AuditEntry.id)).all()
    assert [a[0] for a in actions] == ["course.update", "account.delete"]
    assert actions[1][1] == str(user_id) and not actions[1][2]

    # Signing in no longer works; the address may register again.
    assert make_client(app).post("/en/account/sign-in", data={
        "email": "gone@example.com", "password": PASSWORD}).status_code == 200
    fresh = make_client(app)
    response = fresh.post("/en/account/register", data=dict(
        email="gone@example.com", password="violet kettle under nine bridges",
        confirm="violet kettle under nine bridges", preferred_language="en", accept_terms="y"))
    assert response.status_code == 302
    assert db.session.execute(sa.select(sa.func.count()).select_from(User).where(
        User.email_key == "gone@example.com")).scalar_one() == 1


@pytest.mark.parametrize("password,confirm", [("wrong password!", "y"), (PASSWORD, None), ("", "y")])
def test_delete_needs_the_password_and_the_box(client, password, confirm):
    user = make_user()
    sign_in(client, user)
    response = _delete(client, password, confirm)
    assert response.status_code == 400
    db.session.refresh(user)
    assert user.status == AccountStatus.ACTIVE and user.email
    assert client.get("/en/account/").status_code == 200


def test_delete_is_throttled_after_wrong_passwords(client):
    user = make_user()
    sign_in(client, user)
    for _ in range(5):
        _delete(client, "wrong password!")
    assert _delete(client).status_code == 429
    db.session.refresh(user)
    assert user.status == AccountStatus.ACTIVE


def test_last_owner_must_hand_over_first(client):
    org = make_provider(name_en="Lonely Labs")
    owner = make_user("owner", organisation=org)
    sign_in(client, owner)
    page = client.get("/en/account/delete")
    assert page.status_code == 200 and "Lonely Labs" in page.get_data(as_text=True)
    assert _delete(client).status_code == 409
    db.session.refresh(owner)
    assert owner.status == AccountStatus.ACTIVE

    second = make_user("owner", organisation=org)
    assert second.id
    response = _delete(client)
    assert response.status_code == 302
    assert db.session.execute(sa.select(Membership).where(Membership.organisation_id == org.id)).scalars().one()


def test_deleted_person_is_shown_as_deleted(client, app):
    user = make_user()
    sign_in(client, user)
    _delete(client)
    db.session.expire_all()
    from app.accounts.names import display_name

    assert display_name(db.session.get(User, user.id), "en") == "Deleted account"
