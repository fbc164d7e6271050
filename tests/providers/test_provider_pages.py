"""The provider directory /<lang>/providers and provider profiles /<lang>/providers/<id>."""
from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import make_course, make_courses, make_provider, make_session


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def cards(text: str) -> dict[int, str]:
    """{provider id: the text of its card} in the directory, in page order."""
    out = {}
    for block in re.findall(r'<li class="card">.*?</li>', text, re.S):
        provider_id = int(re.search(r'href="/(?:en|ja)/providers/(\d+)"', block).group(1))
        out[provider_id] = block
    return out


def course_links(text: str) -> set[int]:
    return {int(i) for i in re.findall(r'href="/(?:en|ja)/courses/(\d+)"', text)}


@pytest.fixture
def directory():
    akku = make_provider(name_en="Akkuwerk Academy", name_ja="アクヴェルク・アカデミー", country="DE", city="Berlin")
    kansai = make_provider(name_en="Kansai Battery School", name_ja="関西バッテリースクール", country="JP",
                           city="Osaka")
    lyon = make_provider(name_en="Lyon Cell Institute", name_ja="リヨン電池研究所", country="FR", city="Lyon",
                         verified=False)
    company = make_provider(kind="company", name_en="Bolt Motors", name_ja="ボルト自動車", country="DE")
    for status in ("published", "published", "draft", "archived", "pending_review"):
        make_course(akku, status=status)
    make_course(kansai)
    make_course(company)  # an odd record, but a company is still no training provider
    return {"akku": akku.id, "kansai": kansai.id, "lyon": lyon.id, "company": company.id}


# --- the directory -------------------------------------------------------------------------------

def test_directory_lists_providers_with_published_course_counts(client, directory):
    text = get(client, "/en/providers")
    found = cards(text)
    assert list(found) == [directory["akku"], directory["kansai"], directory["lyon"]]  # by name
    assert "2 published courses" in found[directory["akku"]]
    assert "1 published course<" in found[directory["kansai"]]
    assert "0 published courses" in found[directory["lyon"]]
    assert "Berlin, Germany" in found[directory["akku"]]
    assert "EU/EEA" in found[directory["akku"]] and "Verified" in found[directory["akku"]]
    assert "Verified" not in found[directory["lyon"]]
    assert "Bolt Motors" not in text
    assert "3 training providers" in text


def test_directory_in_japanese(client, directory):
    text = get(client, "/ja/providers")
    found = cards(text)
    assert set(found) == {directory["akku"], directory["kansai"], directory["lyon"]}
    assert "関西バッテリースクール" in found[directory["kansai"]]
    assert "大阪" in found[directory["kansai"]] or "Osaka" in found[directory["kansai"]]
    assert "日本" in found[directory["kansai"]]
    assert '<html lang="ja"' in text


@pytest.mark.parametrize("country", ["JP", "jp", " jp "])
def test_country_filter(client, directory, country):
    text = get(client, f"/en/providers?country={country}")
    assert list(cards(text)) == [directory["kansai"]]
    assert '<option value="JP" selected>' in text
    assert "1 training provider<" in text


def test_country_options_are_the_providers_countries(client, directory):
    text = get(client, "/en/providers")
    options = re.findall(r'<option value="([A-Z]{2})"', text)
    assert sorted(options) == ["DE", "FR", "JP"]


def test_country_with_no_provider_shows_an_empty_state(client, directory):
    text = get(client, "/en/providers?country=IT")
    assert cards(text) == {}
    assert "No training provider is listed for this country yet." in text
    assert 'href="/en/providers"' in text


@pytest.mark.parametrize("country", ["ZZZ", "Germany", "%00", "D%00E", "%ff", "12", "<b>"])
def test_unknown_country_lists_everyone(client, directory, country):
    text = get(client, f"/en/providers?country={country}")
    assert set(cards(text)) == {directory["akku"], directory["kansai"], directory["lyon"]}


@pytest.fixture
def thirty():
    providers = [make_provider(name_en=f"Provider {i:02d}", country="JP" if i % 2 else "DE") for i in range(30)]
    return [p.id for p in providers]


def test_directory_pages(client, thirty):
    first = cards(get(client, "/en/providers"))
    second = cards(get(client, "/en/providers?page=2"))
    assert len(first) == 24 and len(second) == 6
    assert list(first) + list(second) == thirty


def test_directory_pagination_keeps_the_country(client):
    ids = [make_provider(name_en=f"Tokyo {i:02d}", country="JP").id for i in range(26)]
    make_provider(name_en="Aachen", country="DE")
    text = get(client, "/ja/providers?country=JP")
    nav = re.search(r'<nav class="pagination".*?</nav>', text, re.S).group(0)
    href = html.unescape(re.search(r'<a href="([^"]+)" rel="next"', nav).group(1))
    assert urlsplit(href).path == "/ja/providers"
    assert parse_qs(urlsplit(href).query) == {"country": ["JP"], "page": ["2"]}
    assert list(cards(get(client, href))) == ids[24:]


@pytest.mark.parametrize("page", ["3", "0", "-1", "abc", "1e3", "99999999999999999999", "%ff", "%00x", "2.0"])
def test_directory_page_out_of_range_or_malformed_is_404(client, thirty, page):
    assert client.get(f"/en/providers?page={page}").status_code == 404
    assert client.get(f"/ja/providers?page={page}&country=JP").status_code == 404


def test_directory_page_two_of_a_filtered_list_is_404_when_it_fits_on_one(client, thirty):
    assert client.get("/en/providers?country=JP").status_code == 200
    assert client.get("/en/providers?country=JP&page=2").status_code == 404


def test_empty_directory(client):
    text = get(client, "/en/providers")
    assert cards(text) == {}
    assert "0 training providers" in text
    assert client.get("/en/providers?page=2").status_code == 404


# --- a profile -----------------------------------------------------------------------------------

def test_profile_shows_the_provider_and_its_published_courses(client):
    provider = make_provider(name_en="Akkuwerk Academy", name_ja="アクヴェルク・アカデミー",
                             description_en="Cell manufacturing training since 2011.",
                             website="https://akkuwerk.example", country="DE", city="Berlin")
    published = [make_course(provider, title_en=f"Published {i}", sessions=[make_session(days_ahead=5 + i)])
                 for i in range(2)]
    draft = make_course(provider, status="draft", title_en="Draft one")
    other = make_course(title_en="Someone else's")
    ids = {c.id for c in published}
    text = get(client, f"/en/providers/{provider.id}")
    assert "<h1>Akkuwerk Academy</h1>" in text
    assert "Cell manufacturing training since 2011." in text
    assert 'href="https://akkuwerk.example"' in text
    assert "Berlin, Germany" in text
    assert "2 published courses" in text
    assert course_links(text) == ids
    assert "Draft one" not in text and draft.id not in course_links(text)
    assert other.id not in course_links(text)
    ja = get(client, f"/ja/providers/{provider.id}")
    assert "<h1>アクヴェルク・アカデミー</h1>" in ja
    # the English-only description is shown marked as English
    assert '<span lang="en">Cell manufacturing training since 2011.</span> <span class="lang-marker">' in ja


def test_profile_shows_each_courses_next_session(client):
    provider = make_provider()
    course = make_course(provider, sessions=[make_session(days_ahead=-10, city="Pastville"),
                                             make_session(days_ahead=15, city="Nextville"),
                                             make_session(days_ahead=40, city="Laterville")])
    text = get(client, f"/en/providers/{provider.id}")
    assert "Nextville" in text and "Laterville" not in text and "Pastville" not in text
    assert course.id in course_links(text)


def test_profile_without_courses(client):
    provider = make_provider()
    text = get(client, f"/en/providers/{provider.id}")
    assert "This provider has no published course at the moment." in text
    assert course_links(text) == set()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_unknown_provider_is_404(client, lang):
    provider = make_provider()
    assert client.get(f"/{lang}/providers/{provider.id + 1000}").status_code == 404
    assert client.get(f"/{lang}/providers/0").status_code == 404


def test_an_organisation_that_is_no_provider_is_404(client):
    company = make_provider(kind="company")
    university = make_provider(kind="university")
    assert client.get(f"/en/providers/{company.id}").status_code == 404
    assert client.get(f"/en/providers/{university.id}").status_code == 404


@pytest.mark.parametrize("path", ["/en/providers/99999999999999999999", "/en/providers/2147483648",
                                  "/en/providers/-1", "/en/providers/abc", "/ja/providers/%00"])
def test_absurd_provider_ids_are_404(client, path):
    assert client.get(path).status_code == 404


# --- query count ---------------------------------------------------------------------------------

def _count(client, count_queries, url: str) -> int:
    get(client, url)
    with count_queries() as counter:
        get(client, url)
    return counter.count


def test_directory_query_count_does_not_grow(client, count_queries):
    def add(n):
        for i in range(n):
            provider = make_provider(country=("DE", "JP", "FR", "IT")[i % 4])
            make_courses(2, provider, skills=("recycling",), reindex=False)

    add(5)
    small = [_count(client, count_queries, url) for url in ("/en/providers", "/ja/providers?country=JP")]
    add(45)
    large = [_count(client, count_queries, url) for url in ("/en/providers", "/ja/providers?country=JP")]
    assert small == large
    assert max(large) <= 4
    assert len(cards(get(client, "/en/providers"))) == 24


def test_profile_query_count_does_not_grow(client, count_queries):
    small = make_provider()
    large = make_provider()
    make_courses(3, small, skills=("recycling",), languages=("en", "ja"), sessions=2)
    make_courses(60, large, skills=("recycling", "safety"), languages=("en", "ja"), sessions=2)
    counts = [_count(client, count_queries, f"/en/providers/{p.id}") for p in (small, large)]
    assert counts[0] == counts[1] <= 8
    text = get(client, f"/en/providers/{large.id}")
    assert len(course_links(text)) == 60 and "60 published courses" in text
