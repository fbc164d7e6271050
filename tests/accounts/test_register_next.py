"""From 「ログインして申し込む」 through registration and the activation mail back to the course, signed in;
the reading (フリガナ) and Latin spelling asked at registration on /ja/ (issue 14, minor points)."""
from __future__ import annotations

import os
import re
import zlib
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from app.accounts.models import AccountStatus, User
from app.platform.extensions import db

PASSWORD = "violet kettle under nine bridges"


def _register(client, lang="ja", next_=None, **extra):
    # The address the tests look up; a Redis-backed run keeps counting its mails across tests (3 an hour per
    # mailbox), so each test's person is told apart by the test's own id in the address.
    data = dict(email=_address(), password=PASSWORD, confirm=PASSWORD, family_name="山田",
                given_name="花子", preferred_language="ja", accept_terms="y")
    data.update(extra)
    query = {"next": next_} if next_ is not None else {}
    return client.post(f"/{lang}/account/register", data=data, query_string=query)


def _activation_link(outbox) -> str:
    text = outbox[-1].get_body(("plain",)).get_content()
    return re.search(r"http://localhost(/\S*/account/activate/\S+)", text).group(1)


def _address() -> str:
    test = os.environ.get("PYTEST_CURRENT_TEST", "")
    return f"next.person.{zlib.crc32(test.split(' ')[0].encode())}@example.com"


def _user() -> User | None:
    return db.session.execute(sa.select(User).where(User.email_key == _address())).scalar()


def test_sign_in_page_passes_the_target_on_to_registration(client):
    page = client.get("/ja/account/sign-in?next=/ja/courses/7").get_data(as_text=True)
    assert 'href="/ja/account/register?next=/ja/courses/7"' in page
    page = client.get("/ja/account/register?next=/ja/courses/7").get_data(as_text=True)
    assert 'action="/ja/account/register?next=/ja/courses/7"' in page


def test_activation_signs_in_and_returns_to_the_course(client, outbox):
    assert _register(client, next_="/ja/courses/7").status_code == 302
    link = _activation_link(outbox)
    assert parse_qs(urlsplit(link).query)["next"] == ["/ja/courses/7"]
    assert client.get("/en/account/").status_code == 302  # not signed in yet
    response = client.get(link)
    assert response.status_code == 302 and response.headers["Location"] == "/ja/courses/7"
    assert _user().status == AccountStatus.ACTIVE
    assert client.get("/en/account/").status_code == 200  # signed in by the link
    assert client.get(link).status_code == 404  # once only


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"])
def test_a_target_off_this_site_is_dropped(client, outbox, target):
    _register(client, next_=target)
    link = _activation_link(outbox)
    assert "next=" not in link and "evil" not in link
    response = client.get(link + "?next=" + target.replace("/", "%2F"))  # added to the link by hand
    assert response.status_code == 302 and response.headers["Location"] == "/ja/"


def test_reading_and_latin_name_asked_on_japanese_pages_only(client):
    ja = client.get("/ja/account/register").get_data(as_text=True)
    assert 'name="family_name_kana"' in ja and 'name="given_name_latin"' in ja
    en = client.get("/en/account/register").get_data(as_text=True)
    assert 'name="family_name_kana"' not in en and 'name="given_name_latin"' not in en


def test_reading_and_latin_name_are_stored(client, outbox):
    _register(client, family_name_kana="やまだ", given_name_kana="ﾊﾅｺ", family_name_latin="Yamada",
              given_name_latin="Ｈanako")
    user = _user()
    assert (user.family_name_kana, user.given_name_kana) == ("ヤマダ", "ハナコ")
    assert (user.family_name_latin, user.given_name_latin) == ("Yamada", "Hanako")


@pytest.mark.parametrize("field, value, message", [
    ("family_name_kana", "山田", "フリガナはカタカナまたはひらがなで入力してください"),
    ("given_name_kana", "Hanako", "フリガナはカタカナまたはひらがなで入力してください"),
    ("family_name_latin", "やまだ", "ローマ字のみで入力してください"),
    ("given_name_latin", "花子", "ローマ字のみで入力してください"),
])
def test_wrong_script_is_refused_with_a_clear_message(client, outbox, field, value, message):
    response = _register(client, **{field: value})
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert _user() is None and not outbox
