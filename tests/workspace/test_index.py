"""The workspace home: who gets in, the organisation's courses, filters, pages, switcher, queries."""
from __future__ import annotations

from app.platform.extensions import db
from app.providers.models import Membership
from tests.factories import make_course, make_courses, make_provider, make_user, sign_in


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/en/provider/")
    assert response.status_code == 302 and "/en/account/sign-in" in response.headers["Location"]


def test_non_member_gets_a_helpful_403(client):
    sign_in(client, make_user())
    response = client.get("/ja/provider/")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert '<html lang="ja">' in page
    assert "/ja/provider/apply" in page  # onboarding.apply, when installed


def test_menu_entry_only_for_members(client):
    sign_in(client, make_user())
    assert 'href="/en/provider/"' not in client.get("/en/").get_data(as_text=True)
    from tests.factories import make_client

    member_client = make_client(client.application)
    org = make_provider()
    sign_in(member_client, make_user("member", organisation=org))
    assert 'href="/en/provider/"' in member_client.get("/en/").get_data(as_text=True)


def test_lists_own_courses_with_status_completeness_and_comment(client):
    org = make_provider()
    sign_in(client, make_user("member", organisation=org))
    make_course(org, title_en="Published one", summary_en="S", sessions=2)
    make_course(org, title_en=None, title_ja="日本語だけ", status="draft",
                review_comment="Add the prerequisites, please.", sessions=0)
    make_course(make_provider(), title_en="Someone else's")
    page = client.get("/en/provider/").get_data(as_text=True)
    assert "Published one" in page and "Someone else" not in page
    assert "日本語だけ" in page and "Japanese only" in page
    assert "Add the prerequisites, please." in page
    assert "English: 2 of 6" in page and "Japanese: 1 of 6" in page
    assert "Published" in page and "Draft" in page
    drafts = client.get("/en/provider/?status=draft").get_data(as_text=True)
    assert "日本語だけ" in drafts and "Published one" not in drafts
    assert client.get("/en/provider/?status=nonsense").status_code == 200
    assert client.get("/en/provider/?page=abc").status_code == 404


def test_pagination(client):
    org = make_provider()
    sign_in(client, make_user("member", organisation=org))
    make_courses(25, org)
    assert client.get("/en/provider/?page=2").status_code == 200
    assert client.get("/en/provider/?page=3").status_code == 404


def test_switcher_between_organisations(client):
    org_a, org_b = make_provider(name_en="Alpha Academy"), make_provider(name_en="Beta Institute")
    user = make_user("member", organisation=org_a)
    db.session.add(Membership(organisation_id=org_b.id, user_id=user.id, role="staff"))
    db.session.flush()
    make_course(org_a, title_en="Alpha course")
    make_course(org_b, title_en="Beta course")
    sign_in(client, user)
    first = client.get("/en/provider/").get_data(as_text=True)
    assert 'name="org"' in first and "Alpha course" in first and "Beta course" not in first
    second = client.get(f"/en/provider/?org={org_b.id}").get_data(as_text=True)
    assert "Beta course" in second and "Alpha course" not in second
    assert client.get(f"/en/provider/?org={make_provider().id}").status_code == 404
    assert client.get("/en/provider/?org=x%00").status_code == 404


def test_query_count_is_constant(client, count_queries):
    org_small, org_large = make_provider(), make_provider()
    small = make_user("member", organisation=org_small)
    large = make_user("member", organisation=org_large)
    make_courses(3, org_small, sessions=2)
    make_courses(30, org_large, sessions=2)

    def queries_for(user) -> int:
        sign_in(client, user)
        with count_queries() as counter:
            assert client.get("/en/provider/").status_code == 200
        return counter.count

    assert queries_for(small) == queries_for(large)
