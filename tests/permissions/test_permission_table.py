"""One permission table for the whole application, walked from its URL map.

Every route has an entry saying what each kind of visitor gets: the anonymous visitor, a learner, a member
of provider B acting on provider A's objects, a staff member and the owner of provider A, association staff
and an admin. A route without an entry fails the test, so a new page cannot ship without a rule.
An object a user may not see at all answers 404; one they may see but not change answers 403.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from app.catalog.services import reindex_courses
from app.certifications import services as certificates
from app.enrolment.services import enrol, record_outcome
from app.providers.models import ApplicationStatus, ProviderApplication
from tests.api.helpers import bearer, make_token
from tests.factories import (
    finish_session,
    make_client,
    make_course,
    make_provider,
    make_session,
    make_user,
    now,
    sign_in,
)

ROLES = ("anonymous", "learner", "other_provider", "member", "owner", "staff", "admin")
SIGN_IN = "sign-in"  # a redirect to the sign-in page
OK = "ok"  # allowed: 200, or a redirect/400/409 that is the form's own answer — never 403/404/5xx


def row(anonymous, learner, other_provider, member, owner, staff, admin):
    return dict(zip(ROLES, (anonymous, learner, other_provider, member, owner, staff, admin)))


PUBLIC = row(200, 200, 200, 200, 200, 200, 200)
SIGNED_IN = row(SIGN_IN, 200, 200, 200, 200, 200, 200)
SIGNED_IN_POST = row(SIGN_IN, OK, OK, OK, OK, OK, OK)
STAFF = row(SIGN_IN, 403, 403, 403, 403, 200, 200)
STAFF_POST = row(SIGN_IN, 403, 403, 403, 403, OK, OK)
ADMIN = row(SIGN_IN, 403, 403, 403, 403, 403, 200)
ADMIN_POST = row(SIGN_IN, 403, 403, 403, 403, 403, OK)
# Provider A's unpublished things: invisible outside A (association staff review them, read-only).
A_DRAFT = row(SIGN_IN, 404, 404, 200, 200, 403, 403)
A_DRAFT_POST = row(SIGN_IN, 404, 404, OK, OK, 403, 403)
# Provider A's published course: everyone can read it in the catalogue, only A changes it.
A_PUBLISHED = row(SIGN_IN, 403, 403, 200, 200, 403, 403)
A_PUBLISHED_POST = row(SIGN_IN, 403, 403, OK, OK, 403, 403)
A_MEMBERS = row(SIGN_IN, 404, 404, 200, 200, 404, 404)
A_MEMBERS_POST = row(SIGN_IN, 404, 404, 403, OK, 404, 404)
WORKSPACE = row(SIGN_IN, 403, 200, 200, 200, 403, 403)
# A session's roster: personal data, invisible to anyone outside provider A (staff included).
ROSTER_POST = row(SIGN_IN, 404, 404, OK, OK, 404, 404)
# Issuing provider A's certificates: invisible to learners and other providers; association staff oversee
# certificates but do not issue them.
ISSUE_POST = row(SIGN_IN, 404, 404, OK, OK, 403, 403)
# The holder's own certificate pages (the world's certificate belongs to the learner).
HOLDER = row(SIGN_IN, 200, 404, 404, 404, 404, 404)
HOLDER_POST = row(SIGN_IN, OK, 404, 404, 404, 404, 404)
# The API's token endpoints: each role sends a token with every scope its roles allow (no token: 401;
# a scope the role cannot hold: 403). The session cookie counts for nothing there.
TOKEN = row(401, 200, 200, 200, 200, 200, 200)
TOKEN_HOLDER = row(401, 200, 404, 404, 404, 404, 404)


@dataclass
class Entry:
    method: str
    expect: dict
    values: dict | None = None  # URL values; strings name objects of the world fixture


# Provider members' tokens: provider:read/write, which learners and association staff cannot hold (403).
PROVIDER_TOKEN = row(401, 403, 200, 200, 200, 403, 403)
A_TOKEN = row(401, 403, 404, 200, 200, 403, 403)
A_TOKEN_WRITE = row(401, 403, 404, OK, OK, 403, 403)
# Association staff's tokens: exchanges:read/write and reports:read, which only staff and admins hold.
STAFF_TOKEN = row(401, 403, 403, 403, 403, 200, 200)
STAFF_TOKEN_WRITE = row(401, 403, 403, 403, 403, OK, OK)

# endpoint -> Entry. Paths are built from the rule, in English.
TABLE: dict[str, Entry] = {
    "static": Entry("GET", PUBLIC, {"filename": "css/site.css"}),
    "health.healthz": Entry("GET", PUBLIC),
    "home.root": Entry("GET", row(302, 302, 302, 302, 302, 302, 302)),
    "home.index": Entry("GET", PUBLIC),
    "catalog.index": Entry("GET", PUBLIC),
    "catalog.detail": Entry("GET", PUBLIC, {"course_id": "published"}),
    "providers.index": Entry("GET", PUBLIC),
    "providers.detail": Entry("GET", PUBLIC, {"provider_id": "org_a"}),
    "legal.privacy": Entry("GET", PUBLIC),
    "legal.terms": Entry("GET", PUBLIC),
    "legal.notice": Entry("GET", PUBLIC),
    # Accounts: the public doors, and the person's own pages.
    "accounts.register": Entry("GET", row(200, 302, 302, 302, 302, 302, 302)),
    "accounts.sign_in": Entry("GET", row(200, 302, 302, 302, 302, 302, 302)),
    "accounts.check_mail": Entry("GET", PUBLIC),
    "accounts.activate": Entry("GET", row(404, 404, 404, 404, 404, 404, 404), {"token": "not-a-token"}),
    "accounts.reset_password": Entry("GET", row(404, 404, 404, 404, 404, 404, 404), {"token": "not-a-token"}),
    "accounts.forgot_password": Entry("GET", PUBLIC),
    "accounts.second_factor": Entry("GET", row(302, 302, 302, 302, 302, 302, 302)),
    "accounts.two_factor_setup": Entry("GET", SIGNED_IN),
    "accounts.two_factor_manage": Entry("GET", SIGNED_IN),
    "accounts.two_factor_new_codes": Entry("POST", SIGNED_IN_POST),
    "accounts.two_factor_disable": Entry("POST", SIGNED_IN_POST),
    "accounts.overview": Entry("GET", SIGNED_IN),
    "accounts.profile": Entry("GET", SIGNED_IN),
    "accounts.change_password": Entry("GET", SIGNED_IN),
    "accounts.sessions": Entry("GET", SIGNED_IN),
    "accounts.sign_out_others": Entry("POST", SIGNED_IN_POST),
    "accounts.export": Entry("GET", SIGNED_IN),
    "accounts.delete_account": Entry("GET", SIGNED_IN),
    "accounts.goodbye": Entry("GET", PUBLIC),
    "accounts.sign_out": Entry("POST", row(302, 302, 302, 302, 302, 302, 302)),
    "accounts.sign_out_everywhere": Entry("POST", SIGNED_IN_POST),
    # Personal API tokens: the person's own (tests/accounts/test_api_tokens.py revokes another's: 404).
    "api_tokens.index": Entry("GET", SIGNED_IN),
    "api_tokens.create": Entry("POST", SIGNED_IN_POST),
    "api_tokens.revoke_token": Entry("POST", row(SIGN_IN, 404, 404, 404, 404, 404, 404), {"token_id": 2147483647}),
    # Admins: accounts and roles.
    "admin.index": Entry("GET", ADMIN),
    "admin.person": Entry("GET", ADMIN, {"user_id": "learner"}),
    "admin.change_role": Entry("POST", ADMIN_POST, {"user_id": "learner"}),
    "admin.change_status": Entry("POST", ADMIN_POST, {"user_id": "learner"}),
    # Association staff: moderation and the audit log.
    "staff.index": Entry("GET", STAFF),
    "staff.applications": Entry("GET", STAFF),
    "staff.application": Entry("GET", STAFF, {"application_id": "application"}),
    "staff.decide_application": Entry("POST", STAFF_POST, {"application_id": "application", "decision": "reject"}),
    "staff.courses": Entry("GET", STAFF),
    "staff.course": Entry("GET", STAFF, {"course_id": "pending"}),
    "staff.review_course": Entry("POST", STAFF_POST, {"course_id": "pending", "decision": "send-back"}),
    "staff.tax_rates": Entry("GET", STAFF),
    "audit.index": Entry("GET", STAFF),
    # Becoming a provider, and an organisation's members.
    "onboarding.apply": Entry("GET", SIGNED_IN),
    "onboarding.applications": Entry("GET", SIGNED_IN),
    "onboarding.members_home": Entry("GET", row(SIGN_IN, 404, OK, OK, OK, 404, 404)),
    "onboarding.members": Entry("GET", A_MEMBERS, {"org_id": "org_a"}),
    "onboarding.add_member": Entry("POST", A_MEMBERS_POST, {"org_id": "org_a"}),
    "onboarding.remove_member": Entry("POST", A_MEMBERS_POST, {"org_id": "org_a"}),
    # An invitation link: signed in; a link that is not a valid invitation is a 404 for everyone
    # (tests/providers/test_invitations.py follows real links: the invitee 200, another account 403).
    "onboarding.invitation": Entry("POST", row(SIGN_IN, 404, 404, 404, 404, 404, 404), {"token": "x" * 43}),
    # The provider workspace.
    "workspace.index": Entry("GET", WORKSPACE),
    "workspace.new_course": Entry("GET", WORKSPACE),
    "workspace.course": Entry("GET", A_DRAFT, {"course_id": "draft"}),
    "workspace.edit_course": Entry("GET", A_PUBLISHED, {"course_id": "published"}),
    "workspace.submit_course": Entry("POST", A_DRAFT_POST, {"course_id": "draft"}),
    "workspace.archive_course": Entry("POST", A_PUBLISHED_POST, {"course_id": "published"}),
    "workspace.new_session": Entry("GET", A_DRAFT, {"course_id": "draft"}),
    "workspace.edit_session": Entry("GET", A_DRAFT, {"session_id": "draft_session"}),
    "workspace.cancel_session": Entry("POST", A_PUBLISHED_POST, {"session_id": "published_session"}),
    # Learners: enrolling, and their own enrolments (another person's is invisible).
    "enrolment.enrol": Entry("POST", SIGNED_IN_POST, {"session_id": "published_session"}),
    "me.index": Entry("GET", SIGNED_IN),
    "me.cancel": Entry("POST", row(SIGN_IN, OK, 404, 404, 404, 404, 404), {"enrolment_id": "enrolment"}),
    # Confirm pages (GET) answer like their step: allowed roles see the page, or are sent back when the
    # object's state no longer allows the step (hence the _POST rows' OK).
    "staff.confirm_reject_application": Entry("GET", STAFF_POST, {"application_id": "application"}),
    "staff.confirm_send_back": Entry("GET", STAFF_POST, {"course_id": "pending"}),
    "onboarding.confirm_remove_member": Entry("GET", A_MEMBERS_POST, {"org_id": "org_a"}),
    "roster.confirm_decline": Entry("GET", ROSTER_POST, {"enrolment_id": "enrolment"}),
    "issuing.confirm_revoke": Entry("GET", ISSUE_POST, {"public_id": "certificate"}),
    "exchanges.confirm_reject": Entry("GET", STAFF_POST, {"exchange_id": "exchange"}),
    "me.calendar": Entry("GET", row(SIGN_IN, 200, 404, 404, 404, 404, 404), {"enrolment_id": "enrolment"}),
    # Rosters of provider A's sessions.
    "roster.show": Entry("GET", A_MEMBERS, {"session_id": "published_session"}),
    "roster.csv": Entry("GET", A_MEMBERS, {"session_id": "published_session"}),
    "roster.xlsx": Entry("GET", A_MEMBERS, {"session_id": "published_session"}),
    "roster.decide": Entry("POST", ROSTER_POST, {"enrolment_id": "enrolment", "decision": "approve"}),
    "roster.outcome": Entry("POST", ROSTER_POST, {"enrolment_id": "enrolment"}),
    "roster.outcomes": Entry("POST", ROSTER_POST, {"session_id": "published_session"}),
    # Certificates: issuing in provider A's workspace, what expires soon for association staff.
    "issuing.issue_session": Entry("POST", ISSUE_POST, {"session_id": "past_session"}),
    "issuing.issue_one": Entry("POST", ISSUE_POST, {"enrolment_id": "completed_enrolment"}),
    "issuing.index": Entry("GET", WORKSPACE),
    "issuing.revoke": Entry("POST", ISSUE_POST, {"public_id": "certificate"}),
    "issuing.renew": Entry("POST", ISSUE_POST, {"public_id": "certificate"}),
    "issuing.expiring": Entry("GET", STAFF),
    # The holder's certificates (the world's one is public), and the public verification pages.
    "certs.index": Entry("GET", SIGNED_IN),
    "certs.detail": Entry("GET", HOLDER, {"public_id": "certificate"}),
    "certs.visibility": Entry("POST", HOLDER_POST, {"public_id": "certificate"}),
    "certs.printable": Entry("GET", HOLDER, {"public_id": "certificate"}),
    "certs.qr": Entry("GET", HOLDER, {"public_id": "certificate"}),
    "verify.form": Entry("GET", PUBLIC),
    "verify.certificate": Entry("GET", PUBLIC, {"public_id": "certificate"}),
    "verify.printable": Entry("GET", PUBLIC, {"public_id": "certificate"}),
    # Open Badges: the issuer, its keys and public credentials, for anyone.
    "badges.issuer": Entry("GET", PUBLIC),
    "badges.jwks": Entry("GET", PUBLIC),
    "badges.credential": Entry("GET", PUBLIC, {"public_id": "certificate"}),
    "badges.status": Entry("GET", PUBLIC, {"public_id": "certificate"}),
    # The public read API (/api/v1): catalogue, providers, certificate verification, its OpenAPI document.
    "api.skill_areas": Entry("GET", PUBLIC),
    "api.provider_list": Entry("GET", PUBLIC),
    "api.provider_detail": Entry("GET", PUBLIC, {"provider_id": "org_a"}),
    "api.course_list": Entry("GET", PUBLIC),
    "api.course_detail": Entry("GET", PUBLIC, {"course_id": "published"}),
    "api.certificate": Entry("GET", PUBLIC, {"public_id": "certificate"}),
    "api.openapi": Entry("GET", PUBLIC),
    "api_docs.index": Entry("GET", PUBLIC),  # the API's documentation page, from the same document
    # The API with a personal token: the owner's own data.
    "api.me": Entry("GET", TOKEN),
    "api.my_enrolments": Entry("GET", TOKEN),
    "api.my_enrolment": Entry("GET", TOKEN_HOLDER, {"enrolment_id": "enrolment"}),
    "api.my_certificates": Entry("GET", TOKEN),
    # The API for provider members (provider:read / provider:write): provider A's courses, sessions, rosters.
    "api.provider_organisations": Entry("GET", PROVIDER_TOKEN),
    "api.provider_courses": Entry("GET", PROVIDER_TOKEN),
    "api.provider_course": Entry("GET", A_TOKEN, {"course_id": "draft"}),
    "api.provider_course_sessions": Entry("GET", A_TOKEN, {"id": "draft"}),
    "api.provider_create_session": Entry("POST", A_TOKEN_WRITE, {"id": "draft"}),
    "api.provider_session": Entry("GET", A_TOKEN, {"id": "draft_session"}),
    "api.provider_update_session": Entry("PATCH", A_TOKEN_WRITE, {"id": "draft_session"}),
    "api.provider_roster": Entry("GET", A_TOKEN, {"session_id": "published_session"}),
    # The API for association staff: every exchange record (read, record, decide) and the report figures.
    "api.exchange_list": Entry("GET", STAFF_TOKEN),
    "api.exchange_detail": Entry("GET", STAFF_TOKEN, {"exchange_id": "exchange"}),
    "api.exchange_create": Entry("POST", STAFF_TOKEN_WRITE),
    "api.exchange_decide": Entry("POST", STAFF_TOKEN_WRITE, {"exchange_id": "exchange"}),
    "api.report_figures": Entry("GET", STAFF_TOKEN),
    # Open data: iCalendar feeds of upcoming sessions, the catalogue as JSON and CSV.
    "opendata.site_feed": Entry("GET", PUBLIC),
    "opendata.provider_feed": Entry("GET", PUBLIC, {"provider_id": "org_a"}),
    "opendata.catalogue_json": Entry("GET", PUBLIC),
    "opendata.catalogue_csv": Entry("GET", PUBLIC),
    # Reports: association staff only (figures, their CSV/XLSX tables, the annual report).
    "reports.index": Entry("GET", STAFF),
    "reports.export": Entry("GET", STAFF, {"figure": "areas", "fmt": "xlsx"}),
    "reports.annual": Entry("GET", STAFF),
    "reports.annual_xlsx": Entry("GET", STAFF),
    # Talent exchanges: association staff see and decide on every record; provider A's members see and
    # change the records A submitted (invisible to everyone else on the provider side).
    "exchanges.staff_index": Entry("GET", STAFF),
    "exchanges.staff_new": Entry("GET", STAFF),
    "exchanges.staff_detail": Entry("GET", STAFF, {"exchange_id": "exchange"}),
    "exchanges.staff_edit": Entry("GET", STAFF, {"exchange_id": "exchange"}),
    "exchanges.decide": Entry("POST", STAFF_POST, {"exchange_id": "exchange", "decision": "reject"}),
    "exchanges.organisations_index": Entry("GET", STAFF),
    "exchanges.new_organisation": Entry("GET", STAFF),
    "exchanges.provider_index": Entry("GET", WORKSPACE),
    "exchanges.provider_new": Entry("GET", WORKSPACE),
    "exchanges.provider_detail": Entry("GET", A_MEMBERS, {"exchange_id": "exchange"}),
    "exchanges.provider_edit": Entry("GET", A_MEMBERS, {"exchange_id": "exchange"}),
    # Bulk import of exchanges: association staff only; an unknown preview token is a 404 for them
    # (tests/exchanges/test_import_routes.py opens and confirms real previews).
    "exchange_import.index": Entry("GET", STAFF),
    "exchange_import.upload": Entry("POST", STAFF_POST),
    "exchange_import.template": Entry("GET", STAFF, {"fmt": "xlsx"}),
    "exchange_import.preview": Entry("GET", row(SIGN_IN, 403, 403, 403, 403, 404, 404), {"token": "x" * 43}),
    "exchange_import.confirm": Entry("POST", row(SIGN_IN, 403, 403, 403, 403, 404, 404), {"token": "x" * 43}),
    "exchange_import.encoding": Entry("POST", row(SIGN_IN, 403, 403, 403, 403, 404, 404), {"token": "x" * 43}),
}


@pytest.fixture
def world(db_session):
    org_a, org_b = make_provider(name_en="Provider A"), make_provider(name_en="Provider B")
    users = {
        "learner": make_user(),
        "other_provider": make_user("member", organisation=org_b),
        "member": make_user("member", organisation=org_a),
        "owner": make_user("owner", organisation=org_a),
        "staff": make_user("staff"),
        "admin": make_user("admin"),
    }
    draft = make_course(org_a, status="draft", published_at=None)
    pending = make_course(org_a, status="pending_review", published_at=None)
    published = make_course(org_a)
    reindex_courses([draft.id, pending.id, published.id])
    application = ProviderApplication(applicant_id=users["learner"].id, name_en="Applicant Ltd", country="DE",
                                      status=ApplicationStatus.SUBMITTED)
    db_session.add(application)
    db_session.flush()
    # A session that took place, the learner marked completed, and their (public) certificate.
    certified = make_course(org_a, certification="completion", validity_months=24, reindex=False,
                            sessions=[make_session(days_ahead=-2)])
    past = certified.sessions[0]
    completed = enrol(users["learner"], past, now=now() - timedelta(days=5)).enrolment
    record_outcome(completed, True)
    finish_session(completed.session)
    (certificate,) = certificates.issue([completed], users["member"]).certificates
    certificates.set_public(certificate, True)
    objects = {"past_session": past.id, "completed_enrolment": completed.id, "certificate": certificate.public_id,
               "org_a": org_a.id, "draft": draft.id, "pending": pending.id, "published": published.id,
               "draft_session": draft.sessions[0].id, "published_session": published.sessions[0].id,
               "application": application.id, "learner": users["learner"].id,
               "enrolment": enrol(users["learner"], published.sessions[0]).enrolment.id}
    # An exchange provider A submitted (A sends, B receives), awaiting approval.
    from tests.exchanges.helpers import make_exchange

    objects["exchange"] = make_exchange(org_a, org_b, recorded_for=org_a).id
    return users, objects


def _path(app, endpoint: str, entry: Entry, objects: dict) -> str:
    values = {"lang_code": "en"}
    for name, value in (entry.values or {}).items():
        values[name] = objects.get(value, value) if isinstance(value, str) else value
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {k: v for k, v in values.items() if k in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


def test_every_route_has_an_entry(app):
    missing = sorted({r.endpoint for r in app.url_map.iter_rules()} - set(TABLE))
    assert not missing, f"routes without a permission rule: {missing}"
    stale = sorted(set(TABLE) - {r.endpoint for r in app.url_map.iter_rules()})
    assert not stale, f"rules for routes that no longer exist: {stale}"


@pytest.mark.parametrize("endpoint", sorted(TABLE))
def test_route_answers_each_role_as_the_table_says(app, world, endpoint):
    users, objects = world
    entry = TABLE[endpoint]
    path = _path(app, endpoint, entry, objects)
    # Roles that may not act go first, so an allowed change cannot hide a wrong answer for them.
    by_token = hasattr(app.view_functions[endpoint], "api_scope")
    for role in sorted(ROLES, key=lambda r: entry.expect[r] == OK):
        client = make_client(app)
        if role != "anonymous":
            sign_in(client, users[role])  # a cookie the API must ignore
        if by_token:
            headers = bearer(make_token(users[role])) if role != "anonymous" else {}
            response = client.open(path, method=entry.method, json={}, headers=headers)
        else:
            response = client.open(path, method=entry.method, data={})
        expected, got = entry.expect[role], response.status_code
        where = f"{entry.method} {path} as {role}"
        if expected == SIGN_IN:
            assert got == 302 and "/account/sign-in" in response.headers["Location"], f"{where}: {got}"
        elif expected == OK:
            assert got in (200, 302, 303, 400, 409, 422), f"{where}: {got}"
        else:
            assert got == expected, f"{where}: expected {expected}, got {got}"
