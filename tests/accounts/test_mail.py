"""Mail in the recipient's language, with absolute links on SITE_URL, delivered by SMTP or an outbox."""
from __future__ import annotations

import logging
import os

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from jinja2 import ChoiceLoader, DictLoader

from app.accounts.models import NameOrder, User
from app.platform import mail
from app.platform.mail import external_url, send_mail
from app.providers.models import ProviderApplication

SITE = "https://bridge.example.org"


@pytest.fixture(autouse=True)
def site_url(app, monkeypatch):
    """Every mail in this file links to SITE (the mails themselves are read from conftest's `outbox`)."""
    monkeypatch.setitem(app.config, "SITE_URL", SITE)


def yamada() -> User:
    return User(email="taro@example.jp", family_name="山田", given_name="太郎", family_name_latin="Yamada",
                given_name_latin="Taro", name_order=NameOrder.FAMILY_FIRST, preferred_language="ja")


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_external_url_uses_site_url_and_language(app, monkeypatch):
    monkeypatch.setitem(app.config, "SITE_URL", "https://bridge.example.org/sub")
    with app.test_request_context("/en/", base_url="http://evil.example.com"):
        assert external_url("legal.privacy", "ja") == "https://bridge.example.org/sub/ja/privacy"
        assert external_url("catalog.detail", "en", course_id=7) == "https://bridge.example.org/sub/en/courses/7"
    with app.app_context():  # no request at all: a command run from cron
        assert external_url("health.healthz", "ja") == "https://bridge.example.org/sub/healthz"


def test_japanese_recipient_gets_japanese(app, outbox):
    user = yamada()
    send_mail("taro@example.jp", "ja", "activate", user=user, link=external_url("home.index", "ja"))
    (message,) = outbox
    with force_locale("ja"):
        assert message["Subject"] == _("Confirm your email address")
    assert message["Content-Language"] == "ja"
    assert message["To"] == "taro@example.jp"
    text = body(message)
    assert "山田太郎" in text  # greeting in native script, family name first
    assert f"{SITE}/ja/" in text


def test_english_recipient_gets_english(app, outbox):
    send_mail("taro@example.jp", "en", "reset_password", user=yamada(), link="https://x.example/reset")
    (message,) = outbox
    assert message["Subject"] == "Reset your password"
    assert message["Content-Language"] == "en"
    text = body(message)
    assert text.startswith("Hello Yamada Taro,")
    assert "https://x.example/reset" in text
    assert "one hour" in text and "only once" in text
    assert f"{SITE}/en/" in text


def test_translations_are_applied(app, outbox, monkeypatch):
    """force_locale really switches gettext: a template with a string the catalogue already has."""
    loader = ChoiceLoader([DictLoader({
        "mail/probe.subject.txt": "{{ _('Courses & events') }}",
        "mail/probe.txt": "{{ _('Courses & events') }} {{ url('catalog.index') }}",
        "mail/probe.html": "<p>{{ _('Courses & events') }} {{ '<b>' }}</p>",
    }), app.jinja_env.loader])
    monkeypatch.setattr(app.jinja_env, "loader", loader)
    app.jinja_env.cache.clear()
    send_mail("taro@example.jp", "ja", "probe")
    send_mail("taro@example.jp", "en", "probe")
    app.jinja_env.cache.clear()
    ja, en = outbox
    assert ja["Subject"] == "講座・イベント"
    assert body(ja) == f"講座・イベント {SITE}/ja/courses\n"
    assert ja.get_body(("html",)).get_content().strip() == "<p>講座・イベント &lt;b&gt;</p>"
    assert en["Subject"] == "Courses & events"
    assert body(en) == f"Courses & events {SITE}/en/courses\n"


def test_language_of_the_request_is_left_alone(app, outbox):
    from flask import g

    with app.test_request_context("/en/"):
        g.lang = "en"
        send_mail("taro@example.jp", "ja", "password_changed", user=yamada(), reset_link="https://x/r")
        assert g.lang == "en"
        assert _("Courses & events") == "Courses & events"


def test_links_default_to_the_account_pages(outbox):
    send_mail("a@example.org", "ja", "account_exists", user=yamada())
    send_mail("a@example.org", "ja", "password_changed", user=yamada())
    exists, changed = (body(m) for m in outbox)
    assert external_url("accounts.sign_in", "ja") in exists
    assert external_url("accounts.forgot_password", "ja") in exists
    assert external_url("accounts.forgot_password", "ja") in changed


def test_outbox_list_exists_before_any_mail(app):
    assert isinstance(app.extensions["mail_outbox"], list)


def test_unknown_language_falls_back_to_english(outbox):
    send_mail("a@example.org", "fr", "password_changed", user=None, reset_link="https://x/r")
    assert outbox[0]["Content-Language"] == "en"
    assert body(outbox[0]).startswith("Hello,")


def test_headers(outbox, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_FROM", "noreply@bridge.example.org")
    send_mail("a@example.org", "en", "account_exists", user=None, sign_in_link="https://s", reset_link="https://r")
    message = outbox[0]
    assert message["From"] == "Battery Talent Bridge <noreply@bridge.example.org>"
    assert message["Date"] and message["Message-ID"].endswith("@bridge.example.org>")
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_charset() == "utf-8"
    text = body(message)
    assert "https://s" in text and "https://r" in text


@pytest.mark.parametrize("approved", [True, False])
def test_decision_mails(outbox, approved):
    application = ProviderApplication(name_en="Cell Academy", name_ja="セルアカデミー", country="DE")
    send_mail("a@example.org", "en", "provider_application_decided", user=yamada(), application=application,
              approved=approved, comment="Please add the website.")
    send_mail("a@example.org", "en", "course_reviewed", user=yamada(), course_title="Black mass recovery",
              approved=approved, comment="Dates are missing.", link=f"{SITE}/en/provider")
    decided, reviewed = outbox
    assert "Cell Academy" in body(decided) and "Please add the website." in body(decided)
    assert ("approved" if approved else "not approved") in decided["Subject"]
    assert "Black mass recovery" in reviewed["Subject"]
    assert "Dates are missing." in body(reviewed) and f"{SITE}/en/provider" in body(reviewed)


def test_every_account_template_renders_in_both_languages(outbox):
    contexts = {
        "activate": dict(link="https://l", valid_hours=24),
        "reset_password": dict(link="https://l"),
        "password_changed": dict(reset_link="https://l"),
        "account_exists": dict(sign_in_link="https://l", reset_link="https://l"),
        "provider_application_decided": dict(application=ProviderApplication(name_ja="電池塾", country="JP"),
                                             approved=True, comment=None),
        "course_reviewed": dict(course_title="電池", approved=False, comment=None),
    }
    for lang in ("en", "ja"):
        for template, context in contexts.items():
            send_mail("a@example.org", lang, template, user=yamada(), **context)
    assert len(outbox) == 12
    for message in outbox:
        text = body(message)
        assert message["Subject"] and "\n\n\n" not in text and "{" not in text
        assert "\n-- \n" in text


def test_outbox_folder_without_smtp(app, tmp_path, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "MAIL_SUPPRESS_SEND", False)
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    monkeypatch.setitem(app.config, "MAIL_OUTBOX", str(tmp_path / "outbox"))
    monkeypatch.setitem(app.config, "SITE_URL", SITE)
    with app.app_context(), caplog.at_level(logging.INFO, logger="app.platform.mail"):
        send_mail("taro@example.jp", "ja", "reset_password", user=yamada(), link=f"{SITE}/ja/account/reset/tok")
    (path,) = (tmp_path / "outbox").iterdir()
    assert path.suffix == ".eml" and "reset_password" in path.name
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    raw = path.read_bytes()
    # 8-bit UTF-8: the link and the Japanese name are readable as they are in the file.
    assert f"{SITE}/ja/account/reset/tok".encode() in raw
    assert "山田太郎".encode() in raw
    import email
    from email import policy

    subject = email.message_from_bytes(raw, policy=policy.default)["Subject"]
    assert subject != "Reset your password"  # the Japanese subject, for a Japanese reader
    assert f"mail to taro@example.jp: {subject} saved as {path}" in caplog.text


class FakeSMTP:
    instances: list[FakeSMTP] = []

    def __init__(self, host, port, timeout=None, **kw):
        self.host, self.port, self.calls, self.sent = host, port, [], []
        FakeSMTP.instances.append(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.calls.append("quit")

    def starttls(self, context=None):
        self.calls.append("starttls")

    def login(self, user, password):
        self.calls.append(("login", user, password))

    def send_message(self, message):
        self.sent.append(message)


def test_smtp(app, monkeypatch, tmp_path):
    FakeSMTP.instances.clear()
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    for key, value in dict(MAIL_SUPPRESS_SEND=False, MAIL_SERVER="smtp.example.org", MAIL_PORT=2525,
                           MAIL_USERNAME="bridge", MAIL_PASSWORD="s3cret", MAIL_USE_TLS=True,
                           MAIL_USE_SSL=False, MAIL_OUTBOX=str(tmp_path)).items():
        monkeypatch.setitem(app.config, key, value)
    with app.app_context():
        send_mail("taro@example.jp", "en", "password_changed", user=yamada(), reset_link="https://r")
    (smtp,) = FakeSMTP.instances
    assert (smtp.host, smtp.port) == ("smtp.example.org", 2525)
    assert smtp.calls == ["starttls", ("login", "bridge", "s3cret"), "quit"]
    assert smtp.sent[0]["To"] == "taro@example.jp"
    assert os.listdir(tmp_path) == []  # nothing saved when sent


def test_smtp_failure_is_logged_not_raised(app, monkeypatch, caplog):
    class Refusing(FakeSMTP):
        def send_message(self, message):
            raise mail.smtplib.SMTPRecipientsRefused({"taro@example.jp": (550, b"no")})

    monkeypatch.setattr(mail.smtplib, "SMTP", Refusing)
    monkeypatch.setitem(app.config, "MAIL_SUPPRESS_SEND", False)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    with app.app_context(), caplog.at_level(logging.ERROR, logger="app.platform.mail"):
        send_mail("taro@example.jp", "en", "password_changed", user=yamada(), reset_link="https://r")
    assert "could not be sent" in caplog.text
