"""Each figure's numbers on the small known dataset of conftest.py (exact values), and filters applied."""
from __future__ import annotations

from datetime import date

from app.exchanges.filters import ExchangeFilters
from app.reports import queries
from tests.factories import now
from tests.reports.conftest import YEAR

ALL = ExchangeFilters()


def test_exchanges_by_year_and_direction_count_approved_only(exchanges):
    assert queries.exchanges_by_period(ALL, "year") == [
        [YEAR - 1, None, "eu_to_jp", 1, 2],
        [YEAR, None, "eu_to_jp", 1, 3],
        [YEAR, None, "jp_to_eu", 2, 15],
        [YEAR, None, "within_eu", 1, 4],
    ]


def test_exchanges_by_quarter(exchanges):
    assert queries.exchanges_by_period(ALL, "quarter") == [
        [YEAR - 1, 4, "eu_to_jp", 1, 2],
        [YEAR, 1, "jp_to_eu", 1, 10],
        [YEAR, 2, "eu_to_jp", 1, 3],
        [YEAR, 2, "jp_to_eu", 1, 5],
        [YEAR, 3, "within_eu", 1, 4],
    ]
    assert all(type(value) is int for row in queries.exchanges_by_period(ALL, "quarter") for value in row[:2])


def test_exchanges_by_skill_area(exchanges):
    rows = queries.exchanges_by_skill(ALL)
    assert [(r[0], r[3], r[4]) for r in rows] == [("recycling", 2, 15), ("safety", 1, 5), ("data-passport", 1, 3)]
    assert rows[0][2] == "リサイクル・ブラックマス"


def test_exchanges_by_country_pair_most_first_and_top_n(exchanges):
    assert queries.exchanges_by_country_pair(ALL) == [
        ["DE", "JP", 2, 5], ["FR", "DE", 1, 4], ["JP", "DE", 1, 10], ["JP", "FR", 1, 5]]
    assert queries.exchanges_by_country_pair(ALL, limit=2) == [["DE", "JP", 2, 5], ["FR", "DE", 1, 4]]


def test_exchanges_by_cooperation_area(exchanges):
    assert queries.exchanges_by_area(ALL) == [
        ["recycling", 2, 15], ["data-sharing", 1, 3], ["human-resources", 1, 2], ["joint-events", 1, 4]]


def test_filters_jp_to_eu_recycling_of_this_year(exchanges):
    f = ExchangeFilters(date_from=date(YEAR, 1, 1), date_to=date(YEAR, 12, 31), directions=("jp_to_eu",),
                        areas=("recycling",))
    assert queries.exchanges_by_period(f, "year") == [[YEAR, None, "jp_to_eu", 2, 15]]
    assert queries.exchanges_by_country_pair(f) == [["JP", "DE", 1, 10], ["JP", "FR", 1, 5]]
    # A skill filter narrows the skill figure to the chosen areas.
    f = ExchangeFilters(skills=("safety",))
    assert [(r[0], r[3]) for r in queries.exchanges_by_skill(f)] == [("safety", 1)]
    # The approval filter is ignored: reports count approved exchanges only.
    f = ExchangeFilters(approvals=("submitted",), countries=("FR",))
    assert queries.exchanges_by_area(f) == [["joint-events", 1, 4], ["recycling", 1, 5]]


def test_certificates_by_provider_and_skill_area(orgs, training):
    by_provider = queries.certificates_by("provider", ALL, now())
    assert by_provider == [[orgs.de.id, "Berlin Battery Academy", "ベルリン電池アカデミー", 3, 2, 1, 0],
                           [orgs.jp.id, None, "神戸電池研修センター", 2, 1, 0, 1]]
    by_skill = queries.certificates_by("skill", ALL, now())
    assert [[r[0], *r[3:]] for r in by_skill] == [["recycling", 5, 3, 1, 1], ["safety", 2, 1, 0, 1]]
    assert queries.certificates_by("provider", ExchangeFilters(org_ids=(orgs.jp.id,)), now())[0][3:] == [2, 1, 0, 1]
    later = ExchangeFilters(date_from=date.today().replace(year=YEAR + 1))
    assert queries.certificates_by("skill", later, now()) == []


def test_enrolments_fill_and_completion_by_course_provider_skill(orgs, training):
    c1, c2 = training
    assert queries.enrolments_by("course", ALL) == [
        [c1.id, "Black mass basics", "ブラックマス入門", 6, 1, 10, 2, 1],
        [c2.id, None, "熱暴走の安全対策", 1, 1, 20, 0, 0]]
    assert [r[3:] for r in queries.enrolments_by("provider", ALL)] == [[6, 1, 10, 2, 1], [1, 1, 20, 0, 0]]
    assert [[r[0], *r[3:]] for r in queries.enrolments_by("skill", ALL)] == [
        ["recycling", 7, 2, 30, 2, 1], ["safety", 1, 1, 20, 0, 0]]
    assert [r[0] for r in queries.enrolments_by("course", ALL, limit=1)] == [c1.id]
    safety = ExchangeFilters(skills=("safety",))
    assert [r[0] for r in queries.enrolments_by("course", safety)] == [c2.id]


def test_learners_by_region_and_country(orgs, training):
    assert queries.learners_by("region", ALL) == [["eu_eea", 2], ["japan", 1], ["other", 1]]
    assert queries.learners_by("country", ALL) == [["DE", 1], ["FR", 1], ["JP", 1], ["US", 1]]
    # Sessions in the past only: the completed session's learners (JP, DE, US).
    past = ExchangeFilters(date_to=date.today())
    assert queries.learners_by("region", past) == [["eu_eea", 1], ["japan", 1], ["other", 1]]
    assert queries.learners_by("country", ExchangeFilters(org_ids=(orgs.jp.id,))) == [["DE", 1], ["FR", 1]]


def test_region_case_matches_region_of(db_session):
    import sqlalchemy as sa

    from app.i18n.countries import EU_EEA, region_of
    from app.platform.extensions import db

    for code in ["JP", "US", "CH", "GB", *sorted(EU_EEA)]:
        got = db.session.execute(sa.select(queries.region_case(sa.literal(code)))).scalar_one()
        assert got == region_of(code).value, code
