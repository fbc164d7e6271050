"""Fixtures of the exchange import's page tests: the two organisations the sample rows name, and staff."""
from __future__ import annotations

import pytest

from tests.factories import make_client, make_provider, make_user, sign_in


@pytest.fixture
def orgs(db_session):
    return (make_provider(country="JP", name_en="Kobe Battery KK", name_ja="神戸電池株式会社"),
            make_provider(kind="company", country="DE", name_en="Berlin Cell GmbH"))


@pytest.fixture
def staff_client(app, db_session):
    client = make_client(app)
    sign_in(client, make_user("staff"))
    return client
