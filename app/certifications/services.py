"""Issuing, revoking, renewing and sharing certificates. Flush, never commit."""
from __future__ import annotations

import secrets
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.catalog.models import Course, CourseSession
from app.certifications.models import CertificateStatus, CertificateType, Certification
from app.enrolment.models import Enrolment, EnrolmentStatus
from app.platform.database import utcnow
from app.platform.domain import DomainError
from app.platform.extensions import db


class CertificationError(DomainError):
    """A broken certification rule, with its code."""


def new_public_id() -> str:
    return secrets.token_urlsafe(24)  # 192 random bits in 32 URL-safe characters


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` later, or the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, monthrange(year, month)[1]))


def expiry(issued_at: datetime, validity_months: int | None) -> datetime | None:
    return add_months(issued_at, validity_months) if validity_months else None


def facts_of(course: Course, session: CourseSession | None) -> dict:
    """What the certificate states, frozen now; later edits to the course change no certificate."""
    provider = course.provider
    return {
        "course": {"id": course.id, "title_en": course.title_en, "title_ja": course.title_ja,
                   "kind": str(course.kind), "eqf_level": course.eqf_level,
                   "hours": str(course.duration_hours) if course.duration_hours is not None else None,
                   "skill_areas": [{"code": a.code, "name_en": a.name_en, "name_ja": a.name_ja}
                                   for a in sorted(course.skill_areas, key=lambda a: a.position)]},
        "provider": {"id": provider.id, "name_en": provider.name_en, "name_ja": provider.name_ja,
                     "country": provider.country, "city": provider.city, "city_en": provider.city_en,
                     "city_ja": provider.city_ja},
        "session": None if session is None else {
            "starts_at": session.starts_at.isoformat(), "ends_at": session.ends_at.isoformat(),
            "timezone": session.timezone, "online": session.online,
            # The hours the session itself held (its days), not the course's nominal duration.
            "hours": str(session.total_hours),
            "days": [[start.isoformat(), end.isoformat()] for start, end in session.spans],
            "venue_city": session.venue_city, "venue_city_en": session.venue_city_en,
            "venue_city_ja": session.venue_city_ja, "venue_country": session.venue_country},
    }


@dataclass
class Issued:
    certificates: list[Certification] = field(default_factory=list)
    skipped: int = 0  # already certified, or not completed


def _certificate_type(course: Course) -> CertificateType:
    if str(course.certification) == "none" or not course.certification:
        raise CertificationError(_l("This course does not offer a certificate."), "no_certificate")
    return CertificateType(str(course.certification))


def check_ended(session, now: datetime | None = None) -> None:
    """Refuses (CertificationError) while the session's last day has not ended: a certificate states
    hours the learner has attended."""
    if (now or utcnow()) < session.ends_at:
        raise CertificationError(
            _l("Certificates can be issued only after the session's last day has ended. Nothing was issued."),
            "not_ended")


def issue(enrolments: list[Enrolment], issuer, *, now: datetime | None = None) -> Issued:
    """Certificates for completed enrolments (one, or a whole session); those already certified or not
    completed are skipped, so issuing twice gives each learner one certificate."""
    now = now or utcnow()
    result = Issued()
    for enrolment in enrolments:
        session = enrolment.session
        course = session.course
        kind = _certificate_type(course)
        check_ended(session, now)
        if enrolment.status != EnrolmentStatus.COMPLETED or _has_original(enrolment.id):
            result.skipped += 1
            continue
        certificate = Certification(
            public_id=new_public_id(), learner_id=enrolment.learner_id, enrolment_id=enrolment.id,
            course_id=course.id, session_id=session.id, organisation_id=course.provider_id, type=kind,
            issued_at=now, expires_at=expiry(now, course.validity_months), issued_by_id=issuer.id,
            facts=facts_of(course, session))
        try:
            with db.session.begin_nested():  # a concurrent twin wins the unique index: skip
                db.session.add(certificate)
        except sa.exc.IntegrityError:
            result.skipped += 1
            continue
        result.certificates.append(certificate)
    return result


def _has_original(enrolment_id: int) -> bool:
    return db.session.execute(
        sa.select(Certification.id).where(Certification.enrolment_id == enrolment_id,
                                          Certification.replaces_id.is_(None))
    ).first() is not None


def revoke(certificate: Certification, reason: str, revoker, *, now: datetime | None = None) -> None:
    if certificate.status == CertificateStatus.REVOKED:
        raise CertificationError(_l("This certificate is already revoked."), "revoked")
    if not reason or not reason.strip():
        raise CertificationError(_l("Give the reason for revoking: the holder and verifiers see it."), "reason")
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = now or utcnow()
    certificate.revoked_reason = reason.strip()
    certificate.revoked_by_id = revoker.id
    certificate.signed_jwt = None  # a status change: the credential is signed afresh if it is asked for
    db.session.flush()


def renew(certificate: Certification, issuer, *, now: datetime | None = None) -> Certification:
    """A new certificate that replaces an expiring (or expired) one, valid for the course's validity
    from today; the old one stays as it was, pointing forward through `replaces`."""
    now = now or utcnow()
    if certificate.status == CertificateStatus.REVOKED:
        raise CertificationError(_l("A revoked certificate cannot be renewed."), "revoked")
    if certificate.expires_at is None:
        raise CertificationError(_l("This certificate does not expire, so it needs no renewal."), "no_expiry")
    if db.session.execute(sa.select(Certification.id).where(Certification.replaces_id == certificate.id)).first():
        raise CertificationError(_l("This certificate has already been renewed."), "renewed")
    course = certificate.course
    renewal = Certification(
        public_id=new_public_id(), learner_id=certificate.learner_id, enrolment_id=certificate.enrolment_id,
        course_id=certificate.course_id, session_id=certificate.session_id,
        organisation_id=certificate.organisation_id, replaces_id=certificate.id, type=certificate.type,
        issued_at=now, expires_at=expiry(now, course.validity_months), issued_by_id=issuer.id,
        facts={**certificate.facts, "renews": certificate.public_id}, public=certificate.public,
        public_since=now if certificate.public else None)
    db.session.add(renewal)
    db.session.flush()
    return renewal


def set_public(certificate: Certification, public: bool, *, now: datetime | None = None) -> None:
    """The holder's switch for the public verification page; off hides it at once."""
    certificate.public = public
    certificate.public_since = (now or utcnow()) if public else None
    if not public:
        certificate.signed_jwt = None  # withdrawn: no signed copy of it is kept to be served
    db.session.flush()
