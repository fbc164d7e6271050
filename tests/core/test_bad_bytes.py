"""Requests that are malformed below the level of any one page."""
import pytest


@pytest.mark.parametrize("path, status", [("/en/courses", 400), ("/ja/providers", 400), ("/ja/", 200)])
def test_raw_non_utf8_query_string_is_a_400_not_a_500(client, path, status):
    # WSGI carries the raw bytes as a latin-1 string.
    raw = b"q=\xff\xfe&country=\xc3".decode("latin-1")
    response = client.get(path, environ_overrides={"QUERY_STRING": raw})
    assert response.status_code == status  # the home page never reads its query string
    assert b"Traceback" not in response.data


@pytest.mark.parametrize("code", ["EU", "ZZ", "UN", "EZ"])
def test_pseudo_country_codes_are_not_countries(client, code):
    response = client.get(f"/en/courses?country={code}")
    assert response.status_code == 200
    assert "were not recognised" in response.get_data(as_text=True)


def test_language_switch_drops_an_absurd_query_string(client):
    response = client.get("/en/courses", query_string={"q": "x" * 10_000})
    assert response.status_code == 200
    assert len(response.data) < 200_000
