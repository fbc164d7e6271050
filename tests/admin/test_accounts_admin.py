"""Accounts and roles for admins: who may open it, search without N+1, roles, disabling, audit."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.accounts.models import AccountStatus, User, UserSession
from app.audit.models import AuditEntry
from app.platform.extensions import db
from app.providers.models import Membership
from tests.factories import make_client, make_provider, make_user, sign_in

INDEX = "/en/staff/accounts"


def _person(user) -> str:
    return f"{INDEX}/{user.id}"


def _reload(user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def _actions(action: str) -> list[AuditEntry]:
    return list(db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == action)).scalars())


@pytest.fixture
def admin(client):
    user = make_user("admin", totp=True)
    sign_in(client, user)
    return user


@pytest.mark.parametrize("method,path", [
    ("get", INDEX), ("get", INDEX + "/{id}"), ("post", INDEX + "/{id}/role"), ("post", INDEX + "/{id}/status"),
])
@pytest.mark.parametrize("role,expected", [(None, 302), ("learner", 403), ("staff", 403), ("owner", 403),
                                           ("admin", None)])
def test_who_may_open_it(client, method, path, role, expected):
    target = make_user("learner")
    if role:
        sign_in(client, make_user(role))
    data = {"role": "staff", "grant": "1"} if path.endswith("role") else {"action": "disable"}
    response = getattr(client, method)(path.format(id=target.id), **({"data": data} if method == "post" else {}))
    if expected is None:  # an admin: the page, or the action and a redirect back to the person
        assert response.status_code == (200 if method == "get" else 302)
    else:
        assert response.status_code == expected
        if expected == 302:
            assert "/en/account/sign-in" in response.headers["Location"]
        assert _reload(target).is_staff is False and _reload(target).status == AccountStatus.ACTIVE


def test_menu_entry_only_for_admins(client):
    sign_in(client, make_user("staff"))
    assert INDEX not in client.get("/en/").text
    other = make_client(client.application)
    sign_in(other, make_user("admin"))
    assert f'href="{INDEX}"' in other.get("/en/").text


def test_search_by_email_and_names(client, admin):
    make_user(email="hanako.sato@example.com", family_name="佐藤", given_name="花子",
              family_name_latin="Sato", given_name_latin="Hanako")
    make_user(email="someone.else@example.com", family_name="Other", given_name="Person")
    for q, found in [("hanako", True), ("HANAKO.SATO", True), ("佐藤", True), ("ｓａｔｏ", True),
                     ("sato hanako", True), ("nobody", False), ("100%", False), ("_", False)]:
        page = client.get(INDEX, query_string={"q": q})
        assert page.status_code == 200, q
        assert ("hanako.sato@example.com" in page.text) is found, q
    assert "someone.else@example.com" not in client.get(INDEX, query_string={"q": "hanako"}).text


def test_role_filter_and_pagination(client, admin):
    staff = make_user("staff", email="the.staff@example.com")
    assert "the.staff@example.com" in client.get(INDEX, query_string={"role": "staff"}).text
    assert "the.staff@example.com" not in client.get(INDEX, query_string={"role": "admin"}).text
    assert client.get(INDEX, query_string={"role": "nonsense"}).status_code == 200
    assert client.get(INDEX, query_string={"page": "999"}).status_code == 404
    assert client.get(INDEX, query_string={"page": "abc"}).status_code == 404
    for _ in range(30):
        make_user()
    first = client.get(INDEX)
    assert 'rel="next"' in first.text
    assert client.get(INDEX, query_string={"page": "2"}).status_code == 200
    assert staff.id


def _people_with_memberships(n: int) -> None:
    provider = make_provider()
    for i in range(n):
        user = make_user(email=f"member{i:03d}.{n}@example.com")
        db.session.add(Membership(organisation_id=provider.id, user_id=user.id, role="staff"))
    db.session.flush()


def test_list_query_count_does_not_grow(client, admin, count_queries):
    _people_with_memberships(5)
    client.get(INDEX)  # warm up (last-seen update, caches)
    with count_queries() as few:
        assert client.get(INDEX).status_code == 200
    _people_with_memberships(45)
    with count_queries() as many:
        page = client.get(INDEX)
    assert page.status_code == 200 and page.text.count("Provider staff") > 20
    assert few.count == many.count, (few.statements, many.statements)


def test_person_page_shows_roles_and_memberships_and_is_audited(client, admin):
    provider = make_provider(name_en="Kyoto Cells Academy")
    person = make_user("owner", organisation=provider, email="owner.person@example.com")
    page = client.get(_person(person))
    assert page.status_code == 200
    assert "owner.person@example.com" in page.text and "Kyoto Cells Academy" in page.text and "Owner" in page.text
    entry = _actions("person.view")[-1]
    assert entry.actor_id == admin.id and entry.object_type == "user" and entry.object_id == str(person.id)
    assert client.get(f"{INDEX}/999999999").status_code == 404
    assert client.get(f"{INDEX}/99999999999").status_code == 404


def test_grant_and_withdraw_staff(client, admin):
    person = make_user("learner")
    response = client.post(_person(person) + "/role", data={"role": "staff", "grant": "1"})
    assert response.status_code == 302 and response.headers["Location"].endswith(_person(person))
    assert _reload(person).is_staff is True
    assert _actions("account.staff_granted")[-1].actor_id == admin.id
    client.post(_person(person) + "/role", data={"role": "staff", "grant": "0"})
    assert _reload(person).is_staff is False
    assert _actions("account.staff_withdrawn")[-1].object_id == str(person.id)
    client.post(_person(person) + "/role", data={"role": "admin", "grant": "1"})
    assert _reload(person).is_admin is True


def test_bad_form_values_change_nothing(client, admin):
    person = make_user("learner")
    for data in ({"role": "owner", "grant": "1"}, {"role": "staff", "grant": "yes"}, {}):
        response = client.post(_person(person) + "/role", data=data)
        assert response.status_code == 302
    assert client.post(_person(person) + "/status", data={"action": "delete"}).status_code == 302
    fresh = _reload(person)
    assert not fresh.is_staff and not fresh.is_admin and fresh.status == AccountStatus.ACTIVE
    assert "could not be read" in client.get(_person(person)).text


def test_admin_cannot_withdraw_own_admin_or_disable_self(client, admin):
    client.post(_person(admin) + "/role", data={"role": "admin", "grant": "0"})
    assert _reload(admin).is_admin is True
    assert "cannot withdraw your own admin role" in client.get(_person(admin)).text
    client.post(_person(admin) + "/status", data={"action": "disable"})
    assert _reload(admin).status == AccountStatus.ACTIVE
    assert client.get(INDEX).status_code == 200  # still signed in
    assert not _actions("account.admin_withdrawn") and not _actions("account.disabled")


def test_disabling_signs_the_person_out_everywhere(client, admin):
    person = make_user("learner")
    browser = make_client(client.application)
    phone = make_client(client.application)
    sign_in(browser, person)
    sign_in(phone, person)
    assert browser.get("/en/account/").status_code == 200

    response = client.post(_person(person) + "/status", data={"action": "disable"})
    assert response.status_code == 302
    assert _reload(person).status == AccountStatus.DISABLED
    for c in (browser, phone):
        gone = c.get("/en/account/")
        assert gone.status_code == 302 and "/en/account/sign-in" in gone.headers["Location"]
    live = db.session.execute(sa.select(sa.func.count()).select_from(UserSession).where(
        UserSession.user_id == person.id, UserSession.ended_at.is_(None))).scalar_one()
    assert live == 0
    assert _actions("account.disabled")[-1].detail == {"sessions_ended": 2}

    client.post(_person(person) + "/status", data={"action": "enable"})
    assert _reload(person).status == AccountStatus.ACTIVE
    assert browser.get("/en/account/").status_code == 302  # the old sessions stay ended
    assert _actions("account.enabled")


def test_pages_render_in_japanese(client, admin):
    person = make_user(family_name="山田", given_name="太郎")
    assert client.get("/ja/staff/accounts").status_code == 200
    page = client.get(f"/ja/staff/accounts/{person.id}")
    assert page.status_code == 200 and '<html lang="ja">' in page.text
