"""Organisations name their city in English and Japanese: pages show the reader's language, the forms
take both, search finds either, the API keeps its one `city` beside the two new fields."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.platform.extensions import db
from app.providers.models import ApplicationStatus, Organisation, ProviderApplication
from tests.factories import make_client, make_course, make_courses, make_provider, make_session, make_user, sign_in


def text_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def card(page: str, provider_id: int) -> str:
    return re.search(rf'<li class="card">(?:(?!</li>).)*?/providers/{provider_id}".*?</li>', page, re.S).group(0)


@pytest.fixture
def kobe():
    return make_provider(name_en="Kobe Cells", name_ja="神戸セル", country="JP", city_en="Kobe", city_ja="神戸")


def test_directory_and_profile_name_the_city_in_the_readers_language(client, kobe):
    munich = make_provider(country="DE", city_en="Munich", city_ja="ミュンヘン")
    ja, en = text_of(client, "/ja/providers"), text_of(client, "/en/providers")
    assert "神戸(日本)" in card(ja, kobe.id) and "Kobe" not in card(ja, kobe.id)
    assert "ミュンヘン(ドイツ)" in card(ja, munich.id) and "Munich" not in card(ja, munich.id)
    assert "Kobe, Japan" in card(en, kobe.id) and "神戸," not in card(en, kobe.id)
    profile_ja = text_of(client, f"/ja/providers/{kobe.id}")
    profile_en = text_of(client, f"/en/providers/{kobe.id}")
    assert "神戸(日本)" in profile_ja and "Kobe(" not in profile_ja
    assert "Kobe, Japan" in profile_en and "神戸, Japan" not in profile_en


def test_a_city_given_in_one_language_is_shown_in_it_on_both_sides(client):
    only_ja = make_provider(country="JP", city="仙台")
    assert (only_ja.city_en, only_ja.city_ja) == (None, "仙台")
    assert "仙台(日本)" in card(text_of(client, "/ja/providers"), only_ja.id)
    assert "仙台, Japan" in card(text_of(client, "/en/providers"), only_ja.id)


def test_directory_query_count_is_constant_with_bilingual_cities(client, count_queries):
    def add(n):
        for i in range(n):
            make_courses(1, make_provider(country="JP", city_en=f"Town {i}", city_ja=f"町{i}"), reindex=False)

    def count(url):
        text_of(client, url)
        with count_queries() as counter:
            text_of(client, url)
        return counter.count

    add(3)
    small = [count("/ja/providers"), count("/en/providers")]
    add(20)
    assert [count("/ja/providers"), count("/en/providers")] == small


def test_application_takes_both_and_approval_keeps_both(client):
    applicant = make_user()
    sign_in(client, applicant)
    form = text_of(client, "/ja/provider/apply")
    assert 'name="city_en"' in form and 'name="city_ja"' in form and 'name="city"' not in form
    response = client.post("/en/provider/apply", data={
        "name_en": "Kobe Cells", "name_ja": "神戸セル", "kind": "training_provider", "country": "JP",
        "city_en": "Kobe", "city_ja": "神戸"})
    assert response.status_code == 302
    application = db.session.scalars(sa.select(ProviderApplication)
                                     .where(ProviderApplication.applicant_id == applicant.id)).one()
    assert (application.city_en, application.city_ja) == ("Kobe", "神戸")
    staff = make_client(client.application)
    sign_in(staff, make_user("staff"))
    detail = text_of(staff, f"/en/staff/applications/{application.id}")
    assert "Kobe" in detail and "神戸" in detail
    assert staff.post(f"/en/staff/applications/{application.id}/approve", data={"comment": ""}).status_code == 302
    db.session.expire_all()
    assert application.status == ApplicationStatus.APPROVED
    org = db.session.get(Organisation, application.organisation_id)
    assert (org.city_en, org.city_ja) == ("Kobe", "神戸")


def test_staff_add_an_organisation_with_both_cities(client):
    sign_in(client, make_user("staff"))
    assert 'name="city_ja"' in text_of(client, "/ja/staff/organisations/new")
    response = client.post("/en/staff/organisations/new", data={
        "kind": "university", "name_en": "Tohoku University", "name_ja": "東北大学", "country": "JP",
        "city_en": "Sendai", "city_ja": "仙台"})
    assert response.status_code == 302
    org = db.session.scalars(sa.select(Organisation).where(Organisation.name_en == "Tohoku University")).one()
    assert (org.city_en, org.city_ja) == ("Sendai", "仙台")
    listing = text_of(client, "/ja/staff/organisations")
    assert "仙台" in listing and "Sendai" not in listing


def test_too_long_cities_are_refused_and_save_nothing(client):
    sign_in(client, make_user("staff"))
    response = client.post("/en/staff/organisations/new", data={
        "kind": "university", "name_en": "Long Town University", "country": "JP", "city_ja": "市" * 121})
    assert response.status_code == 400
    assert db.session.scalars(sa.select(Organisation).where(Organisation.name_en == "Long Town University")).first() is None


@pytest.mark.parametrize("query", ["神戸", "kobe", "KOBE"])
def test_catalogue_search_finds_the_providers_city_in_either_language(client, kobe, query):
    course = make_course(kobe, title_en="Online cell safety", title_ja="オンラインのセル安全",
                         sessions=[make_session(online=True, days_ahead=10)])
    other = make_course(make_provider(country="DE", city_en="Munich", city_ja="ミュンヘン"), title_en="Cell safety")
    page = text_of(client, f"/en/courses?q={query}")
    assert f"/en/courses/{course.id}" in page and f"/en/courses/{other.id}" not in page


def test_api_keeps_city_and_adds_both_languages(client, kobe):
    body = client.get(f"/api/v1/providers/{kobe.id}").get_json()
    assert (body["city"], body["city_en"], body["city_ja"]) == ("Kobe", "Kobe", "神戸")
    only_ja = make_provider(country="JP", city="神戸")
    assert client.get(f"/api/v1/providers/{only_ja.id}").get_json()["city"] == "神戸"


def test_open_data_names_the_providers_city_in_both_languages(client, kobe):
    course = make_course(kobe)
    body = client.get("/api/v1/exports/catalogue.json").get_json()
    [doc] = [c for c in body["courses"] if c["id"] == course.id]
    assert doc["provider"]["city"] == {"en": "Kobe", "ja": "神戸"}


@pytest.mark.parametrize("legacy, expected", [("神戸", (None, "神戸")), ("Kobe", ("Kobe", None))])
def test_a_form_from_before_the_change_still_files_its_one_city(client, legacy, expected):
    """A page left open across the release posts one `city`: it goes to the language it is written in."""
    sign_in(client, make_user("staff"))
    response = client.post("/en/staff/organisations/new", data={
        "kind": "university", "name_en": "Old Form University", "country": "JP", "city": legacy})
    assert response.status_code == 302
    org = db.session.scalars(sa.select(Organisation).where(Organisation.name_en == "Old Form University")).one()
    assert (org.city_en, org.city_ja) == expected


def test_an_application_from_an_old_page_keeps_its_city(client):
    applicant = make_user()
    sign_in(client, applicant)
    assert client.post("/en/provider/apply", data={"name_en": "Old Page School", "kind": "training_provider",
                                                   "country": "JP", "city": "大阪"}).status_code == 302
    application = db.session.scalars(sa.select(ProviderApplication)
                                     .where(ProviderApplication.applicant_id == applicant.id)).one()
    assert (application.city_en, application.city_ja) == (None, "大阪")
