"""Account, provider-workspace and staff pages: no English UI string on their Japanese versions."""
from __future__ import annotations

from tests.factories import make_course
from tests.i18n.helpers import english_ui_strings


def _japanese_person(role="learner", **kw):
    from tests.factories import make_user

    kw.setdefault("family_name", "山田")
    kw.setdefault("given_name", "花子")
    return make_user(role, preferred_language="ja", country="JP", timezone="Asia/Tokyo", **kw)


def _check_pages(client, pages) -> dict:
    """English UI strings found on each page; a page is a URL, or (URL, expected status)."""
    found = {}
    for page in pages:
        url, status = page if isinstance(page, tuple) else (page, 200)
        response = client.get(url)
        assert response.status_code == status, url
        html = response.get_data(as_text=True)
        assert '<html lang="ja">' in html, url
        english = english_ui_strings(html)
        if english:
            found[url] = english
    return found


def test_japanese_account_pages_show_no_english_ui_string(client):
    anonymous = ["/ja/account/sign-in", "/ja/account/register", "/ja/account/forgot-password",
                 "/ja/privacy", "/ja/terms", "/ja/legal"]
    found = _check_pages(client, anonymous)
    from tests.factories import sign_in

    sign_in(client, _japanese_person())
    found.update(_check_pages(client, [
        "/ja/account/", "/ja/account/profile", "/ja/account/password", "/ja/account/sessions",
        "/ja/account/two-factor/manage", "/ja/account/two-factor/setup", "/ja/account/delete",
        ("/ja/provider/", 403), "/ja/provider/apply", "/ja/provider/applications",  # 403: not a member
    ]))
    assert found == {}


def test_japanese_workspace_and_staff_pages_show_no_english_ui_string(client, japanese_content):
    from app.platform.extensions import db
    from app.providers.models import ApplicationStatus, ProviderApplication
    from tests.factories import make_client, sign_in

    provider = japanese_content["provider"]
    course = japanese_content["full"]
    draft = make_course(provider, status="draft", title_en=None, title_ja="電池安全入門(下書き)",
                        published_at=None, sessions=1)
    pending = make_course(provider, status="pending_review", title_en=None, title_ja="BMS設計講座",
                          summary_ja="BMSの基礎を学びます。", published_at=None, sessions=1)
    applicant = _japanese_person()
    application = ProviderApplication(applicant_id=applicant.id, name_en=None, name_ja="九州電池技術センター",
                                      country="JP", city="福岡", kind="research_institute",
                                      status=ApplicationStatus.SUBMITTED)
    db.session.add(application)
    db.session.flush()
    session = min(course.sessions, key=lambda s: s.id)  # the first one made: scheduled, in 20 days

    owner = _japanese_person("owner", organisation=provider)
    sign_in(client, owner)
    workspace = [
        f"/ja/provider/?org={provider.id}", f"/ja/provider/courses/{course.id}",
        f"/ja/provider/courses/{draft.id}", f"/ja/provider/courses/{draft.id}/edit",
        f"/ja/provider/courses/{pending.id}", f"/ja/provider/courses/{pending.id}/edit",  # the "locked" page
        f"/ja/provider/courses/new?org={provider.id}",
        f"/ja/provider/courses/{course.id}/sessions/new", f"/ja/provider/sessions/{session.id}/edit",
        f"/ja/provider/members/{provider.id}", f"/ja/provider/sessions/{session.id}/roster",
        "/ja/provider/certificates", "/ja/provider/exchanges", "/ja/provider/exchanges/new",
        "/ja/me/", "/ja/me/certificates/",
    ]
    found = _check_pages(client, workspace)

    staff_client = make_client(client.application)
    sign_in(staff_client, _japanese_person("admin", totp=True))
    found.update(_check_pages(staff_client, [
        "/ja/staff/", "/ja/staff/applications", f"/ja/staff/applications/{application.id}",
        "/ja/staff/courses", f"/ja/staff/courses/{pending.id}", "/ja/staff/audit",
        "/ja/staff/accounts", f"/ja/staff/accounts/{owner.id}",
        "/ja/staff/exchanges", "/ja/staff/exchanges/new", "/ja/staff/organisations",
        # (not the import page: its table of allowed values lists each code's English name on purpose,
        # beside the Japanese, for people filling in the template in either language)
        "/ja/staff/organisations/new", "/ja/staff/reports",
        "/ja/staff/reports?period=quarter", "/ja/staff/reports/annual", "/ja/staff/certificates/expiring",
    ]))
    assert found == {}
