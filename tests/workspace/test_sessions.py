"""Adding, editing and cancelling sessions: local times in a zone, venue or online, capacity, deadline."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.catalog.models import Course, CourseSession
from app.platform.extensions import db
from tests.factories import make_course, make_provider, make_session, make_user, sign_in
from tests.workspace.helpers import audit, counts, local, selected, session_data


def setup(client, **course_kw):
    org = make_provider(country="JP", city="Osaka")
    sign_in(client, make_user("member", organisation=org))
    return make_course(org, sessions=0, **course_kw)


def sessions_of(course) -> list[CourseSession]:
    db.session.expire_all()
    return list(db.session.scalars(
        sa.select(CourseSession).where(CourseSession.course_id == course.id).order_by(CourseSession.id)))


def test_form_defaults_from_the_organisation(client):
    course = setup(client)
    page = client.get(f"/en/provider/courses/{course.id}/sessions/new").get_data(as_text=True)
    assert selected(page, "Asia/Tokyo") and selected(page, "JP") and 'value="Osaka"' in page
    assert 'id="venue_city_en"' in page and 'id="venue_address_ja"' in page


def test_create_session_stores_utc_and_local_date(client):
    course = setup(client, delivery_mode="blended")
    start = local(40, 0) + timedelta(minutes=30)  # 00:30 in Tokyo is the previous day in UTC
    data = session_data(starts_local=start.strftime("%Y-%m-%dT%H:%M"),
                        ends_local=(start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
                        timezone="Asia/Tokyo", venue_city_en="Osaka", venue_city_ja="大阪", venue_country="JP",
                        venue_address_en="5-3-51 Nakanoshima", venue_address_ja="大阪市北区中之島5-3-51",
                        join_url="https://meet.example.com/abc", requires_approval="y",
                        enrolment_deadline=(start - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"))
    response = client.post(f"/en/provider/courses/{course.id}/sessions/new", data=data)
    assert response.status_code == 302
    [session] = sessions_of(course)
    assert session.starts_at == start.replace(tzinfo=ZoneInfo("Asia/Tokyo")).astimezone(UTC)
    assert session.starts_at.date() != session.starts_on == start.date()
    assert session.timezone == "Asia/Tokyo" and session.requires_approval and session.capacity == 20
    assert session.join_url == "https://meet.example.com/abc" and session.venue_city_ja == "大阪"
    assert (session.venue_city_en, session.venue_address_en, session.venue_address_ja) == (
        "Osaka", "5-3-51 Nakanoshima", "大阪市北区中之島5-3-51")
    assert audit("session.create")[-1].detail["course_id"] == course.id
    db.session.expire_all()
    assert db.session.get(Course, course.id).next_session_at == session.starts_at  # reindexed


def test_online_session_has_no_venue(client):
    course = setup(client, delivery_mode="online")
    data = session_data(online="y", venue_country="", venue_city_en="", venue_address_en="Somewhere 1")
    assert client.post(f"/en/provider/courses/{course.id}/sessions/new", data=data).status_code == 302
    [session] = sessions_of(course)
    assert session.online and session.venue_country is None and session.venue_address_en is None


def test_bad_sessions_are_refused(client):
    course = setup(client)
    start = local(30, 9)
    cases = [
        ({"ends_local": (start - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")}, "The end must be after the start"),
        ({"capacity": "-1"}, "Enter a capacity from 1 to 10,000"),
        ({"capacity": "10001"}, "Enter a capacity from 1 to 10,000"),
        ({"capacity": "many"}, "Not a valid integer value"),
        ({"enrolment_deadline": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")}, "before the start"),
        ({"timezone": "Mars/Olympus_Mons"}, "Choose a time zone from the list"),
        ({"venue_country": "", "venue_city_en": ""}, "or tick"),
        ({"venue_country": "XX"}, "Choose a country from the list"),
        ({"online": "y"}, "delivered in person"),
        ({"join_url": "https://meet.example.com/x"}, "only for online or blended"),
        ({"starts_local": "2020-01-01T10:00", "ends_local": "2020-01-01T12:00"}, "must start in the future"),
        ({"starts_local": "0001-01-01T00:00"}, "between the years 2000 and 2100"),
        ({"starts_local": "not a date"}, "Not a valid datetime value"),
        ({"venue_city_en": "x" * 121}, "longer than 120"),
        ({"venue_address_ja": "x" * 301}, "longer than 300"),
        ({"venue_city_ja": "Ber\x00lin"}, "cannot be used"),
    ]
    before = counts()
    for changes, message in cases:
        response = client.post(f"/en/provider/courses/{course.id}/sessions/new", data=session_data(**changes))
        assert response.status_code == 400, changes
        assert message in response.get_data(as_text=True), changes
    assert counts() == before


def test_join_link_must_be_https(client):
    course = setup(client, delivery_mode="online")
    for url in ("http://meet.example.com/", "javascript:alert(1)", "https://", "https://exa mple.com"):
        response = client.post(f"/en/provider/courses/{course.id}/sessions/new",
                               data=session_data(online="y", join_url=url))
        assert response.status_code == 400 and "https://" in response.get_data(as_text=True), url
    assert sessions_of(course) == []


def test_non_existent_local_time_is_refused(client):
    course = setup(client)
    # Clocks in Berlin jump from 02:00 to 03:00 on the last Sunday of March.
    year = datetime.now().year + 1
    day = max(d for d in range(25, 32) if datetime(year, 3, d).weekday() == 6)
    data = session_data(starts_local=f"{year}-03-{day:02d}T02:30", ends_local=f"{year}-03-{day:02d}T05:00",
                        timezone="Europe/Berlin")
    response = client.post(f"/en/provider/courses/{course.id}/sessions/new", data=data)
    assert response.status_code == 400 and "does not exist in Europe/Berlin" in response.get_data(as_text=True)
    assert sessions_of(course) == []


def test_edit_session_prefills_local_times_and_audits(client):
    course = setup(client)
    session = make_session(course, tz="Asia/Tokyo", capacity=10)
    page = client.get(f"/en/provider/sessions/{session.id}/edit").get_data(as_text=True)
    local_start = session.starts_at.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%Y-%m-%dT%H:%M")
    assert f'value="{local_start}"' in page and selected(page, "Asia/Tokyo")
    start = session.starts_at.astimezone(ZoneInfo("Asia/Tokyo")).replace(tzinfo=None)
    data = session_data(starts_local=start.strftime("%Y-%m-%dT%H:%M"),
                        ends_local=(start + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"),
                        timezone="Asia/Tokyo", capacity="30")
    assert client.post(f"/en/provider/sessions/{session.id}/edit", data=data).status_code == 302
    [saved] = sessions_of(course)
    assert saved.capacity == 30
    assert audit("session.update")[-1].detail["changed"]["capacity"] == [10, 30]


def test_capacity_cannot_go_below_seats_taken(client):
    course = setup(client)
    session = make_session(course, capacity=10, seats_taken=8)
    start = session.starts_at.astimezone(ZoneInfo("Europe/Berlin")).replace(tzinfo=None)
    data = session_data(starts_local=start.strftime("%Y-%m-%dT%H:%M"),
                        ends_local=(start + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"), capacity="5")
    response = client.post(f"/en/provider/sessions/{session.id}/edit", data=data)
    assert response.status_code == 400 and "8 seats are already taken" in response.get_data(as_text=True)


def test_cancel_session(client):
    course = setup(client)
    session = make_session(course)
    assert client.post(f"/en/provider/sessions/{session.id}/cancel").status_code == 302
    [saved] = sessions_of(course)
    assert saved.status == "cancelled"
    assert audit("session.cancel")[-1].object_id == str(session.id)
    db.session.expire_all()
    assert db.session.get(Course, course.id).next_session_at is None
    # cancelled: no more edits, a second cancel changes nothing
    assert client.post(f"/en/provider/sessions/{session.id}/edit", data=session_data()).status_code == 409
    client.post(f"/en/provider/sessions/{session.id}/cancel")
    assert len([e for e in audit("session.cancel") if e.object_id == str(session.id)]) == 1


def test_course_page_lists_past_sessions_apart(client):
    course = setup(client)
    make_session(course, days_ahead=20, city="Upcoming-city")
    make_session(course, days_ahead=-20, city="Past-city")
    page = client.get(f"/en/provider/courses/{course.id}").get_data(as_text=True)
    upcoming, _, past = page.partition("Past and cancelled sessions")
    assert "Upcoming-city" in upcoming and "Past-city" not in upcoming and "Past-city" in past


def test_a_session_that_has_taken_place_is_not_called_scheduled(client):
    from tests.factories import make_session_at
    org = make_provider()
    course = make_course(org, sessions=[])
    make_session_at(course, datetime.now(UTC) - timedelta(days=10), hours=3, tz="Asia/Tokyo")
    sign_in(client, make_user("member", organisation=org))
    page = client.get(f"/ja/provider/courses/{course.id}").get_data(as_text=True)
    past = page.split('id="past-title"', 1)[1]
    assert "開催予定" not in past and "終了" in past
