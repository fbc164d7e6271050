"""An address typed in full-width letters (a Japanese keyboard's default) is the same address."""
from __future__ import annotations

import sqlalchemy as sa

from app.accounts.models import User
from tests.factories import PASSWORD, make_user

FORM = {"password": "a long enough passphrase", "confirm": "a long enough passphrase",
        "preferred_language": "ja", "accept_terms": "y"}


def test_full_width_address_registers_as_the_plain_one(client, db_session):
    response = client.post("/ja/account/register", data={"email": "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", **FORM})
    assert response.status_code == 302
    user = db_session.execute(sa.select(User).where(User.email_key == "taro@example.jp")).scalar_one()
    assert user.email == "taro@example.jp"


def test_full_width_address_signs_in(client, db_session):
    make_user(email="hanako@example.jp")
    response = client.post("/ja/account/sign-in", data={"email": "ＨＡＮＡＫＯ＠ｅｘａｍｐｌｅ．ｊｐ",
                                                        "password": PASSWORD})
    assert response.status_code == 302 and "/account/sign-in" not in response.headers["Location"]
