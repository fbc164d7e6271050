"""The catalogue as open data: /api/v1/exports/catalogue.json and .csv."""
from __future__ import annotations

import csv
import io

from app.platform.extensions import db
from tests.factories import make_course, make_courses, make_provider, make_session


def _course():
    provider = make_provider(name_en="Cell Works", name_ja="セル工房")
    course = make_course(provider, title_en="Recycling basics", title_ja="リサイクルの基礎",
                         summary_en="=cmd|' /C calc'!A0", summary_ja="電池の回収と再資源化",
                         languages=("en", "ja"), skills=(), eqf_level=5, duration_hours=16,
                         price_amount=50000, currency="JPY", sessions=0)
    make_session(course, days_ahead=-3)
    soon = make_session(course, days_ahead=5, tz="Asia/Tokyo", country="JP", city="Tokyo")
    make_session(course, days_ahead=9)
    make_course(status="draft", title_en="Secret draft")
    return course, soon


def test_json_has_both_languages_and_next_session(client):
    course, soon = _course()
    response = client.get("/api/v1/exports/catalogue.json")
    assert response.status_code == 200 and response.is_json
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    assert all(c["title"]["en"] != "Secret draft" for c in body["courses"])
    [doc] = [c for c in body["courses"] if c["id"] == course.id]
    assert doc["title"] == {"en": "Recycling basics", "ja": "リサイクルの基礎"}
    assert doc["summary"]["ja"] == "電池の回収と再資源化"
    assert doc["provider"]["name"] == {"en": "Cell Works", "ja": "セル工房"}
    assert doc["languages"] == ["en", "ja"] and doc["eqf_level"] == 5 and doc["duration_hours"] == 16
    assert doc["price"] == {"amount_minor": 50000, "currency": "JPY"}
    assert doc["kind"] == "training" and doc["delivery_mode"] == "in_person"
    assert doc["next_session"]["id"] == soon.id and doc["next_session"]["timezone"] == "Asia/Tokyo"
    assert doc["url"] == f"http://localhost/en/courses/{course.id}"


def test_json_missing_language_is_null(client):
    course = make_course(title_ja=None, summary_en="Only English", sessions=0)
    [doc] = [c for c in client.get("/api/v1/exports/catalogue.json").get_json()["courses"] if c["id"] == course.id]
    assert doc["title"]["ja"] is None and doc["summary"] == {"en": "Only English", "ja": None}
    assert doc["next_session"] is None and doc["price"] is None


def test_csv_has_bom_japanese_and_neutralised_cells(client):
    course, soon = _course()
    response = client.get("/api/v1/exports/catalogue.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    [row] = [r for r in rows if r["id"] == str(course.id)]
    assert row["title_ja"] == "リサイクルの基礎" and row["provider_ja"] == "セル工房"
    assert row["summary_en"].startswith("'=")
    assert row["price_amount"] == "50000" and row["currency"] == "JPY" and row["languages"] == "en ja"
    assert row["next_session_timezone"] == "Asia/Tokyo" and row["next_session_place"] == "Tokyo, JP"
    assert "Secret draft" not in response.data.decode("utf-8-sig")


def test_etag_answers_304(client):
    _course()
    for path in ("/api/v1/exports/catalogue.json", "/api/v1/exports/catalogue.csv"):
        etag = client.get(path).headers["ETag"]
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304


def test_query_count_does_not_grow_with_courses(client, count_queries):
    def measure(total: int) -> tuple[int, int]:
        make_courses(total, skills=("recycling",), languages=("en", "ja"), sessions=2, reindex=False)
        db.session.expire_all()
        counts = []
        for path in ("/api/v1/exports/catalogue.json", "/api/v1/exports/catalogue.csv"):
            with count_queries() as counter:
                assert client.get(path).status_code == 200
            counts.append(counter.count)
        return tuple(counts)

    assert measure(5) == measure(45)
