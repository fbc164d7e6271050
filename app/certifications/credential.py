"""A certificate as an Open Badges 3.0 `OpenBadgeCredential` (W3C Verifiable Credentials data model 2.0),
signed as a VC-JWT (RS256), and the check of a credential pasted on the verification page.

Choices (see also signing.py):
- Issuer: this site (SITE_URL/api/v1/issuer) signs every credential; the training provider named on the
  certificate is the achievement's `creator` (a Profile with its own id, SITE_URL/en/providers/<id>).
- Two languages, valid against the official schema (where `name` and `description` are plain strings, so
  VC 2.0 language objects would fail): the Achievement is the English edition (`inLanguage: "en"`) and
  carries its Japanese edition in `related` (OB 3.0's own mechanism for "alternate language editions":
  a Related with `inLanguage: "ja"` and the Japanese `name` and `description`, which the OB context maps
  to schema.org). Display strings that have no language mechanism (the credential's name and
  description, profile names, the criteria narrative) hold both languages, English first.
- Status: `credentialStatus` is a `1EdTechRevocationList` (1EdTech Revocation List Status Method, used by
  Open Badges 3.0) at SITE_URL/api/v1/credentials/<public_id>/status.
- Subject: no email in clear. `identifier` holds the account's email as a salted SHA-256 IdentityObject
  and the holder's name as they chose to show it; the subject's `id` is an opaque per-credential URN.
- Every id is built from the site's address (app/platform/siteurl.py): SITE_URL, never the request's host, when set.
"""
from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.models import AccountStatus
from app.accounts.names import display_name
from app.certifications import display, queries, signing
from app.certifications.models import Certification
from app.i18n import LANGUAGES
from app.i18n.fields import joined, one_line
from app.platform import cache, siteurl
from app.platform.database import utcnow

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
SCHEMA_ID = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential-jsonschema1.json"
STATUS_TYPE = "1EdTechRevocationList"
ACHIEVEMENT_TYPES = {"attendance": "ext:CertificateOfAttendance", "completion": "CertificateOfCompletion",
                     "assessed": "Certificate"}
EQF_URL = "https://europa.eu/europass/en/description-eight-eqf-levels"


def site_url() -> str:
    return siteurl.site_url()


def issuer_id() -> str:
    return f"{site_url()}/api/v1/issuer"


def credential_id(public_id: str) -> str:
    return f"{site_url()}/api/v1/credentials/{public_id}"


def status_id(public_id: str) -> str:
    return f"{credential_id(public_id)}/status"


def subject_id(public_id: str) -> str:
    """Opaque and per credential: nothing to correlate one holder's credentials by."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, credential_id(public_id) + '#subject')}"


def timestamp(value: datetime) -> str:
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_profile() -> dict:
    """The issuer Profile (also served alone at /api/v1/issuer)."""
    with force_locale("en"):
        en = _("Battery Talent Bridge")
    with force_locale("ja"):
        ja = _("Battery Talent Bridge")
    return {"id": issuer_id(), "type": ["Profile"], "name": joined(en, ja), "url": site_url() + "/"}


def _creator(facts: dict) -> dict:
    provider = facts.get("provider") or {}
    profile = {"id": f"{site_url()}/en/providers/{provider.get('id')}", "type": ["Profile"],
               "name": one_line(provider, "name")}
    address = {"type": ["Address"]}
    if provider.get("country"):
        address["addressCountryCode"] = provider["country"]
    if provider.get("city"):
        address["addressLocality"] = provider["city"]
    if len(address) > 1:
        profile["address"] = address
    return profile


def _lines(s: display.Statement) -> str:
    """The facts of the certificate, one per line, in the statement's language."""
    labels = s.labels
    rows = [(labels["course"], s.course), (labels["provider"], s.provider),
            (labels["when"], ", ".join(x for x in (s.when, s.place) if x)), (labels["hours"], s.hours),
            (labels["eqf"], s.eqf), (labels["skills"], ", ".join(s.skills)), (labels["type"], s.type_name)]
    return "\n".join(f"{label}: {value}" for label, value in rows if value)


def _identifiers(certificate: Certification) -> list[dict]:
    learner = certificate.learner
    if learner is None or learner.status == AccountStatus.DELETED:
        return []
    found = []
    if learner.email:
        salt = hashlib.sha256(f"salt:{certificate.public_id}".encode()).hexdigest()[:16]
        digest = hashlib.sha256((learner.email.strip().lower() + salt).encode("utf-8")).hexdigest()
        found.append({"type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
                      "identityHash": f"sha256${digest}", "salt": salt})
    if any((learner.family_name, learner.given_name, learner.family_name_latin, learner.given_name_latin)):
        names = dict.fromkeys(display_name(learner, lang) for lang in LANGUAGES)
        found += [{"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": name}
                  for name in names]
    return found


def _criteria(certificate: Certification, lang: str) -> str:
    """How the certificate was earned, in one language."""
    with force_locale(lang):
        if str(certificate.type) == "attendance":
            return _("Attended the course, as recorded by the training provider.")
        if str(certificate.type) == "assessed":
            return _("Passed the course's assessment, as recorded by the training provider.")
        return _("Completed the course, as recorded by the training provider.")


def _achievement(certificate: Certification, en: display.Statement, ja: display.Statement) -> dict:
    course = (certificate.facts or {}).get("course") or {}
    base = f"{site_url()}/%s/courses/{course.get('id', certificate.course_id)}"
    achievement = {
        "id": base % "en", "type": ["Achievement"], "name": en.course, "description": _lines(en),
        "inLanguage": "en", "achievementType": ACHIEVEMENT_TYPES.get(str(certificate.type), "Certificate"),
        "criteria": {"narrative": f"{_criteria(certificate, 'en')}\n\n{_criteria(certificate, 'ja')}"},
        "creator": _creator(certificate.facts or {}),
        "related": [{"id": base % "ja", "type": ["Related"], "inLanguage": "ja", "name": ja.course,
                     "description": _lines(ja)}],
    }
    areas = course.get("skill_areas") or []
    if areas:
        achievement["tag"] = [a.get("name_en") or a.get("code") for a in areas]
        achievement["fieldOfStudy"] = areas[0].get("name_en") or areas[0].get("code")
    alignment = [{"type": ["Alignment"], "targetName": a.get("name_en") or a["code"], "targetCode": a["code"],
                  "targetFramework": "Battery Talent Bridge skill areas",
                  "targetUrl": f"{site_url()}/en/courses?skill={a['code']}"} for a in areas if a.get("code")]
    if course.get("eqf_level"):
        alignment.append({"type": ["Alignment"], "targetName": f"EQF level {course['eqf_level']}",
                          "targetCode": str(course["eqf_level"]),
                          "targetFramework": "European Qualifications Framework", "targetUrl": EQF_URL})
    if alignment:
        achievement["alignment"] = alignment
    return achievement


def credential(certificate: Certification, *, now: datetime | None = None) -> dict:
    """The OpenBadgeCredential of a certificate (unsigned)."""
    now = now or utcnow()
    en, ja = display.statement(certificate, "en", now), display.statement(certificate, "ja", now)
    subject = {"id": subject_id(certificate.public_id), "type": ["AchievementSubject"],
               "achievement": _achievement(certificate, en, ja)}
    identifiers = _identifiers(certificate)
    if identifiers:
        subject["identifier"] = identifiers
    session = (certificate.facts or {}).get("session")
    if session:
        subject["activityStartDate"] = timestamp(datetime.fromisoformat(session["starts_at"]))
        subject["activityEndDate"] = timestamp(datetime.fromisoformat(session["ends_at"]))
    document = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id(certificate.public_id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": joined(f"{en.heading}: {en.course}", f"{ja.heading}: {ja.course}"),
        "description": f"{_lines(en)}\n\n{_lines(ja)}",
        "issuer": issuer_profile(),
        "validFrom": timestamp(certificate.issued_at),
    }
    if certificate.expires_at is not None:
        document["validUntil"] = timestamp(certificate.expires_at)
    document["credentialSubject"] = subject
    document["credentialSchema"] = [{"id": SCHEMA_ID, "type": "1EdTechJsonSchemaValidator2019"}]
    document["credentialStatus"] = {"id": status_id(certificate.public_id), "type": STATUS_TYPE}
    return document


def jwt_payload(certificate: Certification) -> dict:
    """The credential itself plus the registered claims of Open Badges 3.0 section 8.2 (VC-JWT)."""
    document = credential(certificate)
    payload = {**document, "iss": issuer_id(), "jti": document["id"], "sub": document["credentialSubject"]["id"],
               "nbf": int(certificate.issued_at.timestamp())}
    if certificate.expires_at is not None:
        payload["exp"] = int(certificate.expires_at.timestamp())
    return payload


def jwt_for(certificate: Certification) -> str:
    """The compact VC-JWT of a certificate: the stored one, or signed now with the current key and stored
    (a short write of its own, so that a GET stays cheap and a read)."""
    if certificate.signed_jwt:
        return certificate.signed_jwt
    token = signing.sign(jwt_payload(certificate))
    with cache.side_write() as conn:
        conn.execute(sa.update(Certification).where(Certification.id == certificate.id,
                                                    Certification.signed_jwt.is_(None)).values(signed_jwt=token))
    set_committed_value(certificate, "signed_jwt", token)
    return token


# ---- a pasted credential --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    """signature_ok: signed by one of this site's keys and unaltered. status: "valid", "expired" or
    "revoked" now (None when the signature fails or no certificate matches). certificate: the matching
    certificate; it may be private: show its public page only if permissions.is_public(certificate).
    reason: "ok", "malformed", "algorithm" (none, HS256... refused), "not_issued_here" (key not ours),
    "bad_signature" (altered), "unknown_credential" (signed here, but no such certificate)."""

    signature_ok: bool
    status: str | None
    certificate: Certification | None
    reason: str


_REASONS = {"malformed": "malformed", "algorithm": "algorithm", "unknown_key": "not_issued_here",
            "bad_signature": "bad_signature"}


def _token_of(text) -> str | None:
    """The compact JWT in what was pasted: the JWT itself, a data: URL of one, or the JSON of the
    credential endpoint ({"credential": ..., "jwt": ...})."""
    if not isinstance(text, str) or len(text) > signing.MAX_TOKEN_CHARS * 2:
        return None
    text = text.strip()
    if text.startswith("{"):
        document = json.loads(text)
        token = document.get("jwt") if isinstance(document, dict) else None
        text = token.strip() if isinstance(token, str) else ""
    if text.startswith("data:application/vc+jwt,"):
        text = text.partition(",")[2]
    text = "".join(text.split())  # a JWT wrapped over several lines in an email
    return text or None


def check_pasted(text) -> Verdict:
    """Whether a pasted credential was signed here and is unaltered, and its status now. Never raises on
    bad input: garbage, huge input, alg "none", HS256 with our public key as secret all give a verdict."""
    try:
        token = _token_of(text)
    except (ValueError, TypeError, RecursionError):
        token = None
    if token is None:
        return Verdict(False, None, None, "malformed")
    try:
        payload, _key = signing.verify_jwt(token)
    except signing.InvalidToken as error:
        return Verdict(False, None, None, _REASONS.get(error.code, "malformed"))
    jti = payload.get("jti")
    public_id = jti.rstrip("/").rpartition("/credentials/")[2] if isinstance(jti, str) else ""
    certificate = queries.get_certificate(public_id)
    if certificate is None:
        return Verdict(True, None, None, "unknown_credential")
    return Verdict(True, certificate.state(utcnow()), certificate, "ok")
