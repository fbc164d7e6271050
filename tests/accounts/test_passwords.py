"""The password policy (length, common passwords, own address and names) and hashing."""
from __future__ import annotations

import unicodedata

import pytest

from app.accounts import passwords
from app.accounts.passwords import (
    check_password_policy,
    common_passwords,
    dummy_verify,
    hash_password,
    needs_rehash,
    verify_password,
)


@pytest.fixture(autouse=True)
def _context(app):
    with app.test_request_context("/en/"):
        yield


def test_eleven_characters_refused_twelve_accepted():
    assert check_password_policy("k7#Lm2pQx9wZ"[:11])
    assert check_password_policy("k7#Lm2pQx9wZ") == []


def test_length_counts_code_points_after_nfc():
    composed = "é" * 6 + "ü" * 6  # 12 characters
    decomposed = unicodedata.normalize("NFD", composed)  # 24 code points before NFC
    assert len(decomposed) == 24
    assert check_password_policy(decomposed) == []
    assert check_password_policy(unicodedata.normalize("NFD", "é" * 11))


def test_spaces_emoji_and_japanese_accepted():
    assert check_password_policy("correct battery 🔋 anode") == []
    assert check_password_policy("リチウムイオン電池の正極材") == []
    assert check_password_policy("           x") == []  # spaces count like any other character


def test_too_long_refused():
    assert check_password_policy("x" * 1023 + "y") == []
    assert check_password_policy("xy" * 513)


def test_common_password_refused_case_insensitively():
    assert "password1234" in common_passwords()
    assert check_password_policy("password1234")
    assert check_password_policy("PassWord1234")
    assert check_password_policy("QWERTYUIOPASDFGH")
    assert check_password_policy("ＰＡＳＳＷＯＲＤ１２３４")  # full-width is the same password


def test_common_list_is_small_and_only_long_entries():
    entries = common_passwords()
    assert 200 < len(entries) < 5000
    assert all(len(e) >= 12 for e in entries)
    assert common_passwords() is entries  # loaded once


def test_one_repeated_character_refused():
    assert check_password_policy("aaaaaaaaaaaa")
    assert check_password_policy("AAAAAAaaaaaa")
    assert check_password_policy("🔋" * 12)


def test_email_address_or_its_local_part_refused():
    assert check_password_policy("hanako.suzuki@example.jp!", email="hanako.suzuki@example.jp")
    assert check_password_policy("my-HANAKO.SUZUKI-2026", email="hanako.suzuki@example.jp")
    assert check_password_policy("a long unrelated sentence", email="hanako.suzuki@example.jp") == []


def test_own_names_refused():
    names = ("Alexandria", "Papadopoulou")
    assert check_password_policy("AlexandriaPapadopoulou", names=names)
    assert check_password_policy("papadopoulou alexandria", names=names)
    assert check_password_policy("Alexandria loves batteries", names=names) == []


def test_nul_refused():
    messages = check_password_policy("good long passphrase\x00")
    assert messages and "NUL" in messages[0]


def test_hash_and_verify_roundtrip(app):
    hashed = hash_password("correct battery 🔋 anode")
    assert hashed.startswith("pbkdf2:sha256:1$")  # the test config's cheap method
    assert verify_password(hashed, "correct battery 🔋 anode")
    assert not verify_password(hashed, "correct battery 🔋 anodE")
    assert not needs_rehash(hashed)


def test_verify_normalises_unicode():
    hashed = hash_password("パスワードは長いほうがよい")
    assert verify_password(hashed, unicodedata.normalize("NFD", "パスワードは長いほうがよい"))


def test_missing_or_broken_hash_is_a_mismatch(monkeypatch):
    calls = []
    monkeypatch.setattr(passwords, "dummy_verify", lambda: calls.append(1))
    assert not verify_password(None, "anything at all")
    assert not verify_password("nonsense$hash", "anything at all")
    assert not verify_password(hash_password("a fine passphrase"), "x" * 10_000)
    assert len(calls) == 3


def test_dummy_verify_uses_the_configured_method(app, monkeypatch):
    dummy_verify()
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", "pbkdf2:sha256:2")
    dummy_verify()
    assert passwords._dummy_hash("pbkdf2:sha256:2").startswith("pbkdf2:sha256:2$")


def test_needs_rehash_after_method_change(app, monkeypatch):
    hashed = hash_password("a fine passphrase")
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", "scrypt")
    assert needs_rehash(hashed)

