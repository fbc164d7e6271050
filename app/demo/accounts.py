"""Demo accounts, one per role, for trying the site locally. Their password and authenticator secret
are public (README), so they exist only when someone runs `flask seed-demo` on purpose."""
from __future__ import annotations

import sqlalchemy as sa

from app.accounts.models import AccountStatus, Consent, ConsentKind, NameOrder, User
from app.accounts.passwords import hash_password
from app.accounts.services import email_key
from app.platform.database import utcnow
from app.platform.extensions import db
from app.providers.models import MemberRole, Membership, Organisation

DEMO_PASSWORD = "battery demo password"
# Base32; add it to an authenticator app, or run `flask demo-totp <email>` for the current code.
DEMO_TOTP_SECRET = "BTBDEMOTOTPSECRETFORLOCALUSE2345"

ACCOUNTS = [
    dict(email="learner@example.com", family_name="Schmidt", given_name="Anna", country="DE",
         timezone="Europe/Berlin", preferred_language="en", employer="Cellwerk GmbH"),
    dict(email="gakusei@example.com", family_name="山田", given_name="花子", family_name_kana="ヤマダ",
         given_name_kana="ハナコ", family_name_latin="Yamada", given_name_latin="Hanako",
         name_order=NameOrder.FAMILY_FIRST, country="JP", timezone="Asia/Tokyo", preferred_language="ja"),
    dict(email="owner@example.com", family_name="Lindqvist", given_name="Erik", country="SE",
         timezone="Europe/Stockholm", preferred_language="en", member=("NordCell Academy", MemberRole.OWNER)),
    dict(email="provider-staff@example.com", family_name="佐藤", given_name="健", family_name_latin="Sato",
         given_name_latin="Ken", name_order=NameOrder.FAMILY_FIRST, country="JP", timezone="Asia/Tokyo",
         preferred_language="ja", member=("Kobe Battery Recycling Technology Institute", MemberRole.STAFF)),
    dict(email="staff@example.com", family_name="Dubois", given_name="Claire", country="BE",
         timezone="Europe/Brussels", preferred_language="en", is_staff=True),
    dict(email="admin@example.com", family_name="Site", given_name="Admin", country="NL",
         timezone="Europe/Amsterdam", preferred_language="en", is_admin=True),
]


def seed_accounts(consent_version: str) -> int:
    """Create the demo accounts that do not exist yet; returns how many were added."""
    added = 0
    password_hash = hash_password(DEMO_PASSWORD)
    for spec in ACCOUNTS:
        spec = dict(spec)
        member = spec.pop("member", None)
        key = email_key(spec["email"])
        if db.session.execute(sa.select(User.id).where(User.email_key == key)).first():
            continue
        privileged = spec.get("is_staff") or spec.get("is_admin") or (member and member[1] == MemberRole.OWNER)
        user = User(email_key=key, password_hash=password_hash, status=AccountStatus.ACTIVE,
                    activated_at=utcnow(), password_changed_at=utcnow(), **spec)
        if privileged:
            user.totp_secret = DEMO_TOTP_SECRET
            user.totp_enabled_at = utcnow()
        db.session.add(user)
        db.session.flush()
        db.session.add(Consent(user_id=user.id, kind=ConsentKind.TERMS, version=consent_version))
        db.session.add(Consent(user_id=user.id, kind=ConsentKind.SHARE_WITH_PROVIDERS, version=consent_version))
        if member:
            org = db.session.execute(sa.select(Organisation).where(Organisation.name_en == member[0])).scalar_one()
            db.session.add(Membership(organisation_id=org.id, user_id=user.id, role=member[1]))
        added += 1
    db.session.flush()
    return added
