"""The provider's roster: who sees it, what it shows, exports, decisions and completion."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.enrolment import services
from app.enrolment.models import Enrolment
from app.enrolment.models import EnrolmentStatus as S
from app.platform.extensions import db
from tests.factories import make_client, make_course, make_provider, make_session, make_user, sign_in

EVIL = '=HYPERLINK("http://evil")'


@pytest.fixture
def world(db_session):
    org = make_provider(name_en="Provider A")
    member = make_user("member", organisation=org)
    course = make_course(org, title_en="Black mass basics", title_ja="ブラックマス入門",
                         sessions=[make_session(capacity=2)])
    return org, member, course, course.sessions[0]


def enrol(session, count: int, **user_kw) -> list[Enrolment]:
    return [services.enrol(make_user(**user_kw), session).enrolment for _ in range(count)]


def status_of(enrolment) -> S:
    db.session.expire_all()
    return db.session.get(Enrolment, enrolment.id).status


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def member_client(app, member):
    client = make_client(app)
    sign_in(client, member)
    return client


def sent_to(outbox, user) -> list:
    return [m for m in outbox if m["To"] == user.email]


# Who may see a roster ------------------------------------------------------------------------------

PAGES = ("roster", "roster.csv", "roster.xlsx")


@pytest.mark.parametrize("page", PAGES)
def test_only_members_of_the_provider_see_the_roster(app, world, page):
    org, member, course, session = world
    path = f"/en/provider/sessions/{session.id}/{page}"
    anonymous = make_client(app).get(path)
    assert anonymous.status_code == 302 and "/account/sign-in" in anonymous.headers["Location"]
    for outsider in (make_user(), make_user("member", organisation=make_provider()), make_user("staff")):
        assert member_client(app, outsider).get(path).status_code == 404
    assert member_client(app, member).get(path).status_code == 200
    assert member_client(app, make_user("owner", organisation=org)).get(path).status_code == 200
    assert member_client(app, member).get(f"/en/provider/sessions/{2**31 - 1}/{page}").status_code == 404


def test_outsiders_cannot_decide_or_mark(app, world):
    _, _, _, session = world
    pending = enrol(make_course(sessions=[make_session(requires_approval=True)]).sessions[0], 1)[0]
    other = member_client(app, make_user("member", organisation=make_provider()))
    for url, data in ((f"/en/provider/enrolments/{pending.id}/approve", {}),
                      (f"/en/provider/enrolments/{pending.id}/decline", {}),
                      (f"/en/provider/enrolments/{pending.id}/outcome", {"completed": "1"}),
                      (f"/en/provider/sessions/{session.id}/outcomes", {"completed": "1"})):
        assert other.post(url, data=data).status_code == 404
        assert make_client(app).post(url, data=data).status_code == 302
    assert status_of(pending) == S.PENDING


# What it shows --------------------------------------------------------------------------------------

def test_roster_lists_confirmed_waitlisted_in_order_and_pending(app, world):
    _, member, course, session = world
    confirmed = enrol(session, 2, country="JP")
    waiting = enrol(session, 3)
    page = member_client(app, member).get(f"/en/provider/sessions/{session.id}/roster").get_data(as_text=True)
    for e in confirmed + waiting:
        assert e.learner.email in page
    assert "Japan" in page
    positions = [page.index(e.learner.email) for e in waiting]
    assert positions == sorted(positions)
    assert "Waitlist (3)" in page and "Confirmed (2)" in page
    assert "outcomes" not in page  # the session has not started: no completion buttons


def test_japanese_roster_shows_names_family_first(app, world):
    _, member, _, session = world
    enrol(session, 1, family_name="山田", given_name="太郎", name_order="family_first")
    page = member_client(app, member).get(f"/ja/provider/sessions/{session.id}/roster").get_data(as_text=True)
    assert "山田太郎" in page


def test_roster_queries_do_not_grow_with_rows(app, world, count_queries):
    _, member, _, session = world
    client = member_client(app, member)

    def queries_for(total: int) -> int:
        session.capacity = max(total // 2, 2)  # some confirmed, some waitlisted
        db.session.flush()
        have = db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)
                                 .where(Enrolment.session_id == session.id))
        enrol(session, total - have)
        client.get(f"/en/provider/sessions/{session.id}/roster")  # warm up
        with count_queries() as counter:
            assert client.get(f"/en/provider/sessions/{session.id}/roster").status_code == 200
        return counter.count

    few, many = queries_for(3), queries_for(30)
    assert few == many, (few, many)


# Exports -------------------------------------------------------------------------------------------

def test_csv_has_a_bom_neutralised_formulas_and_is_audited(app, world):
    _, member, _, session = world
    [evil] = enrol(session, 1, family_name=EVIL, given_name="", email="evil@example.com")
    response = member_client(app, member).get(f"/en/provider/sessions/{session.id}/roster.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "Black-mass-basics" in disposition
    assert session.starts_on.isoformat() in disposition
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))
    assert rows[0][:3] == ["Status", "Waitlist position", "Name"]
    [row] = [r for r in rows if "evil@example.com" in r]
    assert "'" + EVIL in row and EVIL not in row
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)
    [entry] = audit("roster.export")
    assert entry.object_id == str(session.id) and entry.detail == {"format": "csv", "rows": 1}
    assert entry.actor_id == member.id


def test_xlsx_opens_and_holds_japanese_names(app, world):
    _, member, _, session = world
    enrol(session, 1, family_name="山田", given_name="花子", family_name_kana="ヤマダ", given_name_kana="ハナコ",
          name_order="family_first")
    enrol(session, 1, family_name=EVIL, given_name="")
    response = member_client(app, member).get(f"/ja/provider/sessions/{session.id}/roster.xlsx")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "filename*=UTF-8''%E3%83%96%E3%83%A9" in response.headers["Content-Disposition"]  # ブラ...
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "山田花子" in values and "ヤマダ ハナコ" in values
    formula_cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == EVIL]
    assert formula_cells and all(cell.data_type == "s" for cell in formula_cells)  # text, never a formula
    assert audit("roster.export")[-1].detail["format"] == "xlsx"


# Decisions -----------------------------------------------------------------------------------------

@pytest.fixture
def approval_session(world):
    _, _, course, _ = world
    return make_session(course, capacity=1, requires_approval=True)


def test_approve_confirms_and_mails(app, world, approval_session, outbox):
    _, member, _, _ = world
    [pending] = enrol(approval_session, 1)
    assert pending.status == S.PENDING
    response = member_client(app, member).post(f"/en/provider/enrolments/{pending.id}/approve",
                                               follow_redirects=True)
    assert response.status_code == 200 and "approved" in response.get_data(as_text=True)
    assert status_of(pending) == S.CONFIRMED
    assert len(sent_to(outbox, pending.learner)) == 1
    assert audit("enrolment.approve")[-1].object_id == str(pending.id)


def test_decline_frees_the_seat_for_the_first_waitlisted(app, world, approval_session, outbox):
    _, member, _, _ = world
    pending, first, second = enrol(approval_session, 3)
    assert (first.status, second.status) == (S.WAITLISTED, S.WAITLISTED)
    response = member_client(app, member).post(f"/en/provider/enrolments/{pending.id}/decline",
                                               data={"note": "  Prerequisites missing  "})
    assert response.status_code == 302
    db.session.expire_all()
    declined = db.session.get(Enrolment, pending.id)
    assert declined.status == S.DECLINED and declined.note == "Prerequisites missing"
    assert status_of(first) == S.PENDING and status_of(second) == S.WAITLISTED  # approval: a request again
    assert len(sent_to(outbox, pending.learner)) == 1 and len(sent_to(outbox, first.learner)) == 1
    assert not sent_to(outbox, second.learner)
    assert audit("enrolment.decline")[-1].detail["promoted"] == [first.id]


def test_decline_of_an_open_session_promotes_to_confirmed(app, world, outbox):
    _, member, _, session = world
    a, b, c = enrol(session, 3)
    session.requires_approval = True
    db.session.flush()
    member_client(app, member).post(f"/en/provider/enrolments/{c.id}/decline")
    assert status_of(c) == S.DECLINED and status_of(a) == S.CONFIRMED


def test_bad_decisions_are_refused_with_a_message(app, world, approval_session):
    _, member, _, session = world
    [confirmed] = enrol(session, 1)
    [pending] = enrol(approval_session, 1)
    client = member_client(app, member)
    page = client.post(f"/en/provider/enrolments/{confirmed.id}/approve", follow_redirects=True)
    assert page.status_code == 200 and "Only a pending request can be approved." in page.get_data(as_text=True)
    page = client.post(f"/en/provider/enrolments/{pending.id}/decline", data={"note": "x" * 501},
                       follow_redirects=True)
    assert page.status_code == 200 and "500" in page.get_data(as_text=True)
    page = client.post(f"/en/provider/enrolments/{pending.id}/decline", data={"note": "bad\x00note"},
                       follow_redirects=True)
    assert page.status_code == 200
    assert status_of(pending) == S.PENDING and status_of(confirmed) == S.CONFIRMED
    assert client.post(f"/en/provider/enrolments/{pending.id}/maybe").status_code == 404


# Completion ----------------------------------------------------------------------------------------

@pytest.fixture
def started(world):
    """A session that began an hour ago, with three confirmed learners."""
    _, _, course, _ = world
    session = make_session(course, days_ahead=-1 / 24, capacity=5)
    before = session.starts_at - timedelta(days=2)
    return session, [services.enrol(make_user(), session, now=before).enrolment for _ in range(3)]


def test_completion_is_refused_before_the_start(app, world):
    _, member, _, session = world
    [e] = enrol(session, 1)
    client = member_client(app, member)
    page = client.post(f"/en/provider/enrolments/{e.id}/outcome", data={"completed": "1"}, follow_redirects=True)
    assert "Completion can be recorded once the session has started." in page.get_data(as_text=True)
    page = client.post(f"/en/provider/sessions/{session.id}/outcomes", data={"completed": "1"}, follow_redirects=True)
    assert "Completion can be recorded once the session has started." in page.get_data(as_text=True)
    assert status_of(e) == S.CONFIRMED and not audit("enrolment.outcome")


def test_mark_one_by_one_and_change_it(app, world, started):
    _, member, _, _ = world
    session, (a, b, c) = started
    client = member_client(app, member)
    page = client.get(f"/en/provider/sessions/{session.id}/roster").get_data(as_text=True)
    assert f"/en/provider/enrolments/{a.id}/outcome" in page and "outcomes" in page
    client.post(f"/en/provider/enrolments/{a.id}/outcome", data={"completed": "1"})
    assert status_of(a) == S.COMPLETED
    client.post(f"/en/provider/enrolments/{a.id}/outcome", data={"completed": "0"})
    assert status_of(a) == S.NOT_COMPLETED and status_of(b) == S.CONFIRMED
    assert [entry.detail["completed"] for entry in audit("enrolment.outcome")] == [True, False]
    page = client.post(f"/en/provider/enrolments/{b.id}/outcome", data={"completed": "maybe"}, follow_redirects=True)
    assert page.status_code == 200 and status_of(b) == S.CONFIRMED


def test_mark_everyone_at_once(app, world, started):
    _, member, _, _ = world
    session, (a, b, c) = started
    client = member_client(app, member)
    client.post(f"/en/provider/enrolments/{a.id}/outcome", data={"completed": "0"})
    client.post(f"/en/provider/sessions/{session.id}/outcomes", data={"completed": "1"})
    assert [status_of(e) for e in (a, b, c)] == [S.NOT_COMPLETED, S.COMPLETED, S.COMPLETED]
    client.post(f"/en/provider/sessions/{session.id}/outcomes", data={"completed": "0", "all": "1"})
    assert [status_of(e) for e in (a, b, c)] == [S.NOT_COMPLETED] * 3
    page = client.get(f"/en/provider/sessions/{session.id}/roster").get_data(as_text=True)
    assert "Completion recorded (3)" in page and "Did not complete" in page


def test_every_section_renders_with_its_actions(app, world, approval_session):
    _, member, _, _ = world
    pending, waiting, declined = enrol(approval_session, 3)
    services.decline(declined, "No seat for you")
    client = member_client(app, member)
    page = client.get(f"/en/provider/sessions/{approval_session.id}/roster").get_data(as_text=True)
    assert f"/en/provider/enrolments/{pending.id}/approve" in page
    assert f"/en/provider/enrolments/{waiting.id}/decline" in page  # an approval session's waitlist
    assert f"/en/provider/enrolments/{waiting.id}/approve" not in page
    assert "Cancelled and declined (1)" in page and "No seat for you" in page
    assert client.get(f"/ja/provider/sessions/{approval_session.id}/roster").status_code == 200
