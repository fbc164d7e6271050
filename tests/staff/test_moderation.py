"""The staff workspace: who may enter, the queues (oldest first, constant queries), course review."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.catalog.models import Course, CourseStatus
from app.catalog.review import ReviewError, approve_course, send_back_course
from app.platform.extensions import db
from app.providers.models import ApplicationStatus, ProviderApplication
from tests.factories import make_course, make_provider, make_user, now, sign_in


def pending_course(provider=None, **kw):
    kw.setdefault("published_at", None)
    return make_course(provider, status="pending_review", **kw)


def application(user=None, **kw):
    values = dict(applicant_id=(user or make_user()).id, name_en="Volta Institute", name_ja="ボルタ研究所",
                  country="IT", city="Como", kind="research_institute", status=ApplicationStatus.SUBMITTED)
    values.update(kw)
    a = ProviderApplication(**values)
    db.session.add(a)
    db.session.flush()
    return a


def staff_paths():
    org = make_provider()
    course = pending_course(org)
    app_ = application()
    return org, [
        ("get", "/en/staff/"), ("get", "/en/staff/applications"), ("get", f"/en/staff/applications/{app_.id}"),
        ("post", f"/en/staff/applications/{app_.id}/reject"), ("get", "/en/staff/courses"),
        ("get", f"/en/staff/courses/{course.id}"), ("post", f"/en/staff/courses/{course.id}/send-back"),
        ("get", "/en/staff/audit"),
    ]


def test_anonymous_goes_to_sign_in(client):
    _, paths = staff_paths()
    for method, path in paths:
        response = getattr(client, method)(path)
        assert response.status_code == 302 and "/en/account/sign-in" in response.headers["Location"], path


@pytest.mark.parametrize("role", ["learner", "owner", "member"])
def test_others_are_refused(client, role):
    org, paths = staff_paths()
    sign_in(client, make_user(role, organisation=org if role != "learner" else None))
    for method, path in paths:
        assert getattr(client, method)(path, data={"comment": "x"}).status_code == 403, path
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Course).where(
        Course.status == CourseStatus.PENDING_REVIEW)) == 1


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_staff_and_admins_enter(client, role):
    _, paths = staff_paths()
    sign_in(client, make_user(role))
    for method, path in paths:
        if method == "get":
            assert client.get(path).status_code == 200, path
    page = client.get("/ja/staff/").get_data(as_text=True)
    assert 'href="/ja/staff/"' in page  # the menu entry


def test_index_counts(client):
    staff_paths()
    application(status=ApplicationStatus.REJECTED)
    sign_in(client, make_user("staff"))
    text = client.get("/en/staff/").get_data(as_text=True)
    assert "1</strong>" in text and "provider application waiting" in text and "course waiting for review" in text


def test_unknown_ids_are_404(client):
    sign_in(client, make_user("staff"))
    for path in ("/en/staff/applications/999999", "/en/staff/courses/999999", "/en/staff/courses/99999999999",
                 "/en/staff/applications?page=abc", "/en/staff/courses?page=99"):
        assert client.get(path).status_code == 404, path
    assert client.post("/en/staff/courses/999999/approve").status_code == 404


def test_application_detail_shows_the_applicant_and_is_audited(client):
    applicant = make_user(email="hana@example.jp", family_name="山田", given_name="花子", name_order="family_first")
    a = application(applicant, website="https://volta.example.it", description_ja="電池の研究。")
    staff = make_user("staff")
    sign_in(client, staff)
    text = client.get(f"/en/staff/applications/{a.id}").get_data(as_text=True)
    for expected in ("hana@example.jp", "山田", "ボルタ研究所", "Volta Institute", "https://volta.example.it",
                     "電池の研究。", "Research institute"):
        assert expected in text
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "person.view"))
    assert (entry.actor_id, entry.object_type, entry.object_id) == (staff.id, "user", str(applicant.id))
    assert entry.detail == {"via": "provider_application", "id": a.id}


def test_queues_oldest_first(client):
    provider = make_provider()
    _new, old = pending_course(provider, title_en="Newer"), pending_course(provider, title_en="Older")
    old.updated_at = now() - timedelta(days=3)
    _a_new, a_old = application(name_en="New app"), application(name_en="Old app")
    a_old.created_at = now() - timedelta(days=3)
    db.session.flush()
    sign_in(client, make_user("staff"))
    text = client.get("/en/staff/courses").get_data(as_text=True)
    assert text.index("Older") < text.index("Newer")
    text = client.get("/en/staff/applications").get_data(as_text=True)
    assert text.index("Old app") < text.index("New app")


@pytest.mark.parametrize("path", ["/en/staff/courses", "/en/staff/applications"])
def test_queue_query_count_is_constant(client, count_queries, path):
    sign_in(client, make_user("staff"))
    providers = [make_provider() for _ in range(3)]

    def add(n):
        for i in range(n):
            pending_course(providers[i % 3], sessions=2, reindex=False)
            application()

    def measure():
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        return counter.count

    add(3)
    few = measure()
    add(27)
    assert measure() == few


def test_course_review_page_shows_both_languages_and_sessions(client):
    course = pending_course(title_en="Cell safety", title_ja="セルの安全", summary_ja="概要です", sessions=2)
    sign_in(client, make_user("staff"))
    text = client.get(f"/ja/staff/courses/{course.id}").get_data(as_text=True)
    assert "Cell safety" in text and "セルの安全" in text and "概要です" in text
    assert text.count('data-label="') >= 10  # two session rows


def test_approve_publishes_reindexes_audits_and_mails(client, outbox):
    org = make_provider()
    owner = make_user("owner", organisation=org, preferred_language="ja")
    member = make_user("member", organisation=org)
    course = pending_course(org, title_en="Black mass recycling", title_ja="ブラックマス再資源化")
    staff = make_user("staff")
    sign_in(client, staff)
    outbox.clear()
    assert client.get("/en/courses?q=Black+mass").get_data(as_text=True).count(f"/en/courses/{course.id}\"") == 0
    response = client.post(f"/en/staff/courses/{course.id}/approve", data={"comment": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert course.status == CourseStatus.PUBLISHED and course.published_at is not None
    assert course.review_comment is None
    assert f"/en/courses/{course.id}\"" in client.get("/en/courses?q=Black+mass").get_data(as_text=True)
    assert client.get(f"/ja/courses/{course.id}").status_code == 200
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "course.approve"))
    assert (entry.actor_id, entry.organisation_id) == (staff.id, org.id)
    assert sorted(m["To"] for m in outbox) == sorted([owner.email, member.email])
    # approving twice: a clear message, nothing changes
    published_at = course.published_at
    response = client.post(f"/en/staff/courses/{course.id}/approve", follow_redirects=True)
    assert "not waiting for review any more" in response.get_data(as_text=True)
    db.session.expire_all()
    assert course.published_at == published_at
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "course.approve")) == 1


def test_send_back_needs_a_comment_and_stores_it(client, outbox):
    org = make_provider()
    make_user("owner", organisation=org)
    course = pending_course(org)
    sign_in(client, make_user("admin"))
    response = client.post(f"/en/staff/courses/{course.id}/send-back", data={"comment": "   "})
    assert response.status_code == 400 and "Write a comment" in response.get_data(as_text=True)
    db.session.expire_all()
    assert course.status == CourseStatus.PENDING_REVIEW
    for bad in ("a\x00b", "x" * 2001):
        assert client.post(f"/en/staff/courses/{course.id}/send-back", data={"comment": bad}).status_code == 400
    outbox.clear()
    comment = "Please add the Japanese summary 🙏 / 日本語の概要を追加してください"
    assert client.post(f"/en/staff/courses/{course.id}/send-back", data={"comment": comment}).status_code == 302
    db.session.expire_all()
    assert course.status == CourseStatus.DRAFT and course.review_comment == comment
    [mail] = outbox
    assert comment in mail.get_body(("plain",)).get_content()
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "course.send_back"))
    assert entry.detail["comment"] == comment


def test_review_services_refuse_other_statuses():
    staff = make_user("staff")
    for status in ("draft", "published", "archived"):
        course = make_course(status=status)
        with pytest.raises(ReviewError):
            approve_course(course, staff)
        with pytest.raises(ReviewError):
            send_back_course(course, staff, "fix it")
        db.session.expire_all()
        assert course.status == status
    course = pending_course()
    with pytest.raises(ReviewError):
        send_back_course(course, staff, "")
    first = now() - timedelta(days=100)
    republished = pending_course(published_at=first)
    approve_course(republished, staff)
    assert republished.published_at == first  # published_at is set the first time only


def test_queue_counts_sessions_that_will_take_place(client):
    from tests.factories import make_session
    course = pending_course(make_provider(), title_en="Counted", sessions=[])
    make_session(course)
    make_session(course, days_ahead=60, status="cancelled")
    db.session.flush()
    sign_in(client, make_user("staff"))
    text = client.get("/en/staff/courses").get_data(as_text=True)
    row = text.split("Counted", 1)[1].split("</tr>", 1)[0]
    assert "<td>1</td>" in row and "<td>2</td>" not in row
