"""A language offered by its own name is marked with that language (issue 14): "English" on /ja/ pages
is read out in English, and 日本語 on /en/ pages in Japanese."""
from __future__ import annotations

import re

import pytest

from tests.factories import make_user, sign_in


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_registration_names_each_language_in_itself(client, lang):
    html = client.get(f"/{lang}/account/register").get_data(as_text=True)
    assert re.search(r'<span lang="en">English</span>', html)
    assert re.search(r'<span lang="ja">日本語</span>', html)


def test_profile_names_each_language_in_itself(client, db_session):
    sign_in(client, make_user())
    html = client.get("/ja/account/profile").get_data(as_text=True)
    assert '<span lang="en">English</span>' in html and '<span lang="ja">日本語</span>' in html
