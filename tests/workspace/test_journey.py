"""A provider posts a Japanese-only course with two sessions, submits it, staff approve it, and it is listed
in the catalogue in both languages (the English page marks it "Japanese only")."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.catalog.models import Course
from app.platform.extensions import db
from tests.factories import make_provider, make_user, sign_in
from tests.workspace.helpers import local


def approve(course: Course) -> None:
    try:
        from app.catalog.review import approve_course
    except ImportError:  # moderation not installed: what approval does
        from app.catalog.services import reindex_courses
        from app.platform.database import utcnow

        course.status, course.published_at = "published", utcnow()
        db.session.flush()
        reindex_courses([course.id])
        return
    approve_course(course, make_user("staff"))


def test_japanese_only_course_from_form_to_catalogue(client):
    org = make_provider(name_en=None, name_ja="関西電池アカデミー", country="JP", city="大阪")
    sign_in(client, make_user("member", organisation=org, preferred_language="ja"))
    data = {
        "title_ja": "リチウムイオン電池リサイクル実務講座", "summary_ja": "ブラックマスの湿式製錬を学ぶ三日間。",
        "description_ja": "現場の技術者向けの実習です。", "learning_outcomes_ja": "回収率の計算",
        "kind": "training", "audience": "technician", "eqf_level": "5", "delivery_mode": "in_person",
        "languages": ["ja"], "duration_hours": "21", "price": "150000", "currency": "JPY",
        "certification": "attendance", "validity_months": "",
    }
    response = client.post("/ja/provider/courses/new", data=data)
    assert response.status_code == 302
    course = db.session.scalars(sa.select(Course).where(Course.provider_id == org.id)).one()
    assert course.title_en is None and course.status == "draft"
    page = client.get(f"/en/provider/courses/{course.id}").get_data(as_text=True)
    assert "English: 0 of 6 fields" in page and "Japanese: 4 of 6 fields" in page

    for days in (30, 60):
        start = local(days, 10)
        session = {"starts_local": start.strftime("%Y-%m-%dT%H:%M"),
                   "ends_local": (start + timedelta(days=2, hours=7)).strftime("%Y-%m-%dT%H:%M"),
                   "timezone": "Asia/Tokyo", "venue_city_ja": "大阪", "venue_country": "JP", "capacity": "12"}
        assert client.post(f"/ja/provider/courses/{course.id}/sessions/new", data=session).status_code == 302

    assert client.post(f"/ja/provider/courses/{course.id}/submit").status_code == 302
    db.session.expire_all()
    course = db.session.get(Course, course.id)
    assert course.status == "pending_review" and len(course.sessions) == 2
    assert "リチウムイオン電池リサイクル実務講座" not in client.get("/ja/courses").get_data(as_text=True)

    approve(course)
    ja = client.get("/ja/courses").get_data(as_text=True)
    assert "リチウムイオン電池リサイクル実務講座" in ja
    en = client.get("/en/courses").get_data(as_text=True)
    assert "リチウムイオン電池リサイクル実務講座" in en and "Japanese only" in en
    assert "リチウムイオン電池リサイクル実務講座" in client.get("/en/courses?q=リサイクル実務").get_data(as_text=True)
    workspace = client.get("/en/provider/").get_data(as_text=True)
    assert "Published" in workspace
