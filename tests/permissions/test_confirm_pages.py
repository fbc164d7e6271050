"""Nothing that cannot be undone happens on one click (issue 14, point 4): each destructive action's address
answers GET with a page of its own that says what happens and to whom, with a CSRF-protected form and a
destructive button that POSTs to the same address; the GET changes nothing, anonymous readers are sent to
sign in, other roles get 403/404, and the POST still does the step."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.certifications import services as certs
from app.enrolment import services as enrolments
from app.platform.extensions import db
from tests.factories import make_client, make_course, make_provider, make_session, make_user, now, sign_in


@dataclass
class Case:
    path: str
    owner: object
    others: dict  # user -> expected status of their GET
    state: Callable[[], object]  # what the step changes
    says: tuple[str, ...]  # what the page must tell
    post: dict = field(default_factory=dict)


def _row(model, id_, column: str):
    db.session.expire_all()
    return getattr(db.session.get(model, id_), column)


def booking_cancel():
    from app.enrolment.models import Enrolment

    session = make_course(title_en="Cell assembly", sessions=[make_session(capacity=1)]).sessions[0]
    learner = make_user()
    enrolment = enrolments.enrol(learner, session).enrolment
    waiting = enrolments.enrol(make_user(), session).enrolment
    return Case(f"/en/me/enrolments/{enrolment.id}/cancel", learner, {make_user(): 404, make_user("staff"): 404},
                lambda: (_row(Enrolment, enrolment.id, "status"), _row(Enrolment, waiting.id, "status")),
                ("Cell assembly", "next person on the waitlist"))


def session_cancel():
    from app.catalog.models import CourseSession

    org = make_provider()
    session = make_course(org, title_en="Pack safety", sessions=[make_session()]).sessions[0]
    enrolments.enrol(make_user(), session)
    return Case(f"/en/provider/sessions/{session.id}/cancel", make_user("member", organisation=org),
                {make_user("member"): 403, make_user(): 403},  # a published course: seen, not changed
                lambda: _row(CourseSession, session.id, "status"), ("Pack safety", "1 confirmed learners"))


def certificate_revoke():
    from app.certifications.models import Certification

    org = make_provider()
    member = make_user("member", organisation=org)
    session = make_course(org, title_en="BMS basics", certification="completion",
                          sessions=[make_session(days_ahead=-2)]).sessions[0]
    holder = make_user(given_name="Hanna", family_name="Holder")
    enrolment = enrolments.enrol(holder, session, now=now() - timedelta(days=5)).enrolment
    enrolments.record_outcome(enrolment, True)
    (cert,) = certs.issue([enrolment], member).certificates
    return Case(f"/en/provider/certificates/{cert.public_id}/revoke", member,
                {make_user("member"): 404, holder: 404, make_user("staff"): 403},
                lambda: _row(Certification, cert.id, "status"), ("BMS basics", "Holder", cert.public_id),
                post={"reason": "Issued by mistake"})


def member_remove():
    from app.providers.models import Membership

    org = make_provider()
    owner = make_user("owner", organisation=org)
    staff = make_user("member", organisation=org, given_name="Sam", family_name="Staffer")
    count = lambda: db.session.scalar(sa.select(sa.func.count()).select_from(Membership).where(  # noqa: E731
        Membership.organisation_id == org.id))
    return Case(f"/en/provider/members/{org.id}/remove?user_id={staff.id}", owner,
                {staff: 403, make_user("owner"): 404, make_user(): 404}, count, ("Staffer", staff.email),
                post={"user_id": str(staff.id)})


def request_decline():
    from app.enrolment.models import Enrolment

    org = make_provider()
    session = make_course(org, title_en="Formation", sessions=[make_session(requires_approval=True)]).sessions[0]
    asking = make_user(given_name="Asa", family_name="Asker")
    enrolment = enrolments.enrol(asking, session).enrolment
    return Case(f"/en/provider/enrolments/{enrolment.id}/decline", make_user("member", organisation=org),
                {make_user("member"): 404, asking: 404}, lambda: _row(Enrolment, enrolment.id, "status"),
                ("Asker", "Formation"))


def application_reject():
    from app.providers.models import ProviderApplication

    application = ProviderApplication(applicant_id=make_user().id, name_en="Volta Institute", country="IT",
                                      city="Como", kind="research_institute", status="submitted")
    db.session.add(application)
    db.session.flush()
    return Case(f"/en/staff/applications/{application.id}/reject", make_user("staff"),
                {make_user(): 403, make_user("owner"): 403},
                lambda: _row(ProviderApplication, application.id, "status"), ("Volta Institute",),
                post={"comment": "Website unreachable"})


def course_send_back():
    from app.catalog.models import Course

    course = make_course(make_provider(name_en="Cell Academy"), title_en="Slurry mixing", status="pending_review",
                         published_at=None)
    return Case(f"/en/staff/courses/{course.id}/send-back", make_user("staff"), {make_user(): 403},
                lambda: _row(Course, course.id, "status"), ("Slurry mixing", "Cell Academy"),
                post={"comment": "Add the Japanese summary"})


def exchange_reject():
    from app.exchanges.models import Exchange
    from tests.exchanges.helpers import make_exchange

    exchange = make_exchange(make_provider(name_en="Kobe Cells", country="JP"),
                             make_provider(name_en="Berlin Packs"))
    return Case(f"/en/staff/exchanges/{exchange.id}/reject", make_user("staff"),
                {make_user(): 403, make_user("member"): 403},
                lambda: _row(Exchange, exchange.id, "approval"), ("Kobe Cells", "Berlin Packs"),
                post={"reason": "Dates look wrong", "seen": "submitted"})


CASES = [booking_cancel, session_cancel, certificate_revoke, member_remove, request_decline, application_reject,
         course_send_back, exchange_reject]


@pytest.mark.parametrize("make", CASES, ids=lambda f: f.__name__)
def test_get_asks_on_its_own_page_and_changes_nothing(app, db_session, make):
    case = make()
    before = case.state()
    anonymous = make_client(app).get(case.path)
    assert anonymous.status_code == 302 and "/account/sign-in" in anonymous.headers["Location"]
    for user, status in case.others.items():
        client = make_client(app)
        sign_in(client, user)
        assert client.get(case.path).status_code == status, (case.path, user.email)
    for lang in ("en", "ja"):
        client = make_client(app)
        sign_in(client, case.owner)
        response = client.get(case.path.replace("/en/", f"/{lang}/", 1))
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        action = case.path.replace("/en/", f"/{lang}/", 1).split("?")[0]
        assert f'<form method="post" action="{action}"' in page and 'name="csrf_token"' in page
        assert 'class="button-danger"' in page
        assert ('Go back without changing anything' if lang == "en" else "何も変更せずに戻る") in page
        for text in case.says if lang == "en" else ():  # (the Japanese page names the Japanese titles)
            assert text in page, text
    assert case.state() == before


@pytest.mark.parametrize("make", CASES, ids=lambda f: f.__name__)
def test_post_still_does_it(app, db_session, make):
    case = make()
    before = case.state()
    client = make_client(app)
    sign_in(client, case.owner)
    response = client.post(case.path.split("?")[0], data=case.post)
    assert response.status_code in (302, 303)
    assert case.state() != before


def test_the_pages_link_to_the_confirm_pages_instead_of_posting(app, db_session):
    """The triggers are plain links to the confirm pages: no one-click form posts to these addresses."""
    case = booking_cancel()
    client = make_client(app)
    sign_in(client, case.owner)
    page = client.get("/en/me/").get_data(as_text=True)
    assert f'href="{case.path}"' in page and f'action="{case.path}"' not in page
