"""A provider names as participant only people it already knows: its own learners who consented to share
with providers, and its members. Any other address (an account or not) gets the same answer, so the form
cannot turn an address into a name or tell whether it has an account. Typing a name always works."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.accounts.models import Consent, ConsentKind
from app.enrolment.models import Enrolment, EnrolmentStatus
from app.exchanges.models import Exchange
from app.platform.extensions import db
from tests.exchanges.helpers import make_exchange
from tests.exchanges.test_routes import form, world  # noqa: F401  (the fixture)
from tests.factories import make_course, make_session, make_user, sign_in

NEW = "/en/provider/exchanges/new"


def learner_of(provider, *, consent: bool, status=EnrolmentStatus.COMPLETED, **kw):
    person = make_user(**kw)
    session = make_course(provider, sessions=[make_session(days_ahead=-20)]).sessions[0]
    db.session.add(Enrolment(session_id=session.id, learner_id=person.id, status=status))
    if consent:
        db.session.add(Consent(user_id=person.id, kind=ConsentKind.SHARE_WITH_PROVIDERS, version="v1"))
    db.session.flush()
    return person


def _post(client, w, email):
    return client.post(NEW, data=form(w, participant_email=email, participant_name_native=None,
                                      participant_name_latin=None))


def _linked() -> list:
    return list(db.session.scalars(sa.select(Exchange.participant_user_id)))


def test_a_stranger_and_a_missing_account_get_the_same_answer(client, world):  # noqa: F811
    stranger = make_user(email="stranger@example.com", family_name="Geheim", given_name="Greta")
    sign_in(client, world["member"])
    known, missing = _post(client, world, stranger.email), _post(client, world, "nobody@example.com")
    assert known.status_code == missing.status_code == 400
    assert "Geheim" not in known.text and _linked() == []
    message = "Nobody your organisation knows has this address"
    assert message in known.text and message in missing.text
    assert known.text.replace(stranger.email, "X").count("Nobody") == missing.text.count("Nobody")


def test_a_learner_without_consent_is_not_linked(client, world):  # noqa: F811
    person = learner_of(world["jp"], consent=False)
    sign_in(client, world["member"])
    assert _post(client, world, person.email).status_code == 400 and _linked() == []


def test_another_providers_learner_is_not_linked(client, world):  # noqa: F811
    person = learner_of(world["other"], consent=True)
    sign_in(client, world["member"])
    assert _post(client, world, person.email).status_code == 400 and _linked() == []


@pytest.mark.parametrize("who", ["consenting_learner", "member"])
def test_own_consenting_learners_and_members_are_linked(client, world, who):  # noqa: F811
    person = learner_of(world["jp"], consent=True) if who == "consenting_learner" else make_user(
        "member", organisation=world["jp"])
    sign_in(client, world["member"])
    assert _post(client, world, person.email.upper()).status_code == 302
    assert _linked() == [person.id]


def test_a_typed_name_needs_no_account(client, world):  # noqa: F811
    sign_in(client, world["member"])
    assert client.post(NEW, data=form(world)).status_code == 302 and _linked() == [None]


def test_staff_may_link_any_account(client, world):  # noqa: F811
    stranger = make_user(email="stranger@example.com")
    sign_in(client, world["staff"])
    response = client.post("/en/staff/exchanges/new", data=form(world, participant_email=stranger.email))
    assert response.status_code == 302 and _linked() == [stranger.id]


def test_editing_keeps_a_participant_already_on_the_record(client, world):  # noqa: F811
    person = learner_of(world["jp"], consent=True)
    exchange = make_exchange(world["jp"], world["de"], recorded_for=world["jp"], participant_user_id=person.id)
    db.session.execute(sa.delete(Consent).where(Consent.user_id == person.id))  # consent withdrawn since
    sign_in(client, world["member"])
    url = f"/en/provider/exchanges/{exchange.id}/edit"
    response = client.post(url, data=form(world, participant_email=person.email, outcome_notes="Changed."))
    assert response.status_code == 302
    assert db.session.get(Exchange, exchange.id).participant_user_id == person.id
