"""Who reaches which workspace page: anonymous → sign-in, other provider → 404 (draft) / 403 (published),
association staff → 403 (they may see every course, but do not edit providers' courses), member → 200."""
from __future__ import annotations

import pytest

from app.catalog.models import Course
from app.catalog.permissions import can_edit_course, can_view_course_draft
from app.platform.extensions import db
from tests.factories import make_course, make_provider, make_session, make_user, sign_in
from tests.workspace.helpers import counts

COURSE_GETS = ["/en/provider/courses/{c}", "/en/provider/courses/{c}/edit", "/en/provider/courses/{c}/sessions/new"]
COURSE_POSTS = ["/en/provider/courses/{c}/edit", "/en/provider/courses/{c}/submit", "/en/provider/courses/{c}/archive",
                "/en/provider/courses/{c}/sessions/new"]
SESSION_GETS = ["/en/provider/sessions/{s}/edit"]
SESSION_POSTS = ["/en/provider/sessions/{s}/edit", "/en/provider/sessions/{s}/cancel"]


@pytest.fixture
def world():
    org = make_provider()
    draft = make_course(org, status="draft", sessions=0)
    published = make_course(org, sessions=0)
    return {"org": org, "draft": draft, "draft_session": make_session(draft),
            "published": published, "published_session": make_session(published)}


def urls(course, session):
    gets = [u.format(c=course.id) for u in COURSE_GETS] + [u.format(s=session.id) for u in SESSION_GETS]
    posts = [u.format(c=course.id) for u in COURSE_POSTS] + [u.format(s=session.id) for u in SESSION_POSTS]
    return gets, posts


def expect(client, course, session, code):
    before = counts()
    gets, posts = urls(course, session)
    for url in gets:
        assert client.get(url).status_code == code, url
    for url in posts:
        assert client.post(url, data={"title_en": "Hijacked", "capacity": "5"}).status_code == code, url
    assert counts() == before
    db.session.expire_all()
    assert db.session.get(Course, course.id).title_en != "Hijacked"


@pytest.mark.parametrize("which", ["draft", "published"])
def test_anonymous_goes_to_sign_in(client, world, which):
    gets, posts = urls(world[which], world[which + "_session"])
    for url in gets + ["/en/provider/", "/en/provider/courses/new"]:
        response = client.get(url)
        assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"], url
    for url in posts + ["/en/provider/courses/new"]:
        assert client.post(url).status_code == 302, url


@pytest.mark.parametrize("role,draft_code,published_code", [
    ("other_member", 404, 403),
    ("learner", 404, 403),
    ("staff", 403, 403),
    ("admin", 403, 403),
])
def test_outsiders(client, world, role, draft_code, published_code):
    user = make_user("member") if role == "other_member" else make_user(role)
    sign_in(client, user)
    expect(client, world["draft"], world["draft_session"], draft_code)
    expect(client, world["published"], world["published_session"], published_code)


def test_member_reaches_every_page(client, world):
    sign_in(client, make_user("member", organisation=world["org"]))
    for which in ("draft", "published"):
        gets, _ = urls(world[which], world[which + "_session"])
        for url in gets + ["/en/provider/", "/en/provider/courses/new"]:
            assert client.get(url).status_code == 200, url


def test_unknown_and_huge_ids_are_404(client, world):
    sign_in(client, make_user("member", organisation=world["org"]))
    for url in ("/en/provider/courses/999999", "/en/provider/courses/99999999999/edit",
                "/en/provider/sessions/999999/edit"):
        assert client.get(url).status_code == 404, url
    assert client.post("/en/provider/sessions/999999/cancel").status_code == 404


def test_predicates(world):
    member = make_user("member", organisation=world["org"])
    other, staff, learner = make_user("member"), make_user("staff"), make_user()
    draft = world["draft"]
    assert can_edit_course(member, draft) and can_view_course_draft(member, draft)
    assert not can_edit_course(other, draft) and not can_view_course_draft(other, draft)
    assert not can_edit_course(staff, draft) and can_view_course_draft(staff, draft)
    assert not can_edit_course(learner, draft) and not can_view_course_draft(learner, draft)
