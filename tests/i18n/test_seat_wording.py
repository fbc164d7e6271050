"""Seats read naturally in both languages: what is left out of the capacity, not 「0席申込済み」."""
from __future__ import annotations

import pytest

from app.enrolment import services
from tests.factories import make_client, make_course, make_provider, make_session, make_user, sign_in


@pytest.fixture
def seen(app, db_session):
    org = make_provider()
    member = make_user("member", organisation=org)
    course = make_course(org, sessions=[make_session(capacity=12)])
    session = course.sessions[0]
    services.enrol(make_user(), session)
    client = make_client(app)
    sign_in(client, member)
    return lambda path: client.get(path).get_data(as_text=True), course, session


@pytest.mark.parametrize("lang, wording", [("en", "11 of 12 seats left"), ("ja", "残り11席(定員12席)")])
def test_workspace_and_roster_say_the_seats_left(seen, lang, wording):
    get, course, session = seen
    for path in (f"/{lang}/provider/courses/{course.id}", f"/{lang}/provider/sessions/{session.id}/roster"):
        page = get(path)
        assert wording in page, path
        assert "申込済み(定員" not in page and "seats taken" not in page
