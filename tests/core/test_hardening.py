"""At rest and on the wire: instance/ and its files private to the site's user; production sends HSTS and
refuses a SECRET_KEY that is long but not random."""
from __future__ import annotations

import secrets
import stat

import pytest

import config
from config import LocalConfig, ProductionConfig, secret_key_problem


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def instance(tmp_path, monkeypatch):
    folder = tmp_path / "instance"
    monkeypatch.setattr(config, "INSTANCE", folder)
    monkeypatch.setattr(LocalConfig, "SECRET_KEY", config.DEFAULT_SECRET_KEY)
    monkeypatch.setattr(LocalConfig, "SQLALCHEMY_DATABASE_URI", f"sqlite:///{folder / 'btb.sqlite'}")
    monkeypatch.setattr(LocalConfig, "MAIL_OUTBOX", str(folder / "outbox"))
    return folder


def test_local_instance_files_are_private(instance):
    settings = LocalConfig()
    assert _mode(instance) == 0o700
    assert _mode(instance / "secret_key") == 0o600 and len(settings.SECRET_KEY) >= 48
    assert _mode(instance / "btb.sqlite") == 0o600  # made before SQLite would make it world-readable
    assert _mode(instance / "outbox") == 0o700


def test_existing_loose_files_are_tightened(instance):
    instance.mkdir(mode=0o755)
    instance.chmod(0o755)
    for name in ("secret_key", "btb.sqlite", "btb.sqlite-wal"):
        (instance / name).write_text("k" * 50 if name == "secret_key" else "")
        (instance / name).chmod(0o644)
    (instance / "outbox").mkdir(mode=0o755)
    (instance / "outbox").chmod(0o755)
    assert LocalConfig().SECRET_KEY == "k" * 50
    assert _mode(instance) == 0o700 and _mode(instance / "outbox") == 0o700
    assert all(_mode(instance / n) == 0o600 for n in ("secret_key", "btb.sqlite", "btb.sqlite-wal"))


def test_production_sends_hsts(client, app, monkeypatch):
    assert "Strict-Transport-Security" not in client.get("/en/").headers  # not on plain-HTTP test/local sites
    monkeypatch.setenv("SITE_URL", "https://talent.example.eu")
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", secrets.token_urlsafe(48))
    seconds = ProductionConfig().HSTS_SECONDS
    assert seconds >= 180 * 24 * 3600
    monkeypatch.setitem(app.config, "HSTS_SECONDS", seconds)
    for path in ("/en/", "/healthz", "/api/v1/courses"):
        header = client.get(path).headers["Strict-Transport-Security"]
        assert header == f"max-age={seconds}; includeSubDomains"


@pytest.mark.parametrize("key", [
    "a" * 64,
    "abc" * 20,
    "0123456789abcdef" * 4,
    "correct horse battery staple and more words",
    "ThisIsMySuperSecretProductionKeyForTheSite",
    "my-production-secret-key-for-battery-talent",
    "Battery-Talent-Bridge-Prod-Key-2026-12-07",
    "Tr0ub4dor&3Tr0ub4dor&3Tr0ub4dor&3Tr0ub4dor",
])
def test_production_refuses_a_long_key_that_is_not_random(monkeypatch, key):
    monkeypatch.setenv("SITE_URL", "https://talent.example.eu")
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", key)
    assert secret_key_problem(key) is not None
    with pytest.raises(RuntimeError, match="SECRET_KEY .*random"):
        ProductionConfig()


@pytest.mark.parametrize("make", [lambda: secrets.token_urlsafe(24), lambda: secrets.token_urlsafe(48),
                                  lambda: secrets.token_hex(16), lambda: secrets.token_hex(32)])
def test_random_keys_pass(make):
    assert all(secret_key_problem(make()) is None for _ in range(100))
