"""Mail in the recipient's language.

`send_mail(to, lang, "activate", user=user, link=...)` renders `templates/mail/activate.subject.txt`,
`activate.txt` and, when it exists, `activate.html`, in `lang` (translations, formats and the /<lang>/ of
every link), then:

- sends it through SMTP when MAIL_SERVER is set;
- keeps it in `app.extensions["mail_outbox"]` (a list of EmailMessage) when MAIL_SUPPRESS_SEND is set (tests);
- else saves it as an .eml file in MAIL_OUTBOX and logs where, so a developer can open its links.

Call it after the transaction that caused the mail has committed. A transport failure is logged, not
raised: the action has happened, and the person can ask for the mail again.
"""
from __future__ import annotations

import logging
import os
import re
import secrets
import smtplib
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app, g
from flask_babel import force_locale
from flask_babel import gettext as _
from jinja2 import TemplateNotFound

from app.platform.siteurl import site_url

logger = logging.getLogger(__name__)


def init_app(app) -> None:
    """With MAIL_SUPPRESS_SEND (tests) messages collect in this list, there from the start."""
    if app.config.get("MAIL_SUPPRESS_SEND"):
        app.extensions.setdefault("mail_outbox", [])


def external_url(endpoint: str, lang: str, **values) -> str:
    """An absolute link on the site's address (app/platform/siteurl.py: SITE_URL when set, never the Host header
    then), under /<lang>/ when the endpoint has a language prefix. Works outside a request too (commands
    run from cron)."""
    app = current_app
    site = urlsplit(site_url())
    if app.url_map.is_endpoint_expecting(endpoint, "lang_code"):
        values.setdefault("lang_code", lang)
    adapter = app.url_map.bind(
        site.netloc, script_name=site.path.rstrip("/") or "/", url_scheme=site.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def send_mail(to: str, lang: str, template: str, **context) -> None:
    """Render `mail/<template>.*` in `lang` and deliver it to `to` (see the module's docstring)."""
    if lang not in current_app.config["LANGUAGES"]:
        lang = current_app.config["BABEL_DEFAULT_LOCALE"]
    subject, text, html, sender = _render(template, lang, context)
    message = _build(to, lang, sender, subject, text, html)
    _deliver(message, template)


def _render(template: str, lang: str, context: dict) -> tuple[str, str, str | None, str]:
    """Subject (one line), plain text, HTML or None, and the sender's name, all in `lang`."""
    from flask import render_template

    context = {
        "lang": lang,
        "url": lambda endpoint, **values: external_url(endpoint, lang, **values),
        **context,
    }
    had_lang, previous = "lang" in g, g.get("lang")
    with force_locale(lang):
        g.lang = lang  # url_for, `current_lang` and the formatting filters follow the recipient
        try:
            subject = render_template(f"mail/{template}.subject.txt", **context)
            text = render_template(f"mail/{template}.txt", **context)
            try:
                html = render_template(f"mail/{template}.html", **context)
            except TemplateNotFound:
                html = None
            sender = _("Battery Talent Bridge")
        finally:
            if had_lang:
                g.lang = previous
            else:
                g.pop("lang", None)
    return " ".join(subject.split()), _tidy(text), html, sender


def _tidy(text: str) -> str:
    """Template whitespace out: no trailing spaces, at most one empty line in a row."""
    # "-- " keeps its space: it is the signature separator mail programs recognise.
    lines = [line if line == "-- " else line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def _build(to: str, lang: str, sender: str, subject: str, text: str, html: str | None) -> EmailMessage:
    config = current_app.config
    name, address = parseaddr(config["MAIL_FROM"])
    address = address or "no-reply@localhost"
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = formataddr((name or sender, address))
    message["To"] = to
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=address.rpartition("@")[2] or "localhost")
    # RFC 3834: automatic replies (out of office) should not answer this.
    message["Auto-Submitted"] = "auto-generated"
    # UTF-8 in 8 bits keeps links readable and unbroken in the saved .eml (no quoted-printable "=").
    message.set_content(text, charset="utf-8", cte="8bit")
    if html is not None:
        message.add_alternative(html, subtype="html", charset="utf-8", cte="8bit")
    message["Content-Language"] = lang  # after the body: setting content replaces Content-* headers
    return message


def _deliver(message: EmailMessage, template: str) -> None:
    config = current_app.config
    if config.get("MAIL_SUPPRESS_SEND"):
        current_app.extensions.setdefault("mail_outbox", []).append(message)
        return
    if config.get("MAIL_SERVER"):
        try:
            _send_smtp(message, config)
        except (smtplib.SMTPException, OSError):
            logger.exception("mail to %s: %s could not be sent", message["To"], message["Subject"])
        return
    path = _save(message, template, Path(config["MAIL_OUTBOX"]))
    logger.info("mail to %s: %s saved as %s", message["To"], message["Subject"], path)


def _send_smtp(message: EmailMessage, config) -> None:
    host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config.get("MAIL_TIMEOUT", 20)
    context = ssl.create_default_context()
    if config.get("MAIL_USE_SSL"):
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    with smtp:
        if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
            smtp.starttls(context=context)
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)


def _save(message: EmailMessage, template: str, folder: Path) -> Path:
    """Readable only by the owner: the messages hold sign-in and reset links."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    path = folder / f"{stamp}-{template}-{secrets.token_hex(4)}.eml"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(message.as_bytes())
    return path
