"""The import pages: upload, template downloads, preview in the reader's language, confirm, size cap, access."""
from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from app.exchanges.models import Exchange, ExchangeImport
from app.platform.extensions import db
from tests.exchanges.test_import import FIXTURES, csv_file, row
from tests.factories import make_client, make_user, sign_in

BASE = "/en/staff/exchanges/import"



def upload(client, data: bytes, name: str = "exchanges.csv", lang: str = "en", **headers):
    return client.post(f"/{lang}/staff/exchanges/import", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", headers=headers)


def count_exchanges() -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(Exchange)).scalar_one()


def test_upload_page_has_the_form_the_templates_and_the_progress_script(staff_client):
    response = staff_client.get(BASE)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in page and "<progress" in page and "data-upload-progress" in page
    assert re.search(r'<script src="/static/js/upload-progress.js[^"]*" defer></script>', page)
    assert "<script>" not in page and "style=" not in page  # the strict CSP: no inline script or style
    assert f"{BASE}/template.xlsx" in page and f"{BASE}/template.csv" in page
    assert "8 MB" in page and "ジョブシャドウイング" in page  # the cap, and the allowed values


def test_template_downloads(staff_client):
    for fmt, mimetype in (("csv", "text/csv"), ("xlsx", "application/vnd.openxmlformats")):
        response = staff_client.get(f"{BASE}/template.{fmt}")
        assert response.status_code == 200 and response.mimetype.startswith(mimetype)
        assert f"exchange-import-template.{fmt}" in response.headers["Content-Disposition"]


def test_upload_then_preview_then_confirm(app, orgs, db_session):
    uploader, colleague = make_client(app), make_client(app)
    sign_in(uploader, make_user("staff"))
    sign_in(colleague, make_user("admin"))
    response = upload(uploader, (FIXTURES / "sample_shift_jis.csv").read_bytes())
    assert response.status_code == 303
    preview_url = response.headers["Location"]
    token = preview_url.rsplit("/", 1)[1]
    page = uploader.get(preview_url).get_data(as_text=True)
    assert "3 rows read" in page and "Save 3 exchanges" in page and "Kobe Battery KK" in page
    assert count_exchanges() == 0  # nothing saved before the confirmation
    # Another staff member confirms, in other requests (each in a fresh app context and session).
    response = colleague.post(f"{BASE}/{token}")
    assert response.status_code == 303
    assert "3 exchanges imported" in colleague.get(preview_url).get_data(as_text=True)
    assert count_exchanges() == 3
    again = uploader.post(f"{BASE}/{token}")
    assert again.status_code == 303
    assert "already confirmed" in uploader.get(preview_url).get_data(as_text=True)
    assert count_exchanges() == 3


def test_bad_rows_are_listed_in_the_readers_language_and_confirm_is_not_offered(orgs, staff_client):
    response = upload(staff_client, (FIXTURES / "sample_bad.csv").read_bytes(), lang="ja")
    token = response.headers["Location"].rsplit("/", 1)[1]
    assert response.headers["Location"].startswith("/ja/")
    page = staff_client.get(f"/ja/staff/exchanges/import/{token}").get_data(as_text=True)
    assert "開始日" in page and "01/04/2026" in page and "Nowhere Ltd" in page  # column names in Japanese
    assert f'action="/ja/staff/exchanges/import/{token}"' not in page  # no Confirm button
    english = staff_client.get(f"{BASE}/{token}").get_data(as_text=True)
    assert "could be day/month or month/day" in english and "start" in english
    assert "<th scope=\"row\">5</th>" in english and "<th scope=\"row\">8</th>" in english
    assert staff_client.post(f"{BASE}/{token}").status_code == 303
    assert count_exchanges() == 0


def test_one_bad_row_in_500_saves_nothing_through_the_pages(orgs, staff_client):
    rows = [row(participant_name_latin=f"P{n}") for n in range(500)]
    rows[99]["sending_country"] = "ZZ"
    token = upload(staff_client, csv_file(rows)).headers["Location"].rsplit("/", 1)[1]
    staff_client.post(f"{BASE}/{token}")
    assert count_exchanges() == 0
    assert db.session.execute(sa.select(ExchangeImport.confirmed_at)).scalar_one() is None


def test_script_uploads_get_json_with_the_next_page(orgs, staff_client):
    response = upload(staff_client, (FIXTURES / "sample.xlsx").read_bytes(), "s.xlsx",
                      **{"X-Requested-With": "XMLHttpRequest"})
    assert response.status_code == 200 and response.json["location"].startswith(f"{BASE}/")
    response = upload(staff_client, b"\x00not a table", "s.csv", **{"X-Requested-With": "XMLHttpRequest"})
    assert response.json["location"] == BASE
    assert "This is not a CSV file" in staff_client.get(BASE).get_data(as_text=True)


def test_unreadable_or_missing_file_comes_back_with_a_message(staff_client):
    response = staff_client.post(BASE, data={}, content_type="multipart/form-data")
    assert response.status_code == 303 and response.headers["Location"] == BASE
    assert "Choose a file to import" in staff_client.get(BASE).get_data(as_text=True)
    assert upload(staff_client, b"a,b\n", "notes.txt").status_code == 303
    assert "Upload a .csv or .xlsx file" in staff_client.get(BASE).get_data(as_text=True)
    upload(staff_client, b"colour,size\nred,1\n")
    assert "is not one the import knows" in staff_client.get(BASE).get_data(as_text=True)


def test_over_the_cap_is_a_clear_413_in_the_readers_language(app, staff_client):
    big = b"x" * (9 * 1024 * 1024)
    response = upload(staff_client, big)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "larger than 8 MB" in page and BASE in page
    japanese = upload(staff_client, big, lang="ja")
    assert japanese.status_code == 413 and 'lang="ja"' in japanese.get_data(as_text=True)


def test_the_cap_is_the_files_and_only_on_this_route(app, staff_client, monkeypatch):
    # 3 MiB is over the site's 2 MiB body limit but under the import's cap: read, then refused as no table.
    response = upload(staff_client, b"\x00" * (3 * 1024 * 1024))
    assert response.status_code == 303
    # A file between the cap and the request limit (cap + form overhead) is refused by the view.
    monkeypatch.setitem(app.config, "EXCHANGE_IMPORT_MAX_BYTES", 1024 * 1024)
    assert upload(staff_client, b"a" * (1024 * 1024 + 10)).status_code == 413
    # Other routes keep the site's limit.
    response = make_client(app).post("/en/account/sign-in", data={"email": "y" * (3 * 1024 * 1024)},
                                     content_type="multipart/form-data")
    assert response.status_code == 413


def test_the_cap_holds_with_csrf_on(app, staff_client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    page = staff_client.get(BASE).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = staff_client.post(BASE, data={"csrf_token": token, "file": (io.BytesIO(b"\x00" * (3 << 20)), "a.csv")},
                                 content_type="multipart/form-data")
    assert response.status_code == 303 and response.headers["Location"] == BASE  # read, not a 413
    too_big = staff_client.post(BASE, data={"csrf_token": token, "file": (io.BytesIO(b"x" * (9 << 20)), "a.csv")},
                                content_type="multipart/form-data")
    assert too_big.status_code == 413


@pytest.mark.parametrize("role", ["learner", "member", "owner"])
def test_only_association_staff(app, db_session, role):
    client = make_client(app)
    sign_in(client, make_user(role))
    assert client.get(BASE).status_code == 403
    assert upload(client, csv_file([row()])).status_code == 403
    assert client.get(f"{BASE}/template.csv").status_code == 403
    assert client.get(f"{BASE}/{'a' * 43}").status_code == 403


def test_anonymous_is_sent_to_sign_in_and_unknown_tokens_are_404(app, staff_client):
    anonymous = make_client(app)
    response = anonymous.get(BASE)
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
    assert staff_client.get(f"{BASE}/{'a' * 43}").status_code == 404
    assert staff_client.post(f"{BASE}/{'a' * 43}").status_code == 404
    assert staff_client.get(f"{BASE}/short").status_code == 404
