"""The holder's certificates: the list, one certificate with its share link, QR code and public switch.
Only the holder sees them; the list's query count does not grow with the number of certificates."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from app.certifications import services
from app.certifications.models import Certification
from app.certifications.qr import qr_svg
from app.platform.extensions import db
from tests.certifications.holder_fixtures import (
    TITLE_EN,
    TITLE_JA,
    client,  # noqa: F401  (an address of its own)
    make_certificate,
    make_holder,
)
from tests.factories import make_user, sign_in

SVG = "{http://www.w3.org/2000/svg}"


def text_of(response) -> str:
    return response.get_data(as_text=True)


def paths(public_id: str) -> list[tuple[str, str]]:
    base = f"/en/me/certificates/{public_id}"
    return [("GET", "/en/me/certificates/"), ("GET", base), ("GET", f"{base}/print"), ("GET", f"{base}/qr.svg"),
            ("POST", f"{base}/visibility")]


def test_anonymous_is_sent_to_sign_in(client):
    cert = make_certificate()
    for method, path in paths(cert.public_id):
        response = client.open(path, method=method, data={"public": "on"})
        assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"], path


def test_another_person_gets_404(client):
    cert = make_certificate(public=True)
    sign_in(client, make_user())
    for method, path in paths(cert.public_id)[1:]:
        assert client.open(path, method=method, data={"public": "off"}).status_code == 404, path
    assert cert.public is True
    page = text_of(client.get("/en/me/certificates/"))
    assert cert.public_id not in page and "You have no certificate yet." in page


def test_list_says_status_expiry_title_provider_and_dates(client):
    holder = make_holder()
    valid = make_certificate(holder, expires_at=datetime(2031, 4, 1, 12, tzinfo=UTC),
                             issued_at=datetime(2026, 4, 1, 12, tzinfo=UTC))
    expired = make_certificate(holder, expires_at=datetime(2026, 2, 1, 12, tzinfo=UTC),
                               issued_at=datetime(2024, 2, 1, 12, tzinfo=UTC))
    revoked = make_certificate(holder)
    services.revoke(revoked, "Issued by mistake", make_user(), now=datetime(2026, 6, 3, 9, tzinfo=UTC))
    sign_in(client, holder)
    page = text_of(client.get("/en/me/certificates/"))
    assert TITLE_EN in page and TITLE_JA not in page and "Kansai Battery Academy" in page
    assert "Valid until 1 Apr 2031" in page and "1 Apr 2026" in page
    assert "Expired since 1 Feb 2026" in page
    assert "Revoked on 3 Jun 2026" in page and "Issued by mistake" in page
    for cert in (valid, expired, revoked):
        assert f'href="/en/me/certificates/{cert.public_id}"' in page
    page = text_of(client.get("/ja/me/certificates/"))
    assert TITLE_JA in page and "関西電池アカデミー" in page and "2031年4月1日" in page


def test_dashboard_links_to_the_certificates(client):
    sign_in(client, make_holder())
    assert 'href="/en/me/certificates/"' in text_of(client.get("/en/me/"))


@pytest.fixture
def holder_with(db_session):
    def make(count: int):
        holder = make_holder()
        first = make_certificate(holder)
        for _ in range(count - 1):
            make_certificate(holder, course=first.course)
        renewed = make_certificate(holder, course=first.course, expires_at=datetime.now(UTC))
        first.course.validity_months = 12
        services.renew(renewed, make_user())
        return holder

    return make


def test_list_query_count_does_not_grow(app, client, holder_with, count_queries):
    counts = []
    for n in (2, 20):
        holder = holder_with(n)
        sign_in(client, holder)
        db.session.flush()
        with count_queries() as counter:
            response = client.get("/en/me/certificates/")
        assert response.status_code == 200 and text_of(response).count('data-state="') == n + 2
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_detail_has_share_link_qr_and_the_switch_off_by_default(client):
    cert = make_certificate(public=False)
    assert cert.public is False
    sign_in(client, cert.learner)
    page = text_of(client.get(f"/en/me/certificates/{cert.public_id}"))
    link = f"http://localhost/en/verify/{cert.public_id}"
    assert f'href="{link}"' in page and "Public page off" in page and 'name="public" value="on"' in page
    svg = page[page.index("<svg"):page.index("</svg>") + 6]
    assert "style=" not in svg and "<script" not in svg
    ET.fromstring(svg)
    assert svg == qr_svg(link, "QR code: link to the verification page of this certificate")


def test_switch_turns_the_public_page_on_and_off(client):
    cert = make_certificate(public=False)
    sign_in(client, cert.learner)
    url = f"/en/me/certificates/{cert.public_id}/visibility"
    response = client.post(url, data={"public": "on"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/en/me/certificates/{cert.public_id}")
    db.session.refresh(cert)
    assert cert.public and cert.public_since is not None
    assert "Public page on" in text_of(client.get(f"/en/me/certificates/{cert.public_id}"))
    client.post(url, data={"public": "off"})
    db.session.refresh(cert)
    assert not cert.public and cert.public_since is None
    assert client.post(url, data={"public": "maybe"}).status_code == 400


def test_switch_needs_the_form_token(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    cert = make_certificate(public=False)
    sign_in(client, cert.learner)
    client.post(f"/en/me/certificates/{cert.public_id}/visibility", data={"public": "on"})
    assert db.session.execute(sa.select(Certification.public).where(Certification.id == cert.id)).scalar() is False


def test_qr_svg_file_is_well_formed_and_holds_the_verify_link(client):
    cert = make_certificate()
    sign_in(client, cert.learner)
    response = client.get(f"/ja/me/certificates/{cert.public_id}/qr.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.headers["Cache-Control"] == "no-store"
    body = text_of(response)
    root = ET.fromstring(body.encode("utf-8"))
    assert root.tag == f"{SVG}svg" and root.find(f"{SVG}title") is not None
    assert "style=" not in body
    link = f"http://localhost/ja/verify/{cert.public_id}"
    with force_locale("ja"):  # the title is in the page's language
        title = gettext("QR code: link to the verification page of this certificate")
    assert title != "QR code: link to the verification page of this certificate"
    assert body == qr_svg(link, title, standalone=True)


def test_qr_is_made_by_segno_from_the_verify_link(client, monkeypatch):
    import segno

    from app.certifications import qr

    made = []
    real = segno.make

    def spy(content, **kw):
        made.append(content)
        return real(content, **kw)

    monkeypatch.setattr(qr.segno, "make", spy)
    cert = make_certificate()
    sign_in(client, cert.learner)
    client.get(f"/en/me/certificates/{cert.public_id}/qr.svg")
    assert made == [f"http://localhost/en/verify/{cert.public_id}"]
