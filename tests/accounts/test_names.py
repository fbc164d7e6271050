"""A person's name as they chose to show it: order, script, fallbacks."""
from __future__ import annotations

import pytest
from flask import render_template_string

from app.accounts.models import AccountStatus, NameOrder, User
from app.accounts.names import display_name


def person(**kw) -> User:
    values = dict(email="someone@example.com", name_order=NameOrder.GIVEN_FIRST, status=AccountStatus.ACTIVE)
    values.update(kw)
    return User(**values)


YAMADA = dict(family_name="山田", given_name="太郎", family_name_latin="Yamada", given_name_latin="Taro",
              name_order=NameOrder.FAMILY_FIRST)


def test_japanese_name_family_first_without_space_in_japanese():
    assert display_name(person(**YAMADA), "ja") == "山田太郎"


def test_latin_name_in_english_keeps_the_chosen_order():
    assert display_name(person(**YAMADA), "en") == "Yamada Taro"
    given_first = dict(YAMADA, name_order=NameOrder.GIVEN_FIRST)
    assert display_name(person(**given_first), "en") == "Taro Yamada"
    assert display_name(person(**given_first), "ja") == "太郎山田"


def test_european_name_given_first_with_space():
    anna = person(family_name="Müller", given_name="Anna")
    assert display_name(anna, "en") == "Anna Müller"
    assert display_name(anna, "ja") == "Anna Müller"  # no native-script name beyond this one


def test_japanese_ui_falls_back_to_latin_and_english_to_native():
    latin_only = person(family_name_latin="Suzuki", given_name_latin="Hanako", name_order=NameOrder.FAMILY_FIRST)
    assert display_name(latin_only, "ja") == "Suzuki Hanako"
    native_only = person(family_name="鈴木", given_name="花子", name_order=NameOrder.FAMILY_FIRST)
    assert display_name(native_only, "en") == "鈴木花子"


def test_kana_names_and_mixed_scripts():
    assert display_name(person(family_name="さとう", given_name="ケン", name_order="family_first"), "ja") == "さとうケン"
    assert display_name(person(family_name="佐藤", given_name="Ken", name_order="family_first"), "ja") == "佐藤 Ken"


def test_one_part_only():
    assert display_name(person(given_name="  Madonna "), "en") == "Madonna"
    assert display_name(person(family_name="田中"), "ja") == "田中"


def test_falls_back_to_the_email_local_part():
    assert display_name(person(email="j.smith@example.org"), "en") == "j.smith"
    assert display_name(person(email="j.smith@example.org", family_name="  ", given_name=""), "ja") == "j.smith"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_never_empty(app, lang):
    with app.app_context():
        assert display_name(person(email=None), lang)
        assert display_name(person(email=None, status=AccountStatus.DELETED), lang)


def test_person_name_filter_follows_the_page_language(client, app):
    with app.test_request_context("/ja/"):
        from app.i18n import use_language

        use_language("ja")
        assert render_template_string("{{ u|person_name }}", u=person(**YAMADA)) == "山田太郎"
        use_language("en")
        assert render_template_string("{{ u|person_name }}", u=person(**YAMADA)) == "Yamada Taro"
        assert render_template_string("{{ u|person_name('ja') }}", u=person(**YAMADA)) == "山田太郎"
        assert render_template_string("{{ none|person_name }}", none=None) == ""
