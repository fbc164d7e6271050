"""Privacy notice, terms of use and legal notice: in both languages, with the consent version."""
from __future__ import annotations

import pytest

from app.legal import CONSENT_VERSION

PAGES = ("privacy", "terms", "legal")
VERSION_SHOWN = {"en": "26 Nov 2026", "ja": "2026年11月26日"}
# A phrase of each page's own text, to tell the languages apart.
TEXT = {
    ("en", "privacy"): "Your rights", ("ja", "privacy"): "ご本人の権利",
    ("en", "terms"): "What is not allowed", ("ja", "terms"): "禁止事項",
    ("en", "legal"): "to be filled in by the operator", ("ja", "legal"): "運営者が記入してください",
}


def test_consent_version():
    assert CONSENT_VERSION == "2026-11-26"


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("page", PAGES)
def test_page_in_each_language(client, lang, page):
    response = client.get(f"/{lang}/{page}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert VERSION_SHOWN[lang] in html
    assert f'datetime="{CONSENT_VERSION}"' in html
    assert TEXT[(lang, page)] in html
    other = "ja" if lang == "en" else "en"
    assert TEXT[(other, page)] not in html
    assert f'hreflang="{other}"' in html  # the language switch and alternates


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_footer_links_to_the_three_pages(client, lang):
    html = client.get(f"/{lang}/").get_data(as_text=True)
    footer = html[html.index('<footer'):]
    for page in PAGES:
        assert f'href="/{lang}/{page}"' in footer
    assert client.get(f"/{lang}/courses").get_data(as_text=True).count(f'href="/{lang}/privacy"') >= 1


def test_privacy_notice_names_the_cookies_and_rights(client):
    html = client.get("/en/privacy").get_data(as_text=True)
    for word in ("session", "remember_token", "lang", "download a copy", "delete your account",
                 "Personal Information Protection Commission"):
        assert word in html


@pytest.mark.parametrize("path", ["/fr/privacy", "/en/privacy/x", "/privacy"])
def test_other_paths_are_not_found(client, path):
    assert client.get(path).status_code == 404
