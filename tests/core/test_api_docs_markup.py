"""The API page's error table shows "Bearer <token>" as text (issue 14): a lazy translation is escaped like
any other string, in English and Japanese."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize(("lang", "shown"), [("en", "Bearer &lt;token&gt;"), ("ja", "Bearer &lt;トークン&gt;")])
def test_error_table_escapes_the_token_placeholder(client, lang, shown):
    html = client.get(f"/{lang}/developers/api").get_data(as_text=True)
    assert shown in html
    assert "<token>" not in html and "<トークン>" not in html
