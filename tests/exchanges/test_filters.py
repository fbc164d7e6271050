"""The exchange filters: parsing (bad values ignored with a notice), applying, and back to URL arguments."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from app.exchanges.filters import ExchangeFilters, apply_filters, parse_filters, to_args
from app.exchanges.models import Exchange
from app.platform.extensions import db
from tests.exchanges.helpers import make_exchange
from tests.factories import make_provider, make_user


def parse(app, pairs):
    with app.test_request_context("/en/"):
        return parse_filters(MultiDict(pairs))


def ids(filters: ExchangeFilters) -> set[int]:
    return set(db.session.scalars(apply_filters(sa.select(Exchange.id), filters)))


def test_parse_keeps_good_values_and_round_trips(app, db_session):
    pairs = [("from", "2026-01-01"), ("to", "2026-12-31"), ("direction", "jp_to_eu"), ("direction", "eu_to_jp"),
             ("approval", "approved"), ("status", "completed"), ("area", "recycling"), ("skill", "recycling"),
             ("country", "jp"), ("org", "7"), ("activity", "placement")]
    filters, notices = parse(app, pairs)
    assert notices == []
    assert filters == ExchangeFilters(date(2026, 1, 1), date(2026, 12, 31), ("jp_to_eu", "eu_to_jp"), ("approved",),
                                      ("completed",), ("recycling",), ("recycling",), ("JP",), (7,), ("placement",))
    assert filters.active
    again, _ = parse(app, [(k, v) for k, vs in to_args(filters).items() for v in (vs if isinstance(vs, list) else [vs])])
    assert again == filters


def test_bad_values_are_dropped_with_a_notice(app, db_session):
    filters, notices = parse(app, [("from", "2026-13-01"), ("to", "yesterday"), ("direction", "sideways"),
                                   ("country", "XX"), ("country", "EU"), ("org", "-1"), ("org", "9" * 20),
                                   ("skill", "no-such-skill"), ("approval", "\x00approved"), ("area", "recycling")])
    assert filters == ExchangeFilters(areas=("recycling",), approvals=("approved",))
    assert len(notices) == 6  # from, to, direction, country, org, skill: one notice each
    assert all("ignored" in str(n) for n in notices)


def test_end_before_start_drops_the_end(app, db_session):
    filters, notices = parse(app, [("from", "2026-05-01"), ("to", "2026-04-01")])
    assert (filters.date_from, filters.date_to, len(notices)) == (date(2026, 5, 1), None, 1)


def test_apply_filters_matches_either_end(db_session):
    jp, de, fr = make_provider(country="JP"), make_provider(country="DE"), make_provider(country="FR")
    a = make_exchange(jp, de)  # JP -> EU, recycling, 2026-04
    b = make_exchange(de, jp, skills=("safety",), cooperation_area="data-sharing", starts_on=date(2025, 6, 1),
                      ends_on=date(2025, 6, 3))
    c = make_exchange(de, fr, activity_type="study_visit", participant_user_id=make_user().id)
    assert ids(ExchangeFilters(directions=("jp_to_eu",))) == {a.id}
    assert ids(ExchangeFilters(countries=("JP",))) == {a.id, b.id}
    assert ids(ExchangeFilters(org_ids=(fr.id,))) == {c.id}
    assert ids(ExchangeFilters(org_ids=(de.id,))) == {a.id, b.id, c.id}
    assert ids(ExchangeFilters(skills=("safety",))) == {b.id}
    assert ids(ExchangeFilters(areas=("data-sharing",))) == {b.id}
    assert ids(ExchangeFilters(activities=("study_visit",))) == {c.id}
    assert ids(ExchangeFilters(date_from=date(2026, 1, 1), date_to=date(2026, 12, 31))) == {a.id, c.id}
    assert ids(ExchangeFilters(directions=("jp_to_eu",), areas=("recycling",), date_from=date(2026, 1, 1))) == {a.id}
    assert ids(ExchangeFilters(approvals=("approved",))) == set()
