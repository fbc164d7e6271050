"""What a certificate says, in one language: the words of its verification page and printed copy.

Everything comes from the facts frozen at issue, except the holder's name (live from their profile, as
they chose to show it) and the status, which is worked out now."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from flask_babel import LazyString, force_locale, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.accounts.names import display_name
from app.i18n.countries import country_name
from app.i18n.fields import pick, text
from app.i18n.formatting import format_day, format_number, in_zone
from app.i18n.when import format_session_time

# "Attendance" alone also names a register of who came: the certificate type has its own context.
TYPE_NAMES = {"attendance": LazyString(lambda: pgettext("certificate type", "Attendance")),
              "completion": LazyString(lambda: pgettext("certificate type", "Completion")),
              "assessed": _l("Assessed (passed an assessment)")}
HEADINGS = {"attendance": _l("Certificate of attendance"), "completion": _l("Certificate of completion"),
            "assessed": _l("Certificate of achievement")}
LABELS = {"holder": _l("Awarded to"), "course": _l("Course"), "provider": _l("Provider"),
          "when": _l("Dates of the session"), "hours": _l("Hours"), "eqf": _l("EQF level"),
          "skills": _l("Skill areas"), "type": _l("Type"), "issued": _l("Issued on"),
          "expires": _l("Valid until"), "status": _l("Status"), "id": _l("Certificate id"),
          "check": _l("Check this certificate at"), "brand": _l("Battery Talent Bridge"),
          "no_expiry": _l("Does not expire")}


@dataclass
class Statement:
    lang: str
    heading: str
    holder: str
    course: str  # the course title in this language (the other one if it has none)
    course_lang: str
    provider: str
    when: str | None
    place: str | None
    hours: str | None
    eqf: str | None
    skills: list[str]
    type_name: str
    issued: str
    expires: str | None
    state: str  # valid, expired, revoked
    status: str  # the state in plain words, with its date
    reason: str | None
    labels: dict[str, str] = field(default_factory=dict)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _city(session: dict, lang: str) -> str:
    """The venue city in the certificate's language; records from before venues had two languages
    hold one `venue_city`."""
    return text(session, "venue_city", lang) or session.get("venue_city") or ""


def holder_name(user, lang: str) -> str:
    """The name as the holder chose to show it; never a part of their email address."""
    if user is None or not any((user.family_name, user.given_name, user.family_name_latin,
                                user.given_name_latin)):
        return _("Name not given")
    return display_name(user, lang)


def _hours(value: str | None, lang: str) -> str | None:
    try:
        number = Decimal(value) if value is not None else None
    except InvalidOperation:
        return None
    if number is None:
        return None
    number = int(number) if number == number.to_integral_value() else number.normalize()
    return _("%(hours)s hours", hours=format_number(number, lang))


def _status(certificate, state: str, day) -> str:
    if state == "revoked":
        return _("Revoked on %(date)s", date=day(certificate.revoked_at))
    if state == "expired":
        return _("Expired since %(date)s", date=day(certificate.expires_at))
    if certificate.expires_at is not None:
        return _("Valid until %(date)s", date=day(certificate.expires_at))
    return _("Valid; it does not expire")


def statement(certificate, lang: str, now: datetime) -> Statement:
    facts = certificate.facts or {}
    course, provider, session = facts.get("course") or {}, facts.get("provider") or {}, facts.get("session")
    tz = (session or {}).get("timezone") or "UTC"
    state = certificate.state(now)
    with force_locale(lang):
        def day(value):
            return format_day(in_zone(_aware(value), tz), lang)

        title, title_lang = pick(course, "title", lang)
        when = place = None
        if session:
            days = session.get("days") or [[session["starts_at"], session["ends_at"]]]
            spans = [(_aware(datetime.fromisoformat(a)), _aware(datetime.fromisoformat(b))) for a, b in days]
            # A certificate is a document: its dates in the session's own zone, as they were held.
            when = format_session_time(spans, tz, lang, None)
            place = _("Online") if session.get("online") else ", ".join(
                x for x in (_city(session, lang), country_name(session.get("venue_country"), lang)) if x)
        kind = str(certificate.type)
        return Statement(
            lang=lang, heading=str(HEADINGS.get(kind, kind)), holder=holder_name(certificate.learner, lang),
            course=title or "", course_lang=title_lang or lang, provider=text(provider, "name", lang),
            when=when, place=place, hours=_hours((session or {}).get("hours") or course.get("hours"), lang),
            eqf=str(course["eqf_level"]) if course.get("eqf_level") else None,
            skills=[text(a, "name", lang) for a in course.get("skill_areas") or []],
            type_name=str(TYPE_NAMES.get(kind, kind)), issued=day(certificate.issued_at),
            expires=day(certificate.expires_at) if certificate.expires_at else None,
            state=state, status=_status(certificate, state, day),
            reason=certificate.revoked_reason if state == "revoked" else None,
            labels={k: str(v) for k, v in LABELS.items()},
        )
