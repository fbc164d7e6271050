"""The account flows: register, activate, sign in and out, throttling, resets, and sessions that end."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.accounts.models import AccountStatus, User, UserSession
from app.platform.extensions import db
from tests.factories import PASSWORD, make_client, make_user, sign_in

NEW_PASSWORD = "a brand new passphrase for tests"
REGISTER_PASSWORD = "violet kettle under nine bridges"


def _link(message) -> str:
    """The first link to this site in a mail, as a path."""
    text = message.get_body(("plain",)).get_content()
    match = re.search(r"http://localhost(/\S+)", text)
    assert match, text
    return match.group(1)


def _register(client, email="new.person@example.com", **extra):
    data = dict(email=email, password=REGISTER_PASSWORD, confirm=REGISTER_PASSWORD, family_name="山田", given_name="太郎",
                country="JP", preferred_language="ja", accept_terms="y")
    data.update(extra)
    return client.post("/en/account/register", data=data)


def _sign_in(client, email, password=PASSWORD, **kw):
    return client.post("/en/account/sign-in", data={"email": email, "password": password}, **kw)


def _user(email_key):
    return db.session.execute(sa.select(User).where(User.email_key == email_key)).scalar_one_or_none()


def test_register_activate_sign_in_sign_out(client, outbox):
    response = _register(client)
    assert response.status_code == 302 and "/check-your-mail" in response.headers["Location"]
    user = _user("new.person@example.com")
    assert user.status == AccountStatus.PENDING
    assert user.name_order == "family_first"  # a Japanese name is shown family name first
    assert len(outbox) == 1 and outbox[0]["To"] == "new.person@example.com"
    assert outbox[0]["Content-Language"] == "ja"
    link = _link(outbox[0])
    assert link.startswith("/ja/account/activate/")

    assert _sign_in(client, "new.person@example.com", REGISTER_PASSWORD).status_code == 200  # not active yet
    assert client.get("/en/account/").status_code == 302

    assert client.get(link).status_code == 302
    db.session.refresh(user)
    assert user.status == AccountStatus.ACTIVE
    assert client.get(link).status_code == 404  # works once

    response = _sign_in(client, "NEW.person@example.com", REGISTER_PASSWORD)
    assert response.status_code == 302
    assert client.get("/en/account/").status_code == 200
    assert client.post("/en/account/sign-out").status_code == 302
    assert client.get("/en/account/").status_code == 302


@pytest.mark.parametrize("typed", ["USER@example.com", "ＵＳＥＲ@example.com", " user@EXAMPLE.com "])
def test_registering_an_existing_address_changes_nothing_and_mails_its_owner(client, outbox, typed):
    make_user(email="user@example.com")
    fresh = make_client(client.application)
    baseline = _register(fresh, email="someone.else@example.com")
    outbox.clear()
    count = db.session.execute(sa.select(sa.func.count()).select_from(User)).scalar_one()
    response = _register(client, email=typed)
    assert response.status_code == baseline.status_code
    assert response.headers["Location"] == baseline.headers["Location"]
    assert db.session.execute(sa.select(sa.func.count()).select_from(User)).scalar_one() == count
    assert len(outbox) == 1 and outbox[0]["To"] == "user@example.com"
    text = outbox[0].get_body(("plain",)).get_content()
    assert "http://localhost/en/account/sign-in" in text and "forgot-password" in text


def test_unknown_address_and_wrong_password_answer_alike(client):
    make_user(email="known@example.com")
    unknown = _sign_in(client, "nobody@example.com", "a wrong password here")
    wrong = _sign_in(make_client(client.application), "known@example.com", "a wrong password here")
    assert unknown.status_code == wrong.status_code == 200
    strip = lambda r: re.sub(r'name="csrf_token"[^>]*', "", r.get_data(as_text=True))  # noqa: E731
    assert strip(unknown).replace("nobody@example.com", "X") == strip(wrong).replace("known@example.com", "X")


def test_sixth_failure_is_refused_even_with_the_right_password_from_elsewhere(client):
    make_user(email="target@example.com")
    for i in range(5):
        response = _sign_in(client, "target@example.com", f"wrong password {i}",
                            environ_base={"REMOTE_ADDR": "10.0.0.1"})
        assert response.status_code == 200
    other = make_client(client.application)
    response = _sign_in(other, "Target@example.com", environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert response.status_code == 429
    assert other.get("/en/account/").status_code == 302


def test_throttle_per_address_covers_many_accounts(client, app):
    limit = app.config["SIGNIN_LIMIT_PER_ADDRESS"]
    for i in range(limit):
        _sign_in(client, f"guess{i}@example.com", "wrong password", environ_base={"REMOTE_ADDR": "10.0.0.2"})
    user = make_user()
    response = _sign_in(client, user.email, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert response.status_code == 429


def _ask_reset(client, outbox, email):
    outbox.clear()
    response = client.post("/en/account/forgot-password", data={"email": email})
    assert response.status_code == 302
    return outbox


def test_reset_link_works_once_and_ends_old_sessions(client, outbox):
    user = make_user()
    old = make_client(client.application)
    sign_in(old, user)
    assert old.get("/en/account/").status_code == 200
    link = _link(_ask_reset(client, outbox, user.email.upper())[0])
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get(link).status_code == 404  # dead after use
    assert old.get("/en/account/").status_code == 302  # the old session is refused
    assert _sign_in(client, user.email, NEW_PASSWORD).status_code == 302
    assert any(m["To"] == user.email and "password" in m["Subject"].lower() for m in outbox)


def test_reset_for_unknown_address_answers_the_same(client, outbox):
    make_user(email="known2@example.com")
    a = client.post("/en/account/forgot-password", data={"email": "known2@example.com"})
    b = client.post("/en/account/forgot-password", data={"email": "unknown2@example.com"})
    assert a.status_code == b.status_code == 302 and a.headers["Location"] == b.headers["Location"]
    assert [m["To"] for m in outbox] == ["known2@example.com"]


def test_reset_link_expires(client, outbox, app, monkeypatch):
    user = make_user()
    link = _link(_ask_reset(client, outbox, user.email)[0])
    monkeypatch.setitem(app.config, "RESET_LINK_SECONDS", -1)
    assert client.get(link).status_code == 404
    assert client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 404


def test_copied_cookie_is_refused_after_a_password_change(client):
    user = make_user()
    sign_in(client, user)
    cookie = client.get_cookie("session")
    thief = make_client(client.application)
    thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    assert thief.get("/en/account/").status_code == 200
    response = client.post("/en/account/password", data={
        "current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/en/account/").status_code == 200  # this browser stays signed in
    assert thief.get("/en/account/").status_code == 302


def test_sign_out_everywhere_ends_other_clients(client):
    user = make_user()
    other = make_client(client.application)
    sign_in(client, user)
    sign_in(other, user)
    assert client.post("/en/account/sign-out-everywhere").status_code == 302
    assert other.get("/en/account/").status_code == 302
    assert client.get("/en/account/").status_code == 302
    live = db.session.execute(sa.select(sa.func.count()).select_from(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None))).scalar_one()
    assert live == 0


def test_sign_out_refuses_the_copied_cookie(client):
    user = make_user()
    sign_in(client, user)
    cookie = client.get_cookie("session")
    client.post("/en/account/sign-out")
    thief = make_client(client.application)
    thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    assert thief.get("/en/account/").status_code == 302


def test_remember_me_cookie_is_httponly_and_lax(client):
    user = make_user()
    response = client.post("/en/account/sign-in", data={"email": user.email, "password": PASSWORD,
                                                          "remember": "y"})
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    remember = [c for c in cookies if c.startswith("remember_token=")]
    session_cookie = [c for c in cookies if c.startswith("session=")]
    assert remember and session_cookie
    for cookie in remember + session_cookie:
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # The remember cookie alone signs the browser in again, and dies with its session row.
    value = remember[0].split(";", 1)[0].split("=", 1)[1]
    other = make_client(client.application)
    other.set_cookie("remember_token", value)
    assert other.get("/en/account/").status_code == 200
    client.post("/en/account/sign-out")
    third = make_client(client.application)
    third.set_cookie("remember_token", value)
    assert third.get("/en/account/").status_code == 302


@pytest.mark.parametrize("path", ["/en/account/", "/en/account/profile", "/en/account/password",
                                  "/en/account/sessions", "/en/account/export", "/en/account/delete"])
def test_account_pages_are_not_stored(client, path):
    sign_in(client, make_user())
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    assert "no-store" in client.get("/en/account/sign-in").headers.get("Cache-Control", "")


@pytest.mark.parametrize("target", ["//evil.example", "//[", "https://evil.example", "/\\evil.example",
                                    "http:/evil.example", "%2F%2Fevil.example", "javascript:alert(1)",
                                    "/%0d%0aLocation:%20http://evil.example"])
def test_next_never_leaves_the_site(client, target):
    user = make_user()
    page = client.get(f"/en/account/sign-in?next={target}")
    assert page.status_code == 200
    response = client.post(f"/en/account/sign-in?next={target}",
                           data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    # Signed in, the page sends them on at once: also only locally.
    again = client.get(f"/en/account/sign-in?next={target}")
    assert again.status_code == 302
    assert again.headers["Location"].startswith("/") and not again.headers["Location"].startswith("//")


def test_next_to_a_local_page_is_followed(client):
    user = make_user()
    response = client.post("/en/account/sign-in?next=/en/account/profile",
                           data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/en/account/profile"


def test_private_pages_send_anonymous_visitors_to_sign_in(client):
    response = client.get("/en/account/profile")
    assert response.status_code == 302 and "/en/account/sign-in" in response.headers["Location"]


def test_deleted_or_disabled_account_cannot_sign_in(client):
    disabled = make_user(status="disabled")
    response = _sign_in(client, disabled.email)
    assert response.status_code == 200
    assert client.get("/en/account/").status_code == 302


def test_failures_on_made_up_addresses_do_not_lock_out_others_behind_the_same_address(client):
    """30 failures on made-up emails from one office address: a colleague still signs in from there."""
    for i in range(30):
        response = _sign_in(client, f"made-up{i}@example.com", "wrong password", environ_base={"REMOTE_ADDR": "10.0.0.3"})
        assert response.status_code == 200
    colleague = make_user()
    office = make_client(client.application)
    response = _sign_in(office, colleague.email, environ_base={"REMOTE_ADDR": "10.0.0.3"})
    assert response.status_code == 302 and office.get("/en/account/").status_code == 200


def test_one_account_guessed_from_one_address_is_throttled_there_with_retry_after(client):
    target = make_user()
    for i in range(5):
        _sign_in(client, target.email, f"wrong password {i}", environ_base={"REMOTE_ADDR": "10.0.0.4"})
    response = _sign_in(client, target.email, "wrong password 6", environ_base={"REMOTE_ADDR": "10.0.0.4"})
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60


def test_the_address_ceiling_answers_429_with_retry_after(client, app):
    assert app.config["SIGNIN_LIMIT_PER_ADDRESS"] >= 100  # an office behind one NAT
    for i in range(app.config["SIGNIN_LIMIT_PER_ADDRESS"]):
        _sign_in(client, f"spray{i}@example.com", "wrong password", environ_base={"REMOTE_ADDR": "10.0.0.5"})
    response = _sign_in(client, make_user().email, environ_base={"REMOTE_ADDR": "10.0.0.5"})
    assert response.status_code == 429 and 0 < int(response.headers["Retry-After"]) <= 3600


def _app_with_proxies(hops: int):
    from app import create_app
    from config import TestConfig

    config = TestConfig()
    config.TRUSTED_PROXIES = hops
    return create_app(config)


@pytest.mark.parametrize("hops, expected", [(0, "127.0.0.1"), (1, "203.0.113.7")])
def test_client_address_comes_from_x_forwarded_for_only_through_trusted_proxies(hops, expected):
    from flask import request

    application = _app_with_proxies(hops)
    seen = {}

    @application.get("/__address")
    def address():
        seen["addr"] = request.remote_addr
        return "ok"

    application.test_client().get("/__address", headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.7"},
                                  environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert seen["addr"] == expected
