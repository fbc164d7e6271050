"""Every form is protected against cross-site request forgery: a POST without the token changes nothing."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import sqlalchemy as sa

from app.accounts.models import User
from tests.factories import make_user, sign_in


def post_rules(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and not rule.rule.startswith("/api/"):
            yield rule


def test_every_post_route_refuses_a_request_without_token(app, client, csrf_on, db_session):
    user = make_user("admin")
    sign_in(client, user)
    rules = list(post_rules(app))
    assert len(rules) >= 3
    for rule in rules:
        values = {arg: sorted(getattr(rule._converters[arg], "items", None) or [1])[0] for arg in rule.arguments}
        values["lang_code"] = "en"
        path = rule.build(values, append_unknown=False)[1]
        response = client.post(path, data={"email": "x@example.com"})
        # Sent back to retry, with a message; nothing done (the next tests prove it on real forms).
        assert response.status_code == 303, (rule.rule, response.status_code)
        assert urlsplit(response.headers["Location"]).netloc in ("", "localhost")


def test_sign_out_without_token_keeps_the_session(app, client, csrf_on, db_session):
    user = make_user()
    sign_in(client, user)
    response = client.post("/en/account/sign-out")
    assert response.status_code == 303
    page = client.get("/en/account/")
    assert page.status_code == 200 and "The form had expired" in page.get_data(as_text=True)


def test_an_expired_sign_in_form_comes_back_with_a_message_in_japanese(app, client, csrf_on, db_session):
    response = client.post("/ja/account/sign-in?next=/ja/courses", data={"email": "a@example.com"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/ja/account/sign-in?next=/ja/courses")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "notice-error" in page and "The form had expired" not in page  # said in Japanese


def test_forms_carry_the_token_and_accept_it(app, client, csrf_on, db_session):
    page = client.get("/en/account/register").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/en/account/register", data={
        "csrf_token": token, "email": "csrf@example.com", "password": "a long enough passphrase",
        "confirm": "a long enough passphrase", "preferred_language": "en", "accept_terms": "y"})
    assert response.status_code == 302
    assert db_session.execute(sa.select(User).where(User.email_key == "csrf@example.com")).scalar_one()
