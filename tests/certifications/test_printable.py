"""The printable certificate: one language or both, each block marked with its language, the QR code to the
public page with its link printed below it, the certificate id, and a print stylesheet for A4."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.certifications.holder_fixtures import (
    TITLE_EN,
    TITLE_JA,
    client,  # noqa: F401  (an address of its own)
    make_certificate,
)
from tests.factories import make_user, sign_in

PRINT_CSS = Path(__file__).resolve().parents[2] / "app" / "static" / "css" / "print.css"


def text_of(response) -> str:
    return response.get_data(as_text=True)


def blocks(page: str) -> list[str]:
    return re.findall(r'<section class="sheet-version" lang="(en|ja)">', page)


@pytest.mark.parametrize("ui, choice, langs", [
    ("en", "en", ["en"]), ("en", "ja", ["ja"]), ("ja", "both", ["en", "ja"]), ("ja", None, ["ja"]),
    ("en", None, ["en"]), ("en", "fr", ["en"]),
])
def test_holder_chooses_the_language(client, ui, choice, langs):
    cert = make_certificate(public=False)
    sign_in(client, cert.learner)
    query = {"lang_choice": choice} if choice else {}
    response = client.get(f"/{ui}/me/certificates/{cert.public_id}/print", query_string=query)
    assert response.status_code == 200
    page = text_of(response)
    assert blocks(page) == langs
    assert (TITLE_JA in page) == ("ja" in langs) and (TITLE_EN in page) == ("en" in langs)
    assert ("山田花子" in page) == ("ja" in langs) and ("Yamada Hanako" in page) == ("en" in langs)
    assert cert.public_id in page and "/static/css/print.css" in page
    assert '<meta name="robots" content="noindex">' in page


def test_version_parameter_is_also_understood(client):
    cert = make_certificate()
    sign_in(client, cert.learner)
    page = text_of(client.get(f"/en/me/certificates/{cert.public_id}/print?version=both"))
    assert blocks(page) == ["en", "ja"]


def test_facts_in_each_language(client):
    cert = make_certificate()
    sign_in(client, cert.learner)
    page = text_of(client.get(f"/en/me/certificates/{cert.public_id}/print?lang_choice=both"))
    en, ja = page.split('<section class="sheet-version" lang="ja">')
    assert "Certificate of completion" in en and "10 Mar 2026, 17:00–next day 01:00" in en and "Japan Standard Time" in en
    assert "Kansai Battery Academy" in en and "8 hours" in en  # the session's own hours, not the course's 16
    assert "2026年3月10日 17:00–翌日 1:00" in ja and "日本標準時" in ja and "関西電池アカデミー" in ja and "安全(高電圧" in ja


def test_qr_code_points_to_the_public_page(client):
    cert = make_certificate()
    sign_in(client, cert.learner)
    page = text_of(client.get(f"/ja/me/certificates/{cert.public_id}/print"))
    svg = page[page.index("<svg"):page.index("</svg>") + 6]
    ET.fromstring(svg)  # well-formed
    assert "style=" not in svg
    link = f"http://localhost/ja/verify/{cert.public_id}"
    assert f'<p class="sheet-link">{link}</p>' in page


def test_holder_is_warned_when_the_qr_leads_nowhere(client):
    cert = make_certificate(public=False)
    sign_in(client, cert.learner)
    assert "public page of this certificate is off" in text_of(client.get(f"/en/me/certificates/{cert.public_id}/print"))


def test_anyone_prints_a_public_certificate_from_its_verify_page(client):
    cert = make_certificate(public=True)
    response = client.get(f"/ja/verify/{cert.public_id}/print?lang_choice=both")
    assert response.status_code == 200 and blocks(text_of(response)) == ["en", "ja"]
    assert response.headers["X-Robots-Tag"] == "noindex" and response.headers["Cache-Control"] == "no-store"
    assert "hanako.private" not in text_of(response) and "Acme" not in text_of(response)
    assert f'href="/ja/verify/{cert.public_id}/print?lang_choice=en"' in text_of(response)


def test_only_the_holder_prints_a_private_certificate(client):
    cert = make_certificate(public=False)
    assert client.get(f"/en/verify/{cert.public_id}/print").status_code == 404
    sign_in(client, make_user())
    assert client.get(f"/en/me/certificates/{cert.public_id}/print").status_code == 404


def test_revoked_certificate_says_so_on_paper(client):
    from app.certifications import services

    cert = make_certificate()
    services.revoke(cert, "Issued by mistake", make_user())
    page = text_of(client.get(f"/en/verify/{cert.public_id}/print"))
    assert 'class="sheet-warning"' in page and "Issued by mistake" in page


def test_print_stylesheet_is_a4_without_site_chrome():
    css = PRINT_CSS.read_text()
    assert re.search(r"@page\s*{\s*size:\s*A4;\s*margin:", css)
    media = css[css.index("@media print"):]
    for hidden in (".site-header", ".site-footer", ".print-toolbar"):
        assert hidden in media
    assert "break-inside: avoid" in media and "Noto Sans CJK JP" in css and "Noto Serif CJK JP" in css
    assert "url(" not in css  # no web fonts or images from anywhere
