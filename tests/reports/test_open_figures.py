"""Open figures on the public home page: exact counts of approved exchanges, certificates and courses, small
cells of people hidden, no personal data, both languages, and a constant number of statements."""
from __future__ import annotations

import re
import secrets
from datetime import date, timedelta

import pytest

from app.certifications.models import Certification
from app.exchanges import services
from app.platform.extensions import db
from app.reports.open_figures import open_figures, suppress
from tests.factories import make_course, make_provider, make_session, make_user, now
from tests.reports.conftest import exchange

YEAR = now().year


def _day(month: int) -> date:
    return date(YEAR, month, 10)


@pytest.fixture
def dataset(orgs):
    """This year, approved: JP→EU 6, EU→JP 3, within Japan 5; within the EU 5 but last year. Not counted: a
    submitted and a rejected JP→EU. 6 certificates (one revoked). Courses: 1 published with an upcoming
    session; 1 published with a past session only; 1 draft with an upcoming session."""
    staff = make_user("staff")
    jp2 = make_provider(country="JP", name_en="Osaka Cells", name_ja="大阪セル", city="Osaka")
    for i in range(6):
        exchange(orgs.jp, orgs.de, _day(2 + i), 3, staff=staff)
    for i in range(3):
        exchange(orgs.de, orgs.jp, _day(3 + i), 3, staff=staff)
    for i in range(5):
        exchange(orgs.jp, jp2, _day(4 + i), 2, staff=staff)
        exchange(orgs.fr, orgs.de, date(YEAR - 1, 6, 1 + i), 2, staff=staff)
    exchange(orgs.jp, orgs.fr, _day(5), 4, approved=False)
    rejected = exchange(orgs.jp, orgs.fr, _day(6), 4, approved=False)
    services.reject(rejected, staff, "Not an exchange")
    learner = make_user(country="JP", email="hanako.sato@example.jp", family_name="佐藤", given_name="花子")
    course = make_course(orgs.de, sessions=[make_session(days_ahead=15)])
    make_course(orgs.jp, sessions=[make_session(days_ahead=-15, status="completed")])
    make_course(orgs.fr, status="draft", sessions=[make_session(days_ahead=15)])
    db.session.add_all(
        Certification(public_id=secrets.token_urlsafe(24), course_id=course.id, organisation_id=course.provider_id,
                      learner_id=learner.id, type="completion", status="revoked" if i == 0 else "active",
                      issued_at=now() - timedelta(days=i), facts={})
        for i in range(6))
    db.session.flush()
    return learner


def _section(html: str) -> str:
    match = re.search(r'<section[^>]*id="open-figures".*?</section>', html, re.S)
    assert match, "no open figures section"
    return match.group(0)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_suppress_hides_one_to_four():
    assert [suppress(n) for n in range(7)] == [0, None, None, None, None, 5, 6]


def test_exact_figures(dataset):
    figures = open_figures(YEAR)
    assert figures["year"] == YEAR
    assert figures["exchanges"] == [("eu_to_jp", None), ("jp_to_eu", 6), ("within_eu", 0), ("within_jp", 5),
                                    ("other", 0)]
    assert figures["certificates_issued"] == 6
    assert figures["courses_available"] == 1
    last_year = open_figures(YEAR - 1)
    assert dict(last_year["exchanges"]) == {"eu_to_jp": 0, "jp_to_eu": 0, "within_eu": 5, "within_jp": 0,
                                            "other": 0}


def test_empty_database(db_session):
    figures = open_figures(YEAR)
    assert [n for _, n in figures["exchanges"]] == [0] * 5
    assert figures["certificates_issued"] == 0 and figures["courses_available"] == 0


def test_one_statement(dataset, count_queries):
    with count_queries() as counter:
        open_figures(YEAR)
    assert counter.count == 1


def test_small_certificate_count_is_hidden(orgs):
    course = make_course(orgs.de)
    learner = make_user()
    db.session.add_all(Certification(public_id=secrets.token_urlsafe(24), course_id=course.id,
                                     organisation_id=course.provider_id, learner_id=learner.id, type="attendance",
                                     facts={}) for _ in range(4))
    db.session.flush()
    assert open_figures(YEAR)["certificates_issued"] is None


def test_home_page_in_english(client, dataset):
    html = client.get("/en/").get_data(as_text=True)
    section = _section(html)
    text = _text(section)
    assert "Open figures" in text
    assert f"Approved talent exchanges starting in {YEAR}, by direction" in text
    assert re.search(r"EU → Japan\s*fewer than 5", text)
    assert re.search(r"Japan → EU\s*6\b", text)
    assert re.search(r"Within Japan\s*5\b", text)
    assert re.search(r"Certificates issued to date\s*6\b", text)
    assert re.search(r"Courses with an upcoming session\s*1\b", text)
    assert not re.search(r"\b3\b", text), "a small cell's exact number is on the page"
    # submitted and rejected ones would make JP→EU 8
    assert not re.search(r"\b8\b", text)


def test_home_page_shows_no_personal_data(client, dataset):
    learner = dataset
    for lang in ("en", "ja"):
        html = client.get(f"/{lang}/").get_data(as_text=True)
        for personal in ("山田太郎", "Yamada Taro", learner.email, "佐藤", "花子", "hanako"):
            assert personal not in html


def test_home_page_in_japanese(client, dataset):
    response = client.get("/ja/")
    assert response.status_code == 200
    section = _section(response.get_data(as_text=True))
    assert 'id="open-figures-title"' in section
    assert not re.search(r"\b3\b", _text(section))


def test_home_page_renders_without_data(client, db_session):
    for lang in ("en", "ja"):
        response = client.get(f"/{lang}/")
        assert response.status_code == 200
        _section(response.get_data(as_text=True))


def _statements(client, count_queries) -> int:
    with count_queries() as counter:
        assert client.get("/en/").status_code == 200
    return counter.count


def test_home_query_count_does_not_grow_with_exchanges(client, orgs, count_queries):
    staff = make_user("staff")
    for i in range(5):
        exchange(orgs.jp, orgs.de, _day(1 + i % 12), 2, staff=staff)
    db.session.flush()
    few = _statements(client, count_queries)
    for i in range(45):
        exchange(orgs.de if i % 2 else orgs.jp, orgs.fr if i % 3 else orgs.jp, _day(1 + i % 12), 2, staff=staff)
    db.session.flush()
    assert _statements(client, count_queries) == few
