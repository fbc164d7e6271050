"""The shared page cache: stored pages are served again until the catalogue changes."""
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from app.catalog.models import Course
from app.catalog.services import bump_catalogue_version
from app.platform import cache
from app.platform.cache import CacheEntry
from app.platform.extensions import db
from tests.factories import make_course


@contextmanager
def _in_the_test_transaction():
    """In the app, cache writes take a transaction of their own; a test has only its one transaction,
    so write through the request's session and commit it (a SAVEPOINT release here)."""
    yield db.session.connection()
    db.session.commit()


@pytest.fixture(params=["database", "redis"])
def page_cache(request, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 60)
    if request.param == "redis":
        if not app.config.get("REDIS_URL"):
            pytest.skip("REDIS_URL is not set (CI sets it for the PostgreSQL run)")
        app.extensions.pop("btb_redis", None)
        import redis

        redis.Redis.from_url(app.config["REDIS_URL"]).flushdb()  # a database of the test run's own
    else:
        monkeypatch.setitem(app.config, "REDIS_URL", None)
        monkeypatch.delitem(app.extensions, "btb_redis", raising=False)
        monkeypatch.setattr(cache, "_writer", _in_the_test_transaction)
    bump_catalogue_version()  # no page stored by an earlier test can match
    db.session.flush()
    return request.param


def test_a_page_is_served_from_the_cache_until_the_catalogue_changes(client, page_cache):
    course = make_course(title_en="Electrode coating basics")
    first = client.get(f"/en/courses/{course.id}")
    assert first.status_code == 200 and b"Electrode coating basics" in first.data
    if page_cache == "database":
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CacheEntry)) >= 1

    # Changed behind the services' back: the stored page is still served.
    db.session.execute(sa.update(Course).where(Course.id == course.id).values(title_en="Renamed course"))
    db.session.flush()
    assert b"Electrode coating basics" in client.get(f"/en/courses/{course.id}").data

    bump_catalogue_version()  # what every catalogue write does
    db.session.flush()
    assert b"Renamed course" in client.get(f"/en/courses/{course.id}").data


def test_etag_answers_304(client, page_cache):
    course = make_course()
    first = client.get(f"/ja/courses/{course.id}")
    assert first.headers["ETag"]
    again = client.get(f"/ja/courses/{course.id}", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""


def test_each_language_and_query_is_its_own_page(client, page_cache):
    make_course(title_en="Cell formation", title_ja="化成工程")
    en = client.get("/en/courses?q=formation").get_data(as_text=True)
    ja = client.get("/ja/courses?q=formation").get_data(as_text=True)
    assert 'lang="en"' in en and 'lang="ja"' in ja
    assert "1 course or event" in en
    assert "1 course or event" not in client.get("/en/courses?q=nothing-like-this").get_data(as_text=True)


def test_signed_in_readers_bypass_the_cache(client, page_cache):
    course = make_course(title_en="Original title")
    client.get(f"/en/courses/{course.id}")
    db.session.execute(sa.update(Course).where(Course.id == course.id).values(title_en="Fresh title"))
    db.session.flush()
    client.set_cookie("session", "anything")
    assert b"Fresh title" in client.get(f"/en/courses/{course.id}").data


def test_errors_are_not_cached(client, page_cache):
    assert client.get("/en/courses/999999").status_code == 404
    course_count = db.session.scalar(sa.select(sa.func.count()).select_from(CacheEntry))
    assert client.get("/en/courses/999999").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CacheEntry)) == course_count
