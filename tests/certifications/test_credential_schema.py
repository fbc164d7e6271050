"""The credential and the issuer profile validate against the official Open Badges 3.0 JSON schemas (copied
into tests/certifications/schemas/, read offline), in two languages, with ids from SITE_URL."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from pathlib import Path

import jwt
import pytest
from jsonschema import Draft201909Validator, FormatChecker

from app.accounts.models import AccountStatus
from app.certifications import credential as credentials
from app.certifications import services
from app.enrolment import services as enrolment
from app.platform.extensions import db
from tests.factories import finish_session, make_course, make_session, make_user

SCHEMAS = Path(__file__).parent / "schemas"


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def _checker() -> FormatChecker:
    """date-time checked for real (jsonschema skips it without an optional package): RFC 3339 with a zone."""
    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def date_time(value) -> bool:
        if not isinstance(value, str) or "T" not in value:
            return False
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed.tzinfo is not None

    return checker


def validate(document: dict, schema_file: str) -> None:
    schema = _schema(schema_file)
    assert schema["$schema"].startswith("https://json-schema.org/draft/2019-09/schema")
    Draft201909Validator.check_schema(schema)
    errors = sorted(Draft201909Validator(schema, format_checker=_checker()).iter_errors(document), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def issued(*, validity_months=24, public=True, skills=("safety",), user=None, session=True, email=None):
    course = make_course(skills=skills, certification="completion", validity_months=validity_months,
                         duration_hours=16, eqf_level=4, sessions=[make_session(capacity=5)],
                         title_en="Cell safety basics", title_ja="セル安全の基礎")
    learner = user or make_user(family_name="山田", given_name="太郎", family_name_latin="Yamada",
                                given_name_latin="Taro", email=email,
                                name_order="family_first")
    e = enrolment.enrol(learner, course.sessions[0]).enrolment
    enrolment.record_outcome(e, True, now=course.sessions[0].starts_at + timedelta(hours=1))
    finish_session(e.session)
    cert = services.issue([e], make_user("member", organisation=course.provider)).certificates[0]
    if not session:
        cert.facts = {**cert.facts, "session": None}
    if public:
        services.set_public(cert, True)
    db.session.flush()
    return cert


@pytest.fixture
def ctx(app):
    with app.test_request_context("/en/"):
        yield


def test_credential_validates_against_the_official_schema(ctx):
    cert = issued()
    document = credentials.credential(cert)
    validate(document, "achievementcredential.json")
    assert document["@context"] == ["https://www.w3.org/ns/credentials/v2",
                                    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["id"] == f"http://localhost/api/v1/credentials/{cert.public_id}"
    assert document["issuer"]["id"] == "http://localhost/api/v1/issuer"
    assert document["validFrom"].endswith("Z") and document["validUntil"].endswith("Z")
    assert document["credentialStatus"] == {"id": document["id"] + "/status", "type": "1EdTechRevocationList"}
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "CertificateOfCompletion"
    assert achievement["creator"]["id"].startswith("http://localhost/en/providers/")


def test_names_and_descriptions_in_english_and_japanese(ctx):
    cert = issued()
    achievement = credentials.credential(cert)["credentialSubject"]["achievement"]
    assert achievement["name"] == "Cell safety basics" and achievement["inLanguage"] == "en"
    (japanese,) = achievement["related"]
    assert japanese["inLanguage"] == "ja" and japanese["name"] == "セル安全の基礎"
    assert japanese["type"] == ["Related"] and japanese["id"].endswith(f"/ja/courses/{cert.course_id}")
    assert achievement["description"] and japanese["description"]
    provider = cert.facts["provider"]
    assert achievement["creator"]["name"] == f"{provider['name_en']} / {provider['name_ja']}"
    document = credentials.credential(cert)
    assert "Cell safety basics" in document["name"] and "セル安全の基礎" in document["name"]


def test_subject_carries_no_plain_email(ctx):
    cert = issued(email="Taro.Yamada@example.com")
    document = credentials.credential(cert)
    text = json.dumps(document, ensure_ascii=False).lower()
    assert "taro.yamada@example.com" not in text and "@example.com" not in text
    identifiers = document["credentialSubject"]["identifier"]
    email = next(i for i in identifiers if i["identityType"] == "emailAddress")
    expected = hashlib.sha256(("taro.yamada@example.com" + email["salt"]).encode()).hexdigest()
    assert email["hashed"] is True and email["identityHash"] == f"sha256${expected}"
    names = {i["identityHash"] for i in identifiers if i["identityType"] == "name"}
    assert names == {"Yamada Taro", "山田太郎"}


def test_variants_validate_too(ctx):
    """No expiry, no session, no skill areas, a deleted holder: still valid credentials."""
    plain = issued(validity_months=None, skills=(), session=False)
    document = credentials.credential(plain)
    validate(document, "achievementcredential.json")
    assert "validUntil" not in document and "activityStartDate" not in document["credentialSubject"]
    gone = issued()
    gone.learner.status = AccountStatus.DELETED
    db.session.flush()
    document = credentials.credential(gone)
    validate(document, "achievementcredential.json")
    assert "identifier" not in document["credentialSubject"]


def test_jwt_payload_is_the_credential_with_registered_claims(ctx):
    cert = issued()
    payload = jwt.decode(credentials.jwt_for(cert), options={"verify_signature": False})
    validate(payload, "achievementcredential.json")
    assert payload["iss"] == payload["issuer"]["id"] and payload["jti"] == payload["id"]
    assert payload["sub"] == payload["credentialSubject"]["id"]
    assert payload["nbf"] == int(cert.issued_at.timestamp()) and payload["exp"] == int(cert.expires_at.timestamp())
    assert "iat" not in payload  # the same certificate signs to the same token
    without_expiry = jwt.decode(credentials.jwt_for(issued(validity_months=None)), options={"verify_signature": False})
    assert "exp" not in without_expiry


def test_issuer_profile_validates(client):
    response = client.get("/api/v1/issuer", headers={"Host": "evil.example"})
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    profile = response.get_json(force=True)
    validate(profile, "profile.json")
    assert profile["id"] == "http://localhost/api/v1/issuer"  # SITE_URL, never the request's host
    assert "evil.example" not in response.get_data(as_text=True)


def test_ids_come_from_site_url_not_the_request_host(client):
    cert = issued()
    response = client.get(f"/api/v1/credentials/{cert.public_id}", headers={"Host": "evil.example"})
    assert response.status_code == 200
    assert "evil.example" not in response.get_data(as_text=True)
    validate(response.get_json()["credential"], "achievementcredential.json")
