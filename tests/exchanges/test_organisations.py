"""Association staff create organisations that are not providers; duplicates are refused."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.platform.extensions import db
from app.providers.models import Organisation
from tests.factories import make_provider, make_user, sign_in


def orgs() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Organisation))


@pytest.fixture
def staff_client(client, db_session):
    sign_in(client, make_user("staff"))
    return client


def test_staff_create_an_organisation_that_stays_out_of_the_directory(staff_client):
    data = dict(kind="university", name_en="Tohoku University", name_ja="東北大学", country="JP", city="Sendai",
                website="https://www.tohoku.ac.jp")
    response = staff_client.post("/en/staff/organisations/new", data=data)
    assert response.status_code == 302
    org = db.session.scalars(sa.select(Organisation).where(Organisation.name_en == "Tohoku University")).one()
    assert (org.kind, org.country, org.name_ja) == ("university", "JP", "東北大学")
    assert db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.object_id == str(org.id))).all() == [
        "organisation.create"]
    assert "Tohoku University" in staff_client.get("/en/staff/organisations").text
    assert "Tohoku University" not in staff_client.get("/en/providers").text
    assert staff_client.get(f"/en/providers/{org.id}").status_code == 404
    # and exchanges can name it
    assert "Tohoku University" in staff_client.get("/en/staff/exchanges/new").text


@pytest.mark.parametrize("name", ["tohoku university", "ＴＯＨＯＫＵ  University ", "東北大学"])
def test_duplicates_in_the_same_country_are_refused(staff_client, name):
    make_provider(kind="university", name_en="Tohoku University", name_ja="東北大学", country="JP")
    before = orgs()
    field = "name_ja" if name == "東北大学" else "name_en"
    response = staff_client.post("/en/staff/organisations/new", data={"kind": "university", field: name,
                                                                      "country": "JP"})
    assert response.status_code == 400 and "already exists" in response.text
    assert orgs() == before
    # the same name in another country is another organisation
    assert staff_client.post("/en/staff/organisations/new", data={"kind": "university", field: name,
                                                                  "country": "DE"}).status_code == 302


@pytest.mark.parametrize("changes", [
    {"kind": "training_provider"}, {"kind": "pirate"}, {"country": "XX"}, {"country": ""},
    {"name_en": "", "name_ja": ""}, {"name_en": "x" * 201}, {"name_ja": "a\x00b"}, {"website": "javascript:alert(1)"},
])
def test_bad_input_is_refused(staff_client, changes):
    before = orgs()
    data = dict(kind="company", name_en="Cellwerk GmbH", country="DE") | changes
    response = staff_client.post("/ja/staff/organisations/new", data=data)
    assert response.status_code == 400
    assert orgs() == before
