"""The person's profile, consent to share, password change and sessions page."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.accounts.models import Consent, ConsentKind, UserSession
from app.accounts.profile_forms import is_kana, is_latin_name, to_katakana
from app.legal import CONSENT_VERSION
from app.platform.extensions import db
from tests.factories import PASSWORD, make_client, make_provider, make_user, sign_in

NEW_PASSWORD = "a brand new passphrase for tests"


def _profile(**overrides):
    data = dict(family_name="山田", given_name="太郎", family_name_kana="やまだ", given_name_kana="タロウ",
                family_name_latin="Yamada", given_name_latin="Taro", name_order="family_first",
                preferred_language="en", country="JP", timezone="", employer="Battery Works")
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def user(client):
    person = make_user(family_name="Müller", given_name="Anna", country="DE", timezone=None)
    sign_in(client, person)
    return person


def test_profile_saves_every_field(client, user):
    response = client.post("/en/account/profile", data=_profile())
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.family_name, user.given_name) == ("山田", "太郎")
    assert (user.family_name_kana, user.given_name_kana) == ("ヤマダ", "タロウ")  # hiragana made katakana
    assert (user.family_name_latin, user.given_name_latin) == ("Yamada", "Taro")
    assert user.name_order == "family_first"
    assert user.country == "JP" and user.timezone == "Asia/Tokyo"  # from the country when left empty
    assert user.employer == "Battery Works"
    page = client.get("/en/account/profile").get_data(as_text=True)
    assert '<strong lang="en">Yamada Taro</strong>' in page and '<strong lang="ja">山田太郎</strong>' in page


def test_profile_page_shows_in_japanese(client, user):
    response = client.get("/ja/account/profile")
    assert response.status_code == 200
    assert 'lang="ja"' in response.get_data(as_text=True)


def test_time_zone_chosen_is_kept_and_empty_country_clears(client, user):
    client.post("/en/account/profile", data=_profile(country="", timezone="Europe/Paris"))
    db.session.refresh(user)
    assert user.country is None and user.timezone == "Europe/Paris"
    client.post("/en/account/profile", data=_profile(country="", timezone=""))
    db.session.refresh(user)
    assert user.timezone is None


def test_switching_language_goes_to_the_page_in_it(client, user):
    response = client.post("/en/account/profile", data=_profile(preferred_language="ja"))
    assert response.headers["Location"] == "/ja/account/profile"


@pytest.mark.parametrize("field,value", [
    ("family_name_kana", "Yamada"), ("family_name_kana", "山田"), ("given_name_kana", "タロウ1"),
    ("family_name_latin", "山田"), ("family_name_latin", "Ямада"), ("given_name_latin", "Taro2"),
    ("given_name_latin", "Taro😀"), ("family_name", "a" * 101), ("employer", "x" * 201),
    ("family_name", "Null\x00byte"), ("given_name", "tab\there"), ("employer", "line\nbreak"),
    ("country", "XX"), ("country", "EU"), ("timezone", "Mars/Olympus"), ("name_order", "sideways"),
    ("preferred_language", "fr"), ("family_name_kana", "ア" * 101),
])
def test_bad_input_is_refused_and_nothing_saved(client, user, field, value):
    response = client.post("/en/account/profile", data=_profile(**{field: value}))
    assert response.status_code == 400
    assert 'class="error"' in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.family_name == "Müller" and user.employer is None


def test_emoji_and_mixed_scripts_are_allowed_in_native_names(client, user):
    response = client.post("/en/account/profile", data=_profile(family_name="山田🔋", given_name="Taro太郎"))
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.family_name == "山田🔋"


def test_latin_accepts_accents_hyphens_apostrophes_and_full_width(client, user):
    response = client.post("/en/account/profile", data=_profile(
        family_name_latin="O’Brien-Núñez", given_name_latin="Ｊｏｓé d'Arc"))
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.family_name_latin == "O’Brien-Núñez" and user.given_name_latin == "José d'Arc"


def test_kana_helpers():
    assert to_katakana("やまだ　たろう") == "ヤマダ タロウ"
    assert to_katakana("ﾔﾏﾀﾞ") == "ヤマダ"
    assert is_kana("ヤマダ・ジョーンズ") and not is_kana("Yamada")
    assert is_latin_name("Zoë Ångström") and not is_latin_name("Ζωή")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=120))
def test_any_text_in_any_field_never_breaks_the_page(client, user, text):
    for field in ("family_name", "given_name_kana", "family_name_latin", "employer", "timezone", "country"):
        response = client.post("/en/account/profile", data=_profile(**{field: text}))
        assert response.status_code in (302, 400)


def _share_consents(user):
    return list(db.session.execute(sa.select(Consent).where(
        Consent.user_id == user.id, Consent.kind == ConsentKind.SHARE_WITH_PROVIDERS).order_by(Consent.id)
    ).scalars())


def test_consent_given_and_withdrawn_keeps_the_record(client, user):
    client.post("/en/account/profile", data=_profile(share_with_providers="y"))
    (consent,) = _share_consents(user)
    assert consent.version == CONSENT_VERSION and consent.given_at and consent.withdrawn_at is None
    page = client.get("/en/account/profile").get_data(as_text=True)
    assert f"You agreed to version {CONSENT_VERSION} on" in page
    assert re.search(r'<input[^>]*checked[^>]*name="share_with_providers"', page)

    client.post("/en/account/profile", data=_profile(share_with_providers="y"))  # unchanged: no new row
    assert len(_share_consents(user)) == 1
    client.post("/en/account/profile", data=_profile())  # box unticked
    (consent,) = _share_consents(user)
    db.session.refresh(consent)
    assert consent.withdrawn_at is not None
    client.post("/en/account/profile", data=_profile(share_with_providers="y"))
    assert [c.withdrawn_at is None for c in _share_consents(user)] == [False, True]


def test_consent_date_is_in_the_readers_locale(client, user):
    client.post("/en/account/profile", data=_profile(share_with_providers="y"))
    page = client.get("/ja/account/profile").get_data(as_text=True)
    assert "年" in page and "月" in page


# --- password ----------------------------------------------------------------------------------

def _change(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None, **kw):
    return client.post("/en/account/password", data={
        "current_password": current, "password": new, "confirm": confirm or new}, **kw)


def test_password_change_keeps_this_browser_and_ends_the_others(client, user, app, outbox):
    outbox.clear()
    other = make_client(app)
    sign_in(other, user)
    response = _change(client)
    assert response.status_code == 302
    assert client.get("/en/account/").status_code == 200
    assert other.get("/en/account/").status_code == 302
    assert [m["To"] for m in outbox] == [user.email]
    assert "http://localhost/en/account/forgot-password" in outbox[0].get_body(("plain",)).get_content()
    fresh = make_client(app)
    assert fresh.post("/en/account/sign-in", data={"email": user.email, "password": NEW_PASSWORD}).status_code == 302


@pytest.mark.parametrize("new,confirm,message", [
    ("short", None, "at least 12"),
    ("password1234", None, "commonly used"),
    (NEW_PASSWORD, "something else entirely", "not the same"),
    ("Müller Anna", None, "at least 12"),
    ("anna müller", None, "at least 12"),
    ("MüllerAnnaMüller", None, None),
])
def test_password_policy(client, user, new, confirm, message):
    response = _change(client, new=new, confirm=confirm)
    if message is None:
        assert response.status_code == 302
        return
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert client.post("/en/account/sign-out").status_code == 302


def test_password_may_not_be_the_email(client):
    person = make_user(email="long.address@example.com")
    sign_in(client, person)
    response = _change(client, new="long.address@example.com")
    assert response.status_code == 400 and "email address" in response.get_data(as_text=True)


def test_wrong_current_password_is_counted_and_throttled(client, user):
    for _ in range(5):
        response = _change(client, current="not my password at all")
        assert response.status_code in (400, 429)
        assert "current password" in response.get_data(as_text=True) or response.status_code == 429
    response = _change(client)  # now even the right one waits
    assert response.status_code == 429
    db.session.refresh(user)
    from app.accounts.passwords import verify_password

    assert verify_password(user.password_hash, PASSWORD)


# --- sessions ----------------------------------------------------------------------------------

def test_sessions_page_lists_live_sign_ins_and_marks_this_one(client, user, app):
    other = make_client(app)
    sign_in(other, user)
    db.session.execute(sa.update(UserSession).where(UserSession.user_id == user.id).values(
        user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0"))
    ended = make_user()
    sign_in(make_client(app), ended)
    page = client.get("/en/account/sessions").get_data(as_text=True)
    assert page.count("Firefox on Windows") == 2
    assert page.count("This browser") == 1
    response = client.post("/en/account/sessions/end-others")
    assert response.status_code == 302
    assert other.get("/en/account/").status_code == 302
    assert client.get("/en/account/").status_code == 200


def test_sessions_page_queries_do_not_grow(client, user, app, count_queries):
    client.get("/en/account/sessions")
    with count_queries() as few:
        client.get("/en/account/sessions")
    for _ in range(10):
        sign_in(make_client(app), user)
    with count_queries() as many:
        assert client.get("/en/account/sessions").status_code == 200
    assert many.count == few.count


def test_overview_lists_roles_and_organisations(client, app, count_queries):
    org = make_provider(name_en="Cell Academy")
    owner = make_user("owner", organisation=org)
    sign_in(client, owner)
    page = client.get("/en/account/").get_data(as_text=True)
    assert "Owner of Cell Academy" in page and owner.email in page
    for href in ("/en/account/profile", "/en/account/password", "/en/account/sessions", "/en/account/export",
                 "/en/account/delete", "/en/account/sign-out-everywhere", "/en/account/two-factor/manage"):
        assert href in page
    from app.providers.models import Membership

    with count_queries() as few:
        client.get("/en/account/")
    for _ in range(4):
        db.session.add(Membership(organisation_id=make_provider().id, user_id=owner.id, role="staff"))
    db.session.flush()
    with count_queries() as many:
        page = client.get("/en/account/").get_data(as_text=True)
    assert page.count("Staff of") == 4
    assert many.count == few.count


@pytest.mark.parametrize("path", ["/en/account/profile", "/en/account/password", "/en/account/sessions",
                                  "/en/account/export", "/en/account/delete"])
def test_anonymous_is_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
