"""Hostile files in the bulk import (issue 13): each is refused as a whole, quickly, in bounded memory, with a
message in the reader's language, and nothing is kept."""
from __future__ import annotations

import functools
import time
import tracemalloc

import pytest
import sqlalchemy as sa

from app.exchanges import importing
from app.exchanges.models import ExchangeImport
from app.platform import tabular
from app.platform.extensions import db
from tests.exchanges import hostile
from tests.exchanges.test_import import CAP, check
from tests.exchanges.test_import_routes import upload
from tests.factories import make_client, make_user, sign_in

MiB = 1024 * 1024
SECONDS, PEAK = 5, 100 * MiB


@functools.cache
def built(name: str) -> bytes:
    return getattr(hostile, name)()


def measured(read):
    """(what read() raised, seconds, peak MiB of Python allocations): timed first on its own, as tracing
    allocations slows Python code two to three times, then read again under tracemalloc."""
    started = time.perf_counter()
    try:
        read()
    except Exception as error:  # noqa: BLE001 - returned for the test to look at
        raised = error
    else:
        raised = None
    seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        read()
    except Exception:  # noqa: BLE001, S110 - the same as above
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return raised, seconds, peak / MiB


HOSTILE = [
    ("dimension_lie", None),  # read: one cell, whatever the sheet claims
    ("huge_shared_string", "more than 32767 characters"),
    ("padded_sheet", "more data than an import takes"),
    ("empty_cells", "more cells than an import takes"),
    ("empty_rows", "too many rows"),
    ("many_shared_strings", "more distinct texts"),
    ("unknown_elements", "more complex than an import takes"),
    ("far_right_value", "beyond column 1000"),
]


@pytest.mark.parametrize(("name", "message"), HOSTILE)
def test_hostile_workbooks_are_read_or_refused_quickly_in_bounded_memory(name, message):
    data = built(name)
    assert len(data) < CAP
    raised, seconds, peak = measured(lambda: tabular.read_xlsx(data, max_rows=importing.MAX_ROWS + 1,
                                                               max_bytes=CAP, numbered=True))
    print(f"\n{name} ({len(data) / 1024:.0f} KB): {seconds:.2f} s, peak {peak:.1f} MiB")
    assert seconds < SECONDS and peak < PEAK / MiB
    if message is None:
        assert raised is None
    else:
        assert isinstance(raised, tabular.TabularError) and message in str(raised)


def test_the_dimension_lie_reads_as_the_one_cell_it_holds():
    assert tabular.read_xlsx(built("dimension_lie"), numbered=True) == [(1, ["x"])]


@pytest.mark.parametrize("name", [n for n, m in HOSTILE if m])
def test_the_import_refuses_them_as_a_whole_and_keeps_nothing(db_session, name):
    staff = make_user("staff")
    started = time.perf_counter()
    with pytest.raises(importing.ImportFileError):
        check(built(name), staff, "hostile.xlsx")
    assert time.perf_counter() - started < SECONDS
    assert db.session.execute(sa.select(sa.func.count()).select_from(ExchangeImport)).scalar_one() == 0


@pytest.mark.parametrize(("lang", "words"), [("en", "more than 32767 characters"), ("ja", "32767文字")])
def test_the_refusal_is_shown_on_the_import_page_in_the_readers_language(app, db_session, lang, words):
    client = make_client(app)
    sign_in(client, make_user("staff"))
    response = upload(client, built("huge_shared_string"), "big.xlsx", lang=lang)
    assert response.status_code == 303 and response.headers["Location"] == f"/{lang}/staff/exchanges/import"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert words in page
    assert db.session.execute(sa.select(sa.func.count()).select_from(ExchangeImport)).scalar_one() == 0



def test_a_row_of_four_million_columns_is_refused_as_a_whole(db_session):
    staff = make_user("staff")
    data = b"participant_type" + b",x" * 4_000_000 + b"\n"
    raised, seconds, peak = measured(lambda: check(data, staff))
    assert isinstance(raised, importing.ImportFileError) and seconds < SECONDS and peak < PEAK / MiB
