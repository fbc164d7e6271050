"""Mail to certificate holders, each in their own language, sent after the commit: a certificate issued,
revoked or renewed, and the renewal reminders 60 and 14 days before expiry (`flask send-renewal-reminders`).

Every function takes certificate ids (objects may have been expired by the commit) and reloads them with
holder and course in one query. A holder whose account is gone (no learner, or deleted) gets no mail.
"""
from __future__ import annotations

from datetime import datetime

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext
from werkzeug.routing import BuildError

from app.accounts.models import AccountStatus
from app.certifications import issuing_queries as queries
from app.certifications.models import Certification
from app.i18n.fields import text
from app.platform.database import utcnow, write_transaction
from app.platform.extensions import db
from app.platform.mail import external_url, send_mail

# (days before expiry, the column that records the reminder), the nearest first: a certificate found
# inside 14 days is reminded once, and its 60-day reminder counts as sent.
THRESHOLDS = ((14, "reminded_14_at"), (60, "reminded_60_at"))


def fact(facts: dict, part: str, field: str, lang: str) -> str:
    """A frozen fact in `lang`, else in the other language: fact(c.facts, "course", "title", "ja")."""
    return text((facts or {}).get(part) or {}, field, lang)


def _link(endpoint: str, lang: str, **values) -> str:
    try:
        return external_url(endpoint, lang, **values)
    except BuildError:  # the learner's certificate pages not installed: their dashboard
        return external_url("me.index", lang)


def _send(certificate: Certification, template: str, **extra) -> bool:
    learner = certificate.learner
    if learner is None or learner.status == AccountStatus.DELETED or not learner.email:
        return False
    lang = learner.preferred_language or "en"
    send_mail(
        learner.email, lang, template, user=learner, certificate=certificate,
        title=fact(certificate.facts, "course", "title", lang),
        provider=fact(certificate.facts, "provider", "name", lang),
        certificate_url=_link("certs.detail", lang, public_id=certificate.public_id),
        certificates_url=_link("certs.index", lang),
        course_url=external_url("catalog.detail", lang, course_id=certificate.course_id),
        **extra,
    )
    return True


def notify_issued(ids) -> int:
    return sum(_send(c, "certificate_issued") for c in queries.load_certificates(ids))


def notify_revoked(certificate_id: int) -> int:
    return sum(_send(c, "certificate_revoked") for c in queries.load_certificates([certificate_id]))


def notify_renewed(certificate_id: int) -> int:
    return sum(_send(c, "certificate_renewed") for c in queries.load_certificates([certificate_id]))


def _claim(now: datetime, days: int, column_name: str) -> list[int]:
    """Mark the due certificates as reminded with a conditional UPDATE (the column still empty), so a
    second run, at once or later, finds nothing left to claim. The nearer reminder also marks the farther."""
    column = getattr(Certification, column_name)
    due = queries.reminders_due(now, days, column)
    if not due:
        return []
    values = {column_name: now}
    if column_name == "reminded_14_at":
        values["reminded_60_at"] = sa.func.coalesce(Certification.reminded_60_at, now)
    return list(db.session.scalars(
        sa.update(Certification).where(Certification.id.in_(due), column.is_(None)).values(**values)
        .returning(Certification.id).execution_options(synchronize_session=False)
    ))


def send_renewal_reminders(now: datetime | None = None) -> dict[int, int]:
    """Remind holders 60 and 14 days before their certificate expires, once per threshold: each
    certificate is claimed and committed before its mail goes. Commits. Returns {days: mails sent}."""
    now = now or utcnow()
    db.session.commit()  # end any read transaction: the claim below takes the write lock first
    claimed: dict[int, list[int]] = {}
    with write_transaction():
        for days, column_name in THRESHOLDS:
            claimed[days] = _claim(now, days, column_name)
        db.session.commit()
    sent = {}
    for days, ids in claimed.items():
        sent[days] = 0
        for certificate in queries.load_certificates(ids):
            left = max((certificate.expires_at - now).days, 0)
            sent[days] += _send(certificate, "certificate_expiring", days=left)
    current_app.logger.info("renewal reminders sent: %s", sent)
    return sent


def init_app(app: Flask) -> None:
    @app.cli.command("send-renewal-reminders")
    @with_appcontext
    def send_renewal_reminders_command():
        """Mail holders 60 and 14 days before their certificate expires (cron, daily; each reminder once)."""
        sent = send_renewal_reminders()
        click.echo(", ".join(f"{n} reminders {days} days ahead sent" for days, n in sorted(sent.items())))
