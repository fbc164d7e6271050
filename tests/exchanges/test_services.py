"""Exchange records: derived direction and duration, approval."""
from __future__ import annotations

from datetime import date

import pytest

from app.exchanges import services
from app.exchanges.models import Direction
from tests.factories import make_provider, make_user, skill


def values(sending, receiving, **kw):
    base = dict(participant_name_native="山田太郎", participant_name_latin="Yamada Taro", participant_type="learner",
                sending_org_id=sending.id, sending_country=sending.country, receiving_org_id=receiving.id,
                receiving_country=receiving.country, activity_type="placement", cooperation_area="recycling",
                starts_on=date(2026, 4, 1), ends_on=date(2026, 4, 30), status="completed")
    base.update(kw)
    return base


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("JP", "DE", Direction.JP_TO_EU), ("FR", "JP", Direction.EU_TO_JP), ("FR", "DE", Direction.WITHIN_EU),
    ("JP", "JP", Direction.WITHIN_JP), ("US", "JP", Direction.OTHER), ("NO", "JP", Direction.EU_TO_JP)])
def test_direction_is_derived(a, b, expected):
    assert services.direction_of(a, b) == expected


def test_create_derives_and_staff_records_are_approved(db_session):
    jp, de = make_provider(country="JP", city="Kobe"), make_provider(country="DE")
    staff = make_user("staff")
    exchange = services.create(values(jp, de), skill_areas=[skill("recycling")], recorded_by=staff, approved_by=staff)
    assert (exchange.direction, exchange.duration_days, exchange.approval) == ("jp_to_eu", 30, "approved")


def test_provider_submission_then_reject_then_correct_resubmits(db_session):
    jp, de = make_provider(country="JP"), make_provider(country="DE")
    owner = make_user("owner", organisation=jp)
    exchange = services.create(values(jp, de), recorded_by=owner, recorded_for_org_id=jp.id)
    assert exchange.approval == "submitted"
    with pytest.raises(services.ExchangeError):
        services.reject(exchange, make_user("staff"), " ")
    services.reject(exchange, make_user("staff"), "Dates look wrong")
    changed = services.update(exchange, {"ends_on": date(2026, 4, 10)})
    assert changed["ends_on"] == ["2026-04-30", "2026-04-10"] and exchange.duration_days == 10
    assert exchange.approval == "submitted"


def test_end_before_start_is_refused(db_session):
    jp, de = make_provider(country="JP"), make_provider(country="DE")
    with pytest.raises(services.ExchangeError) as error:
        services.create(values(jp, de, ends_on=date(2026, 3, 1)))
    assert error.value.code == "dates"
