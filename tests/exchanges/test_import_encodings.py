"""CSV files in the encodings people's spreadsheets save (issue 13, point 3): detected rather than assumed, shown
in the preview, and when the guess is uncertain the person reads the stored file again in another encoding,
without JavaScript and before anything is saved."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.exchanges import importing
from app.exchanges.models import ExchangeImport
from app.platform import tabular
from app.platform.extensions import db
from app.platform.tabular import detect_encoding
from tests.exchanges.test_import import FIXTURES, check, count_exchanges, csv_file, row
from tests.exchanges.test_import_routes import BASE, upload
from tests.factories import make_user

EUROPEAN = dict(participant_name_native="Renée Müller", participant_name_latin="Renée Müller",
                sending_organisation="Berlin Cell GmbH", sending_country="DE",
                receiving_organisation="Kobe Battery KK", receiving_country="JP")



def european_csv(encoding: str = "cp1252") -> bytes:
    return csv_file([row(**EUROPEAN), row(**EUROPEAN, start="2026-05-01", end="2026-05-30")]).decode().encode(encoding)


@pytest.mark.parametrize(("data", "expected"), [
    ("Renée;Köln\n".encode("cp1252"), ("cp1252", True)),
    (european_csv(), ("cp1252", True)),
    ((FIXTURES / "sample_shift_jis.csv").read_bytes(), ("cp932", True)),
    ("氏名,国\n山田 太郎,JP\n".encode("cp932"), ("cp932", True)),
    ((FIXTURES / "sample_utf16.csv").read_bytes(), ("utf-16", True)),
    ("氏名,Renée\n".encode("utf-16"), ("utf-16", True)),
    ((FIXTURES / "sample_utf8_bom.csv").read_bytes(), ("utf-8", True)),
    ("氏名,Renée\n".encode(), ("utf-8", True)),
    ("山田\n".encode("cp932"), ("cp932", False)),  # four bytes Windows-1252 reads too: a guess
])
def test_the_encoding_is_detected(data, expected):
    assert detect_encoding(data) == expected


def test_a_windows_1252_file_imports_its_accents(orgs, db_session):
    imported = check(european_csv(), make_user("staff"))
    assert imported.errors == [] and imported.rows[0]["participant_name_latin"] == "Renée Müller"
    assert (imported.encoding, imported.encoding_guessed) == ("cp1252", False)
    assert tabular.read_csv(european_csv())[1][1] == "Renée Müller"


def test_an_encoding_that_cannot_read_the_file_is_a_clear_refusal():
    with pytest.raises(tabular.TabularError, match="could not be read as UTF-8"):
        tabular.read_csv(european_csv(), encoding="utf-8")
    with pytest.raises(tabular.TabularError, match="This is not a CSV file"):
        tabular.read_csv(b"a,b\n\x00\n")  # a NUL without a UTF-16 byte-order mark


def test_the_preview_names_the_encoding_and_offers_the_others(orgs, staff_client):
    response = upload(staff_client, european_csv())
    page = staff_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Characters read as: Windows-1252 (Western European Excel)." in page and "Renée Müller" in page
    assert '<select' in page and 'name="encoding"' in page and '<option selected value="cp1252">' in page
    for code in ("utf-8", "utf-16", "cp932"):
        assert f'value="{code}"' in page
    assert "could not be told for certain" not in page
    japanese = staff_client.get(response.headers["Location"].replace("/en/", "/ja/")).get_data(as_text=True)
    assert "Windows-1252(欧州版Excel)" in japanese and "ファイルを読み直す" in japanese


def test_choosing_another_encoding_reads_the_stored_file_again_and_saves_nothing(orgs, staff_client):
    # One Japanese name in a Shift_JIS file: Windows-1252 reads it too ("ŽR“c ‘¾˜Y"), and ranks first.
    first_url = upload(staff_client, csv_file([row()]).decode().encode("cp932")).headers["Location"]
    token = first_url.rsplit("/", 1)[1]
    imported = db.session.execute(sa.select(ExchangeImport).where(ExchangeImport.token == token)).scalar_one()
    assert (imported.encoding, imported.encoding_guessed) == ("cp1252", True) and imported.upload is not None
    page = staff_client.get(first_url).get_data(as_text=True)
    assert "could not be told for certain" in page and "山田 太郎" not in page
    # Read as Shift_JIS instead: a new preview of the same bytes; the first stays as it was.
    response = staff_client.post(f"{BASE}/{token}/encoding", data={"encoding": "cp932"})
    second_url = response.headers["Location"]
    assert response.status_code == 303 and second_url != first_url
    page = staff_client.get(second_url).get_data(as_text=True)
    assert "Characters read as: Shift_JIS (Japanese Excel)." in page and "山田 太郎" in page
    assert "could not be told for certain" not in page
    assert count_exchanges() == 0
    # An encoding that cannot read the file, or one not offered, comes back with a message.
    staff_client.post(f"{BASE}/{token}/encoding", data={"encoding": "utf-8"})
    assert "could not be read as UTF-8" in staff_client.get(first_url).get_data(as_text=True)
    staff_client.post(f"{BASE}/{token}/encoding", data={"encoding": "latin-9"})
    assert "Choose one of the encodings offered" in staff_client.get(first_url).get_data(as_text=True)
    # Confirming drops the stored file; a confirmed import is not read again.
    assert staff_client.post(second_url).status_code == 303 and count_exchanges() == 1
    second = second_url.rsplit("/", 1)[1]
    db.session.expire_all()
    assert db.session.execute(sa.select(ExchangeImport.upload).where(ExchangeImport.token == second)).scalar_one() \
        is None
    staff_client.post(f"{BASE}/{second}/encoding", data={"encoding": "cp1252"})
    assert "can no longer be read again" in staff_client.get(second_url).get_data(as_text=True)


def test_xlsx_previews_have_no_encoding(orgs, staff_client):
    response = upload(staff_client, (FIXTURES / "sample.xlsx").read_bytes(), "s.xlsx")
    page = staff_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Characters read as" not in page and 'name="encoding"' not in page
    assert importing.ENCODINGS
