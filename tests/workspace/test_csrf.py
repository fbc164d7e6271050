"""The workspace forms and buttons carry the CSRF token and work with protection on."""
from __future__ import annotations

import re

import sqlalchemy as sa

from app.catalog.models import Course
from app.platform.extensions import db
from tests.factories import make_course, make_provider, make_user, sign_in
from tests.workspace.helpers import course_data


def token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_forms_and_buttons_work_with_csrf(client, csrf_on):
    org = make_provider()
    sign_in(client, make_user("member", organisation=org))
    page = client.get("/en/provider/courses/new").get_data(as_text=True)
    assert client.post("/en/provider/courses/new", data=course_data()).status_code == 303  # back, nothing saved
    assert db.session.execute(sa.select(sa.func.count()).select_from(Course)
                              .where(Course.provider_id == org.id)).scalar() == 0
    assert client.post("/en/provider/courses/new", data=course_data(csrf_token=token(page))).status_code == 302
    course = make_course(org, status="draft", summary_en="Summary")
    page = client.get(f"/en/provider/courses/{course.id}").get_data(as_text=True)
    assert client.post(f"/en/provider/courses/{course.id}/submit").status_code == 303
    db.session.expire_all()
    assert db.session.get(Course, course.id).status == "draft"
    response = client.post(f"/en/provider/courses/{course.id}/submit", data={"csrf_token": token(page)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Course, course.id).status == "pending_review"
