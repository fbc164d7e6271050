"""Association staff see the certificates expiring in the next N days, with provider and course."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.certifications import services as certs
from app.platform.extensions import db
from tests.certifications.test_issuing import completed_course, signed_in
from tests.factories import make_client, make_provider, make_user, now

PATH = "/en/staff/certificates/expiring"


def issue_expiring(org, days: list[int]):
    _, _, enrolments = completed_course(org, learners=len(days), completed=len(days))
    issued = certs.issue(enrolments, make_user()).certificates
    for cert, d in zip(issued, days):
        cert.expires_at = now() + timedelta(days=d)
    db.session.flush()
    return issued


@pytest.fixture
def staff(db_session):
    return make_user("staff")


def test_lists_what_expires_within_n_days(app, staff):
    org = make_provider(name_en="Expiry Institute")
    in_5, in_45, in_90, gone = issue_expiring(org, [5, 45, 90, -1])
    revoked, renewed = issue_expiring(org, [6, 7])
    certs.revoke(revoked, "Mistake", staff)
    certs.renew(renewed, staff)
    client = signed_in(app, staff)
    page = client.get(PATH).get_data(as_text=True)
    assert "Expiry Institute" in page and "Cell safety" in page
    assert page.count("<tr>") - 1 == 2  # in 5 and in 45 days (default 60); not revoked, renewed, expired
    assert client.get(f"{PATH}?days=100").get_data(as_text=True).count("<tr>") - 1 == 3
    assert client.get(f"{PATH}?days=10").get_data(as_text=True).count("<tr>") - 1 == 1
    ja = client.get("/ja/staff/certificates/expiring").get_data(as_text=True)
    assert "セル安全" in ja


@pytest.mark.parametrize("bad", ["abc", "0", "-5", "99999", "1e3", "６０", "%00"])
def test_a_bad_number_of_days_falls_back_to_the_default_with_a_notice(app, staff, bad):
    response = signed_in(app, staff).get(f"{PATH}?days={bad}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'class="notice"' in page and 'value="60"' in page


def test_who_may_see_it(app, db_session):
    anonymous = make_client(app).get(PATH)
    assert anonymous.status_code == 302 and "/account/sign-in" in anonymous.headers["Location"]
    org = make_provider()
    for user in (make_user(), make_user("member", organisation=org), make_user("owner", organisation=org)):
        assert signed_in(app, user).get(PATH).status_code == 403
    assert signed_in(app, make_user("admin")).get(PATH).status_code == 200


def test_staff_nav_links_to_it(app, staff):
    assert "/en/staff/certificates/expiring" in signed_in(app, staff).get("/en/staff/").get_data(as_text=True)


def test_query_count_does_not_grow(app, staff, count_queries):
    client = signed_in(app, staff)

    def count() -> int:
        client.get(PATH)
        with count_queries() as counter:
            assert client.get(PATH).status_code == 200
        return counter.count

    issue_expiring(make_provider(), [10, 20, 30])
    small = count()
    for _ in range(3):
        issue_expiring(make_provider(), [11] * 10)
    assert count() == small
