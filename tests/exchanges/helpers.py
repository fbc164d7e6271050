"""Shared creators for the exchange tests."""
from __future__ import annotations

from datetime import date

from app.exchanges import services
from tests.factories import make_provider, skill


def make_exchange(sending=None, receiving=None, *, skills=("recycling",), recorded_for=None, approved_by=None,
                  **kw):
    sending = sending or make_provider(country="JP", city="Kobe")
    receiving = receiving or make_provider(country="DE")
    values = dict(participant_name_native="山田太郎", participant_name_latin="Yamada Taro",
                  participant_type="learner", sending_org_id=sending.id, sending_country=sending.country,
                  receiving_org_id=receiving.id, receiving_country=receiving.country, activity_type="placement",
                  cooperation_area="recycling", starts_on=date(2026, 4, 1), ends_on=date(2026, 4, 30),
                  status="completed")
    values.update(kw)
    return services.create(values, skill_areas=[skill(c) for c in skills], approved_by=approved_by,
                           recorded_for_org_id=getattr(recorded_for, "id", None), audit=False)
