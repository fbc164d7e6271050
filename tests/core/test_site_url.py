"""Absolute links follow the address the site runs on (issue 14, point 1): without SITE_URL, a request's
own host and port; for `flask` commands the address `make run` records; with SITE_URL (production needs
it) always SITE_URL, whatever the Host header says."""
from __future__ import annotations

import re
import secrets

import pytest

from app import create_app
from app.certifications.qr import verify_url
from app.platform.mail import external_url
from app.platform.siteurl import site_url
from config import ProductionConfig
from tests.factories import make_course, make_session, make_user

HERE = "http://127.0.0.1:5099"


@pytest.fixture
def unset(app, monkeypatch):
    """A local run without SITE_URL, and no recorded address."""
    monkeypatch.setitem(app.config, "SITE_URL", "")
    monkeypatch.setitem(app.config, "SITE_URL_FILE", None)


def _mail_links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.get_body(("plain",)).get_content())


def test_hreflang_alternates_name_the_requests_host(client, unset):
    page = client.get("/ja/", base_url=HERE).get_data(as_text=True)
    assert f'hreflang="en" href="{HERE}/en/"' in page
    assert f'hreflang="ja" href="{HERE}/ja/"' in page
    assert "127.0.0.1:5000" not in page


def test_activation_mail_links_to_the_port_the_person_registered_on(client, unset, outbox):
    data = dict(email="port@example.com", password="violet kettle under nine bridges",
                confirm="violet kettle under nine bridges", preferred_language="en", accept_terms="y")
    assert client.post("/en/account/register", data=data, base_url=HERE).status_code == 302
    (message,) = outbox
    links = _mail_links(message)
    assert links and all(link.startswith(f"{HERE}/") for link in links), links
    assert any(link.startswith(f"{HERE}/en/account/activate/") for link in links)


def test_reset_mail_links_to_the_requests_host(client, unset, outbox):
    make_user(email="reset@example.com")
    client.post("/en/account/forgot-password", data={"email": "reset@example.com"}, base_url=HERE)
    (message,) = outbox
    assert any(link.startswith(f"{HERE}/en/account/reset/") for link in _mail_links(message))


def test_share_link_and_qr_code_name_the_requests_host(app, unset):
    with app.test_request_context("/en/", base_url=HERE):
        certificate = type("C", (), {"public_id": "abc123"})()
        assert verify_url(certificate, "ja") == f"{HERE}/ja/verify/abc123"


def test_calendar_feed_links_to_the_requests_host(client, unset):
    make_course(title_en="Feed course", sessions=[make_session(days_ahead=10)])
    body = client.get("/sessions.ics", base_url=HERE).get_data(as_text=True).replace("\r\n ", "")
    assert f"URL:{HERE}/en/courses/" in body or f"URL;VALUE=URI:{HERE}/en/courses/" in body
    assert "127.0.0.1:5000" not in body


def test_a_command_without_a_request_uses_the_address_make_run_recorded(app, unset, tmp_path, monkeypatch):
    recorded = tmp_path / "site-url"
    recorded.write_text("http://127.0.0.1:5101\n")
    monkeypatch.setitem(app.config, "SITE_URL_FILE", str(recorded))
    with app.app_context():
        assert site_url() == "http://127.0.0.1:5101"
        assert external_url("accounts.sign_in", "ja") == "http://127.0.0.1:5101/ja/account/sign-in"
    recorded.write_text("javascript:alert(1)\n")  # not an address: the default, never this
    with app.app_context():
        assert site_url() == "http://127.0.0.1:5000"


def test_make_run_records_its_address():
    from pathlib import Path

    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    assert "instance/site-url" in makefile and "$(PORT)" in makefile


def test_site_url_set_wins_over_the_host_header(client, app, monkeypatch, outbox):
    monkeypatch.setitem(app.config, "SITE_URL", "https://talent.example.eu")
    page = client.get("/en/", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert 'href="https://talent.example.eu/ja/"' in page and "evil.example" not in page
    make_user(email="victim@example.com")
    client.post("/en/account/forgot-password", data={"email": "victim@example.com"},
                headers={"Host": "evil.example"})
    (message,) = outbox
    assert all(link.startswith("https://talent.example.eu/") for link in _mail_links(message))


def test_production_never_takes_the_address_from_the_request(monkeypatch, database_uri):
    assert ProductionConfig.SITE_URL_FROM_REQUEST is False
    monkeypatch.setenv("SITE_URL", "https://talent.example.eu")
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", secrets.token_urlsafe(48))
    monkeypatch.setattr(ProductionConfig, "SITE_URL", "https://talent.example.eu")
    config = ProductionConfig()
    config.SQLALCHEMY_DATABASE_URI = database_uri
    application = create_app(config)
    with application.test_request_context("/en/", base_url="http://evil.example:8080"):
        assert site_url() == "https://talent.example.eu"
        assert external_url("accounts.activate", "en", token="t").startswith("https://talent.example.eu/en/")
    application.config["SITE_URL"] = ""  # lost after start: refuse rather than trust the Host header
    with application.test_request_context("/en/", base_url="http://evil.example"):
        with pytest.raises(RuntimeError, match="SITE_URL"):
            site_url()
