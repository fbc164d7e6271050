"""Registering is limited per client address (a 429 page with Retry-After, no hashing past the limit) and
per target mailbox (at most 3 mails an hour; past that the same neutral answer, and no mail)."""
from __future__ import annotations

import sqlalchemy as sa

from app.accounts import services
from app.accounts.models import User
from app.platform.extensions import db
from tests.factories import make_user

PASSWORD = "violet kettle under nine bridges"


def _register(client, email, address="10.1.0.1", lang="en"):
    data = dict(email=email, password=PASSWORD, confirm=PASSWORD, family_name="Muster", given_name="Erika",
                country="DE", preferred_language="en", accept_terms="y")
    return client.post(f"/{lang}/account/register", data=data, environ_base={"REMOTE_ADDR": address})


def test_an_existing_address_gets_at_most_three_mails_an_hour(client, outbox):
    user = make_user(email="owner@example.com")
    answers = [_register(client, "Owner@Example.com", address=f"10.2.0.{i}") for i in range(10)]
    assert all(a.status_code == 302 and a.headers["Location"].endswith("/check-your-mail") for a in answers)
    assert [m["To"] for m in outbox] == [user.email] * 3


def test_a_new_address_answers_the_same_past_the_mailbox_limit(client, outbox):
    answers = [_register(client, "fresh@example.com", address=f"10.3.0.{i}") for i in range(5)]
    assert {a.status_code for a in answers} == {302}
    assert len(outbox) == 3  # the activation mail, then two "you already have an account" mails
    count = db.session.execute(sa.select(sa.func.count()).select_from(User)
                               .where(User.email_key == "fresh@example.com")).scalar_one()
    assert count == 1


def test_one_client_address_is_refused_past_its_limit(client, app, outbox, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTER_LIMIT_PER_ADDRESS", 3)
    for i in range(3):
        assert _register(client, f"person{i}@example.com").status_code == 302
    hashed = []
    monkeypatch.setattr(services, "hash_password", lambda p: hashed.append(p) or "x$y$z")
    refused = _register(client, "person9@example.com", lang="ja")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    page = refused.get_data(as_text=True)
    assert "お使いのネットワークからの登録が多すぎます" in page and 'lang="ja"' in page
    assert hashed == [] and len(outbox) == 3
    assert db.session.execute(sa.select(User).where(User.email_key == "person9@example.com")).first() is None
    # Another client address is not affected.
    assert _register(client, "person9@example.com", address="10.9.9.9").status_code == 302


def test_the_form_page_itself_is_not_counted(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTER_LIMIT_PER_ADDRESS", 1)
    for _ in range(3):
        assert client.get("/en/account/register", environ_base={"REMOTE_ADDR": "10.4.0.1"}).status_code == 200
