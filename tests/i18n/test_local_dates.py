"""Import previews and report stamps in the locale's date format and the reader's time zone, never ISO and UTC."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from app.i18n.stamps import format_stamp
from tests.exchanges.conftest import orgs, staff_client  # noqa: F401  (fixtures)
from tests.exchanges.test_import import csv_file, row
from tests.exchanges.test_import_routes import upload

ISO_DAY = re.compile(r"\b20\d\d-\d\d-\d\d\b")


def shown(html: str) -> str:
    """The page's main text, tags (and the ISO dates of links and form values) left out."""
    return re.sub(r"<[^>]*>", " ", html.split("<main", 1)[1])


def test_stamp_is_in_the_zone_given_and_names_it():
    at = datetime(2026, 12, 7, 12, 17, tzinfo=UTC)
    assert format_stamp(at, "ja", "Asia/Tokyo") == "2026年12月7日 21:17(日本標準時)"
    assert format_stamp(at, "en", "Europe/Brussels") == "7 Dec 2026, 13:17 (Central European Standard Time)"


@pytest.mark.parametrize("lang, dates", [("ja", "2026年4月1日～30日"), ("en", "1–30 Apr 2026")])
def test_import_preview_dates_in_the_locale(staff_client, orgs, lang, dates):
    preview = upload(staff_client, csv_file([row()]), lang=lang).headers["Location"]
    page = staff_client.get(preview).get_data(as_text=True)
    assert dates in page
    assert not ISO_DAY.search(shown(page))


@pytest.mark.parametrize("path", ["/ja/staff/reports", "/ja/staff/reports/annual?year=2026"])
def test_report_stamps_in_the_readers_zone(staff_client, path):
    page = staff_client.get(path).get_data(as_text=True)  # the staff member's profile says Europe/Berlin
    assert re.search(r"20\d\d年\d+月\d+日 \d+:\d\d\(中央ヨーロッパ標準時\)時点の数値です", page)
    assert "UTC" not in shown(page) and not ISO_DAY.search(shown(page))
