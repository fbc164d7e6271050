"""The reports page, its downloads and the annual report: permissions, SVG, CSV/XLSX, constant queries."""
from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from openpyxl import load_workbook

from app.exchanges.models import Exchange
from app.platform.extensions import db
from app.reports.figures import FIGURES
from tests.factories import make_client, make_user, sign_in
from tests.reports.conftest import YEAR, exchange

SVG = "{http://www.w3.org/2000/svg}"
PATHS = ["/{lang}/staff/reports", "/{lang}/staff/reports?period=quarter", "/{lang}/staff/reports/annual?year=2025",
         "/{lang}/staff/reports/areas.csv", "/{lang}/staff/reports/skills.xlsx"]


def staff_client(app, role="staff"):
    client = make_client(app)
    sign_in(client, make_user(role))
    return client


@pytest.mark.parametrize("path", PATHS)
def test_permissions(app, db_session, path):
    path = path.format(lang="en")
    response = make_client(app).get(path)
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
    for role in ("learner", "member", "owner"):
        assert staff_client(app, role).get(path).status_code == 403, role
    for role in ("staff", "admin"):
        assert staff_client(app, role).get(path).status_code == 200, role


def svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(chunk) for chunk in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_page_has_accessible_svg_charts_and_tables(app, exchanges, training, lang):
    response = staff_client(app).get(f"/{lang}/staff/reports?period=quarter")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    charts = svgs(html)
    assert len(charts) == len(FIGURES) + 1  # the period figure has two charts
    for svg in charts:
        assert svg.get("role") == "img"
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert title is not None and title.text and desc is not None and desc.text
        assert set(svg.get("aria-labelledby").split()) == {title.get("id"), desc.get("id")}
        assert svg.findall(f".//{SVG}text"), "labels are text"
    assert "<script" not in "".join(re.findall(r"<svg\b.*?</svg>", html, flags=re.S))
    assert " style=" not in html
    assert html.count('<table class="report-table">') == len(FIGURES)
    if lang == "ja":
        assert "日本 → ドイツ" in html and "熱暴走の安全対策" in html
    # The numbers beneath the charts: JP→EU this year, by quarter (the Japanese period label is translated).
    assert lang == "ja" or re.search(rf"<th scope=\"row\">{YEAR} Q1</th><td>[^<]+</td><td class=\"num\">1</td>"
                     rf"<td class=\"num\">10</td>", html)
    assert "10%" in html and "66.7%" in html  # fill rate and completion rate of course C1


def test_filters_apply_to_the_page_and_downloads(app, exchanges):
    client = staff_client(app)
    query = f"direction=jp_to_eu&area=recycling&from={YEAR}-01-01&to={YEAR}-12-31"
    html = client.get(f"/en/staff/reports?{query}").get_data(as_text=True)
    assert f"/en/staff/reports/countries.xlsx?period=year&amp;from={YEAR}-01-01" in html
    csv = client.get(f"/en/staff/reports/countries.csv?{query}").get_data(as_text=True)
    assert csv.splitlines() == ["\ufeffCountry pair,Exchanges,Participant-days", "Japan → Germany,1,10",
                                "Japan → France,1,5"]


def test_csv_has_bom_and_japanese_labels(app, exchanges):
    response = staff_client(app).get("/ja/staff/reports/skills.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith("\ufeff".encode())
    text = response.data.decode("utf-8-sig")
    assert "リサイクル・ブラックマス,2,15" in text
    assert "attachment" in response.headers["Content-Disposition"]


def test_xlsx_opens_with_japanese_text_intact(app, exchanges, training):
    response = staff_client(app).get("/ja/staff/reports/enrolments-courses.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["A1"].value.startswith("絞り込み条件：なし。承認済みの人材交流のみを")  # then the header row
    rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == 3
    assert rows[1][0] == "ブラックマス入門" and rows[1][1:] == [6, 1, 10, 10.0, 2, 1, 66.7]
    assert rows[2][0] == "熱暴走の安全対策" and rows[2][7] is None
    response = staff_client(app).get("/ja/staff/reports/countries.xlsx")
    values = [c for r in load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True) for c in r]
    assert "日本 → ドイツ" in values


def test_annual_report_is_the_year_by_quarter_for_print(app, exchanges, training):
    html = staff_client(app).get(f"/en/staff/reports/annual?year={YEAR - 1}").get_data(as_text=True)
    assert "css/reports.css" in html and f"Annual report {YEAR - 1}" in html
    assert re.search(rf"<th scope=\"row\">{YEAR - 1} Q4</th><td>EU → Japan</td>", html)
    assert f"<th scope=\"row\">{YEAR} Q1</th>" not in html
    bad = staff_client(app).get("/en/staff/reports/annual?year=abc")
    assert bad.status_code == 200 and str(date.today().year) in bad.get_data(as_text=True)


def test_bad_filters_are_a_notice_not_an_error(app, exchanges):
    response = staff_client(app).get("/en/staff/reports?direction=sideways&period=decade&from=2025-13-01")
    assert response.status_code == 200
    assert "ignored" in response.get_data(as_text=True)


def test_query_count_is_constant(app, exchanges, orgs, count_queries):
    client = staff_client(app)
    client.get("/en/staff/reports")  # warm up: first-request work is not the page's
    with count_queries() as few:
        assert client.get("/en/staff/reports?period=quarter").status_code == 200
    staff = make_user("staff")
    for i in range(45):
        exchange(orgs.jp if i % 2 else orgs.de, orgs.fr, date(YEAR - i % 4, 1 + i % 12, 1), 1 + i % 9,
                 area=("recycling", "data-sharing")[i % 2], skills=("recycling", "safety")[: 1 + i % 2], staff=staff)
    db.session.flush()
    assert db.session.query(Exchange).count() == 52
    with count_queries() as many:
        assert client.get("/en/staff/reports?period=quarter").status_code == 200
    assert many.count == few.count, (few.statements, many.statements)


def test_cache_serves_the_same_figures_and_says_when(app, exchanges, monkeypatch, count_queries):
    """One cache read for the whole page. (The app's cache writes run in a transaction of their own, which the
    tests' rolled-back request sessions would undo, so a dictionary stands in for app.platform.cache here.)"""
    from app.reports import figures

    store: dict = {}
    monkeypatch.setattr(figures.cache, "get_json", store.get)
    monkeypatch.setattr(figures.cache, "set_json", lambda key, value, seconds: store.__setitem__(key, value))
    monkeypatch.setitem(app.config, "REPORTS_CACHE_SECONDS", 60)
    client = staff_client(app)
    with count_queries() as miss:
        first = client.get("/en/staff/reports").get_data(as_text=True)
    with count_queries() as hit:
        second = client.get("/en/staff/reports").get_data(as_text=True)
    token = re.compile(r'name="csrf_token" value="[^"]*"')  # signed with a timestamp
    assert token.sub("", first) == token.sub("", second) and len(store) == 1
    assert miss.count - hit.count == len(figures.FIGURES)
    other = client.get("/en/staff/reports?period=quarter")
    assert other.status_code == 200 and len(store) == 2


def test_a_committed_write_makes_the_cached_figures_current(app, exchanges, monkeypatch):
    """Cached figures are keyed by a version that every committed write to the counted data changes."""
    from app.exchanges import services as exchange_services
    from app.reports import figures, freshness

    store: dict = {}
    monkeypatch.setattr(figures.cache, "get_json", store.get)
    monkeypatch.setattr(figures.cache, "set_json", lambda key, value, seconds: store.__setitem__(key, value))
    versions = iter(range(1, 1000))
    current = {"v": "0"}
    monkeypatch.setattr(freshness, "version", lambda: current["v"])
    monkeypatch.setattr(freshness, "bump", lambda: current.__setitem__("v", str(next(versions))))
    monkeypatch.setitem(app.config, "REPORTS_CACHE_SECONDS", 3600)
    client = staff_client(app)
    client.get("/en/staff/reports")
    assert len(store) == 1
    submitted = db.session.query(Exchange).filter(Exchange.approval == "submitted").first()
    exchange_services.approve(submitted, make_user("staff"))
    db.session.commit()
    assert current["v"] != "0"
    client.get("/en/staff/reports")
    assert len(store) == 2  # computed afresh under the new version


def test_reading_does_not_change_the_version(app, exchanges, monkeypatch):
    from app.reports import freshness

    bumped = []
    monkeypatch.setattr(freshness, "bump", lambda: bumped.append(1))
    client = staff_client(app)
    db.session.commit()  # the fixture's own writes: these do change the version
    assert bumped == [1]
    client.get("/en/staff/reports")
    client.get("/ja/staff/reports/countries.csv")
    db.session.commit()
    assert bumped == [1]


def test_enrolment_writes_count_only_with_redis(app, monkeypatch):
    from app.reports import freshness

    monkeypatch.setitem(app.config, "REDIS_URL", None)
    assert freshness._watched("exchange") and not freshness._watched("enrolment")
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:6379/15")
    assert freshness._watched("enrolment") and freshness._watched("certification")
    assert not freshness._watched("user_session") and not freshness._watched(None)
