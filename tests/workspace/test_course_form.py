"""Creating, editing, submitting and archiving courses through the workspace forms."""
from __future__ import annotations

import sqlalchemy as sa

from app.catalog.models import Course, CourseSearch
from app.platform.extensions import db
from tests.factories import make_course, make_provider, make_user, sign_in, skill
from tests.workspace.helpers import audit, counts, course_data, selected


def member(client, **kw):
    org = make_provider(**kw)
    user = make_user("member", organisation=org)
    sign_in(client, user)
    return org, user


def created(org) -> Course:
    db.session.expire_all()
    return db.session.scalars(sa.select(Course).where(Course.provider_id == org.id).order_by(Course.id.desc())).first()


def test_new_course_form_shows_both_languages_and_completeness(client):
    member(client)
    response = client.get("/en/provider/courses/new")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'name="title_en"' in page and 'name="title_ja"' in page
    assert "English: 0 of 6 fields" in page and "Japanese: 0 of 6 fields" in page
    assert selected(page, "EUR")  # a German provider prices in euros by default


def test_create_course_stores_converted_values_and_audits(client):
    org, user = member(client)
    data = course_data(skill_areas=[str(skill("recycling").id)], languages=["en", "de"])
    response = client.post("/en/provider/courses/new", data=data)
    assert response.status_code == 302
    course = created(org)
    assert course.status == "draft" and course.title_en == "Black mass recycling basics"
    assert course.price_amount == 120000 and course.currency == "EUR"
    assert str(course.duration_hours) in ("7.5", "7.50")
    assert course.eqf_level == 4 and course.validity_months == 24
    assert [a.code for a in course.skill_areas] == ["recycling"]
    assert sorted(course.language_codes) == ["de", "en"]
    entry = audit("course.create")[-1]
    assert entry.object_id == str(course.id) and entry.organisation_id == org.id and entry.actor_id == user.id
    assert db.session.get(CourseSearch, course.id) is not None  # indexed


def test_yen_whole_and_free(client):
    org, _ = member(client, country="JP", city="Tokyo")
    assert selected(client.get("/ja/provider/courses/new").get_data(as_text=True), "JPY")
    client.post("/ja/provider/courses/new", data=course_data(price="150,000", currency="JPY"))
    assert (created(org).price_amount, created(org).currency) == (150000, "JPY")
    client.post("/ja/provider/courses/new", data=course_data(title_en="Free one", is_free="y", price="", currency=""))
    course = created(org)
    assert course.title_en == "Free one" and course.price_amount is None and course.currency is None


def test_fullwidth_digits_are_read(client):
    org, _ = member(client)
    client.post("/en/provider/courses/new", data=course_data(price="１２００．５０", duration_hours="１２"))
    course = created(org)
    assert course.price_amount == 120050 and int(course.duration_hours) == 12


def test_completeness_is_recomputed_from_the_posted_form(client):
    member(client)
    data = course_data(title_ja="正極材入門", summary_ja="概要", description_ja="説明", price="-1")
    page = client.post("/en/provider/courses/new", data=data).get_data(as_text=True)
    assert "English: 2 of 6 fields" in page and "Japanese: 3 of 6 fields" in page


def test_bad_values_are_refused_with_clear_messages(client):
    member(client)
    cases = {
        "price": ("-5", "cannot be negative"),
        "currency": ("USD", "Choose euro (EUR) or yen (JPY)"),
        "duration_hours": ("0", "more than 0 and at most 2,000"),
        "validity_months": ("121", "from 1 to 120"),
        "eqf_level": ("9", "Not a valid choice"),
        "title_en": ("x" * 301, "Field cannot be longer than 300 characters"),
        "summary_en": ("bad\x00byte", "cannot be used"),
    }
    before = counts()
    for field, (value, message) in cases.items():
        response = client.post("/en/provider/courses/new", data=course_data(**{field: value}))
        assert response.status_code == 400, field
        assert message in response.get_data(as_text=True), field
    assert counts() == before


def test_price_rules(client):
    member(client)
    before = counts()
    for changes, message in [
        ({"price": ""}, "Enter a price, or tick"),
        ({"price": "0"}, "above zero"),
        ({"price": "12.345"}, "at most two decimals"),
        ({"price": "1200.50", "currency": "JPY"}, "whole yen"),
        ({"duration_hours": "2000.1"}, "at most 2,000"),
        ({"duration_hours": "NaN"}, "at most one decimal"),
        ({"certification": "none", "validity_months": "12"}, "only when the course offers a certificate"),
        ({"title_en": "", "title_ja": ""}, "title in English or in Japanese"),
    ]:
        response = client.post("/en/provider/courses/new", data=course_data(**changes))
        assert response.status_code == 400 and message in response.get_data(as_text=True), changes
    assert counts() == before


def test_messages_in_japanese(client):
    member(client)
    page = client.post("/ja/provider/courses/new", data=course_data(price="-5")).get_data(as_text=True)
    assert '<html lang="ja">' in page


def test_emoji_and_mixed_scripts_are_kept(client):
    org, _ = member(client)
    title = "🔋 Batterie-Recycling リサイクル 電池 Ünïcödé"
    assert client.post("/en/provider/courses/new", data=course_data(title_en=title)).status_code == 302
    assert created(org).title_en == title


def test_edit_published_course_stays_published_and_logs_changes(client):
    org, _ = member(client)
    course = make_course(org, summary_en="Old summary " + "x" * 300)
    response = client.post(f"/en/provider/courses/{course.id}/edit",
                           data=course_data(title_en="Renamed course", title_ja=course.title_ja,
                                            summary_en="New summary " + "y" * 300, audience="engineer",
                                            delivery_mode="in_person", price="99", certification="none",
                                            validity_months="", eqf_level="", duration_hours=""))
    assert response.status_code == 302
    db.session.expire_all()
    course = db.session.get(Course, course.id)
    assert course.status == "published" and course.title_en == "Renamed course"
    entry = audit("course.update")[-1]
    changed = entry.detail["changed"]
    assert changed["title_en"][1] == "Renamed course"
    assert len(changed["summary_en"][0]) <= 121 and changed["summary_en"][1].endswith("…")
    assert changed["price_amount"] == [None, 9900]
    assert "renamed course" in db.session.get(CourseSearch, course.id).title  # reindexed
    assert "Renamed course" in client.get("/en/courses?q=renamed").get_data(as_text=True)


def test_edit_form_is_filled_from_the_course(client):
    org, _ = member(client)
    course = make_course(org, price_amount=120000, currency="EUR", duration_hours=8, status="draft",
                         review_comment="Please add the learning outcomes.")
    page = client.get(f"/en/provider/courses/{course.id}/edit").get_data(as_text=True)
    assert 'value="1200.00"' in page and 'value="8"' in page and course.title_ja in page
    assert "Please add the learning outcomes." in page and "Sent back by the reviewers" in page


def test_unchanged_edit_records_nothing(client):
    org, _ = member(client)
    course = make_course(org, status="draft", title_en="Same", title_ja=None, audience="operator",
                         delivery_mode="blended", kind="training", languages=("en",))
    before = len(audit("course.update"))
    data = course_data(title_en="Same", summary_en=None, eqf_level="", duration_hours="", is_free="y",
                       price="", certification="none", validity_months="")
    assert client.post(f"/en/provider/courses/{course.id}/edit", data=data).status_code == 302
    assert len(audit("course.update")) == before


def test_pending_review_is_locked(client):
    org, _ = member(client)
    course = make_course(org, status="pending_review")
    page = client.get(f"/en/provider/courses/{course.id}/edit")
    assert page.status_code == 200 and "waiting for review" in page.get_data(as_text=True)
    response = client.post(f"/en/provider/courses/{course.id}/edit", data=course_data(title_en="Changed"))
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(Course, course.id).title_en != "Changed"


def test_submit_needs_title_and_summary_in_one_language(client):
    org, _ = member(client)
    course = make_course(org, status="draft", title_en="Only a title", title_ja="題名", summary_en=None)
    page = client.get(f"/en/provider/courses/{course.id}").get_data(as_text=True)
    assert "give it a title and a summary" in page
    client.post(f"/en/provider/courses/{course.id}/submit")
    db.session.expire_all()
    assert db.session.get(Course, course.id).status == "draft"
    course.summary_ja = "概要"
    db.session.flush()
    assert client.post(f"/en/provider/courses/{course.id}/submit").status_code == 302
    db.session.expire_all()
    course = db.session.get(Course, course.id)
    assert course.status == "pending_review" and course.review_comment is None
    assert audit("course.submit")[-1].object_id == str(course.id)


def test_archive_removes_from_catalogue(client):
    org, _ = member(client)
    course = make_course(org, title_en="Archivable course")
    assert client.get(f"/en/courses/{course.id}").status_code == 200
    assert client.post(f"/en/provider/courses/{course.id}/archive").status_code == 302
    db.session.expire_all()
    assert db.session.get(Course, course.id).status == "archived"
    assert client.get(f"/en/courses/{course.id}").status_code == 404
    assert audit("course.archive")[-1].detail == {"previous_status": "published"}
    # archived: no edits, no new sessions
    assert client.post(f"/en/provider/courses/{course.id}/edit", data=course_data()).status_code == 409
    assert client.post(f"/en/provider/courses/{course.id}/archive").status_code == 302  # flashed error


def test_multi_organisation_new_course_goes_to_the_chosen_one(client):
    org_a, user = member(client)
    org_b = make_provider()
    from app.providers.models import Membership

    db.session.add(Membership(organisation_id=org_b.id, user_id=user.id, role="staff"))
    db.session.flush()
    assert client.post(f"/en/provider/courses/new?org={org_b.id}", data=course_data(title_en="For B")).status_code == 302
    assert created(org_b).title_en == "For B"
    other = make_provider()
    assert client.get(f"/en/provider/courses/new?org={other.id}").status_code == 404
