"""The second factor through the real forms: code after the password, setup, recovery codes, expiry,
throttling, and managing it once signed in."""
from __future__ import annotations

import re
import time

import pyotp
import sqlalchemy as sa

from app.accounts import totp
from app.accounts.models import RecoveryCode, User
from app.audit.models import AuditEntry
from app.platform.extensions import db
from tests.factories import PASSWORD, make_user, sign_in

TWO_FACTOR = "/en/account/two-factor"
SETUP = "/en/account/two-factor/setup"
MANAGE = "/en/account/two-factor/manage"


def _password(client, user, next_=None):
    url = "/en/account/sign-in" + (f"?next={next_}" if next_ else "")
    return client.post(url, data={"email": user.email, "password": PASSWORD})


def _wrong_code(secret: str) -> str:
    """Six digits that are not the code of any step the server accepts now."""
    t = pyotp.TOTP(secret)
    now = time.time()
    valid = {t.at(now + d) for d in (-60, -30, 0, 30, 60)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444", "555555", "666666") if c not in valid)


def _signed_in(client) -> bool:
    return client.get("/en/account/").status_code == 200


def _actions(user_id) -> list[str]:
    return list(db.session.execute(
        sa.select(AuditEntry.action).where(AuditEntry.object_type == "user", AuditEntry.object_id == str(user_id))
        .order_by(AuditEntry.id)
    ).scalars())


def test_sign_in_with_code_end_to_end(client):
    user = make_user("staff", totp=True)
    response = _password(client, user, next_="/en/courses")
    assert response.status_code == 302 and response.headers["Location"].endswith(TWO_FACTOR)
    assert not _signed_in(client)  # the password alone signs nobody in

    page = client.get(TWO_FACTOR)
    assert page.status_code == 200 and 'autocomplete="one-time-code"' in page.text

    refused = client.post(TWO_FACTOR, data={"code": _wrong_code(user.totp_secret)})
    assert refused.status_code == 400 and "That code is not right" in refused.text
    assert not _signed_in(client)

    code = pyotp.TOTP(user.totp_secret).now()
    accepted = client.post(TWO_FACTOR, data={"code": code[:3] + " " + code[3:]})
    assert accepted.status_code == 302 and accepted.headers["Location"] == "/en/courses"
    assert _signed_in(client)
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_last_step is not None

    # The same code again, in a new sign-in (an observed code replayed): refused.
    client.post("/en/account/sign-out")
    assert _password(client, user).status_code == 302
    replay = client.post(TWO_FACTOR, data={"code": code})
    assert replay.status_code == 400 and not _signed_in(client)


def test_code_page_without_a_pending_sign_in_goes_to_sign_in(client):
    response = client.get(TWO_FACTOR)
    assert response.status_code == 302 and "/en/account/sign-in" in response.headers["Location"]
    assert client.post(TWO_FACTOR, data={"code": "123456"}).status_code == 302


def test_pending_state_expires_after_ten_minutes(client):
    user = make_user("admin", totp=True)
    _password(client, user)
    with client.session_transaction() as sess:
        pending = dict(sess["pending_sign_in"])
        assert abs(pending["t"] - time.time()) < 60
        pending["t"] -= 601
        sess["pending_sign_in"] = pending
    response = client.post(TWO_FACTOR, data={"code": pyotp.TOTP(user.totp_secret).now()})
    assert response.status_code == 302 and "/en/account/sign-in" in response.headers["Location"]
    assert not _signed_in(client)
    with client.session_transaction() as sess:
        assert "pending_sign_in" not in sess
    page = client.get("/en/account/sign-in")
    assert "Your sign-in took too long" in page.text


def test_pending_without_timestamp_is_refused(client):
    user = make_user("staff", totp=True)
    with client.session_transaction() as sess:
        sess["pending_sign_in"] = {"u": user.id, "r": False, "n": None}
    assert client.post(TWO_FACTOR, data={"code": pyotp.TOTP(user.totp_secret).now()}).status_code == 302
    assert not _signed_in(client)


def test_wrong_codes_are_throttled_per_account(client):
    user = make_user("staff", totp=True)
    _password(client, user)
    wrong = _wrong_code(user.totp_secret)
    for _ in range(totp.FAILURE_LIMIT):
        assert client.post(TWO_FACTOR, data={"code": wrong}).status_code == 400
    blocked = client.post(TWO_FACTOR, data={"code": pyotp.TOTP(user.totp_secret).now()})
    assert blocked.status_code == 429 and "Too many wrong codes" in blocked.text
    assert not _signed_in(client)
    # A fresh browser does not help: the counter belongs to the account.
    from tests.factories import make_client

    other = make_client(client.application)
    _password(other, user)
    assert other.post(TWO_FACTOR, data={"code": pyotp.TOTP(user.totp_secret).now()}).status_code == 429


def test_malformed_codes_are_a_clear_message_not_an_error(client):
    user = make_user("staff", totp=True)
    _password(client, user)
    for bad in ("", "abc", "1" * 41, "12\x0034", "１２３４５６７"):
        response = client.post(TWO_FACTOR, data={"code": bad})
        assert response.status_code == 400, bad
    assert not _signed_in(client)


def test_full_width_digits_are_accepted(client):
    user = make_user("staff", totp=True)
    _password(client, user)
    code = pyotp.TOTP(user.totp_secret).now()
    wide = code.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert client.post(TWO_FACTOR, data={"code": wide}).status_code == 302
    assert _signed_in(client)


def _secret_on(page_text: str) -> str:
    match = re.search(r'<code class="totp-secret">([A-Z2-7 ]+)</code>', page_text)
    assert match, page_text
    return match.group(1).replace(" ", "")


def _codes_on(page_text: str) -> list[str]:
    return re.findall(r"<li><code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{2})</code></li>", page_text)


def test_setup_for_staff_without_an_authenticator(client):
    user = make_user("staff")
    response = _password(client, user)
    assert response.headers["Location"].endswith(TWO_FACTOR)
    assert client.get(TWO_FACTOR).headers["Location"].endswith(SETUP)

    page = client.get(SETUP)
    assert page.status_code == 200
    assert "<svg" in page.text and "style=" not in page.text and "<script" not in page.text
    secret = _secret_on(page.text)
    assert client.get(SETUP).text.count(secret[:4]) >= 1 and _secret_on(client.get(SETUP).text) == secret  # kept
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret is None  # not in the database before it is confirmed

    refused = client.post(SETUP, data={"code": _wrong_code(secret)})
    assert refused.status_code == 400 and "That code is not right" in refused.text
    assert not _signed_in(client)

    done = client.post(SETUP, data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = _codes_on(done.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "shown only now" in done.text
    assert done.headers["Cache-Control"] == "no-store"
    assert _signed_in(client)

    db.session.expire_all()
    saved = db.session.get(User, user.id)
    assert saved.totp_secret == secret and saved.totp_enabled_at is not None
    hashes = db.session.execute(sa.select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).scalars().all()
    assert len(hashes) == 10 and not set(codes) & set(hashes)
    entry = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "account.two_factor_enabled")).scalar_one()
    assert entry.actor_id == user.id and entry.object_id == str(user.id)
    with client.session_transaction() as sess:
        assert "totp_setup" not in sess and "pending_sign_in" not in sess


def test_a_pending_user_with_an_authenticator_cannot_replace_it(client):
    user = make_user("owner", totp=True)
    _password(client, user)
    response = client.get(SETUP)
    assert response.status_code == 302 and response.headers["Location"].endswith(TWO_FACTOR)
    assert client.post(SETUP, data={"code": "123456"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret == user.totp_secret


def test_setup_without_any_sign_in_goes_to_sign_in(client):
    assert "/en/account/sign-in" in client.get(SETUP).headers["Location"]


def test_recovery_code_works_once(client):
    user = make_user("admin", totp=True)
    codes = totp.new_recovery_codes(user)
    _password(client, user)
    page = client.get(TWO_FACTOR)
    assert 'name="recovery_code"' in page.text
    response = client.post(TWO_FACTOR, data={"recovery_code": codes[0].upper().replace("-", " ")})
    assert response.status_code == 302
    assert "9 are left" in client.get(response.headers["Location"]).text
    assert _signed_in(client)
    assert "account.recovery_code_used" in _actions(user.id)

    client.post("/en/account/sign-out")
    _password(client, user)
    again = client.post(TWO_FACTOR, data={"recovery_code": codes[0]})
    assert again.status_code == 400 and "already been used" in again.text and not _signed_in(client)
    assert client.post(TWO_FACTOR, data={"recovery_code": codes[1]}).status_code == 302
    assert _signed_in(client)


def test_learner_turns_it_on_then_is_asked_at_sign_in_and_may_turn_it_off(client):
    user = make_user("learner")
    sign_in(client, user)
    manage = client.get(MANAGE)
    assert manage.status_code == 200 and "Set up two-step sign-in" in manage.text
    secret = _secret_on(client.get(SETUP).text)
    done = client.post(SETUP, data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and len(_codes_on(done.text)) == 10
    assert "10 unused recovery codes left" in client.get(MANAGE).text

    # Signing in again now asks for a code, although a learner's role does not need one.
    client.post("/en/account/sign-out")
    assert _password(client, user).headers["Location"].endswith(TWO_FACTOR)
    db.session.expire_all()
    last = db.session.get(User, user.id).totp_last_step
    code = next(pyotp.TOTP(secret).at(time.time() + d) for d in (30, 60)
                if int((time.time() + d) // 30) > last)
    assert client.post(TWO_FACTOR, data={"code": code}).status_code == 302

    # Off again, with a current code (as if a minute had passed since the last code used).
    db.session.execute(sa.update(User).where(User.id == user.id).values(totp_last_step=None))
    assert client.post("/en/account/two-factor/disable", data={"code": pyotp.TOTP(secret).now()}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_enabled_at is None
    assert db.session.execute(sa.select(sa.func.count()).select_from(RecoveryCode)
                              .where(RecoveryCode.user_id == user.id)).scalar_one() == 0
    assert "account.two_factor_disabled" in _actions(user.id)


def test_staff_cannot_turn_it_off(client):
    user = make_user("staff", totp=True)
    sign_in(client, user)
    manage = client.get(MANAGE)
    assert "cannot be turned off" in manage.text and "two-factor/disable" not in manage.text
    client.post("/en/account/two-factor/disable", data={"code": pyotp.TOTP(user.totp_secret).now()})
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_enabled_at is not None


def test_disable_with_a_wrong_code_keeps_it_on(client):
    user = make_user("learner", totp=True)
    sign_in(client, user)
    client.post("/en/account/two-factor/disable", data={"code": _wrong_code(user.totp_secret)})
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_enabled_at is not None
    assert "stays on" in client.get(MANAGE).text


def test_regenerating_recovery_codes_kills_the_old_ones(client):
    user = make_user("staff", totp=True)
    old = totp.new_recovery_codes(user)
    sign_in(client, user)
    response = client.post("/en/account/two-factor/recovery-codes")
    assert response.status_code == 200
    new = _codes_on(response.text)
    assert len(new) == 10 and not set(new) & set(old)
    assert "account.recovery_codes_regenerated" in _actions(user.id)
    db.session.expire_all()
    fresh = db.session.get(User, user.id)
    assert not totp.use_recovery_code(fresh, old[0])
    assert totp.use_recovery_code(fresh, new[0])
    assert not totp.use_recovery_code(fresh, new[0])


def test_manage_needs_sign_in(client):
    assert "/en/account/sign-in" in client.get(MANAGE).headers["Location"]
    assert "/en/account/sign-in" in client.post("/en/account/two-factor/recovery-codes").headers["Location"]


def test_pages_render_in_japanese(client):
    user = make_user("staff")
    _password(client, user)
    page = client.get("/ja/account/two-factor/setup")
    assert page.status_code == 200 and '<html lang="ja">' in page.text


def test_qr_code_svg_has_no_style_attribute():
    svg = totp.qr_svg(totp.provisioning_uri(totp.new_secret(), "山田@example.com"))
    assert svg.startswith("<svg") and "style=" not in svg and "<script" not in svg


def test_codes_within_one_step_and_later_than_the_last():
    secret = totp.new_secret()
    now = 1_700_000_000
    step = now // 30
    t = pyotp.TOTP(secret)
    assert totp.matching_step(secret, t.at(now), at=now) == step
    assert totp.matching_step(secret, t.at(now - 30), at=now) == step - 1
    assert totp.matching_step(secret, t.at(now + 30), at=now) == step + 1
    assert totp.matching_step(secret, t.at(now - 90), at=now) is None
    assert totp.matching_step(secret, t.at(now), at=now, after=step) is None
