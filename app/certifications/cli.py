"""`flask keys create|rotate|list`: the keys that sign Open Badges credentials.

Changing SECRET_KEY makes the stored private keys unusable (they are encrypted with a key derived from it):
run `flask keys rotate` right after the change. Old credentials keep verifying through the published public
keys; new ones are signed with the new key. The same command re-encrypts the second-factor secrets, which
needs the previous key in SECRET_KEY_FALLBACKS (until then those accounts cannot pass their second factor).
"""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext


def init_app(app: Flask) -> None:
    @app.cli.group()
    def keys():
        """Signing keys of the Open Badges credentials (kept in the database)."""

    @keys.command()
    @with_appcontext
    def create():
        """Create the signing key unless there is one (idempotent)."""
        from app.certifications import signing

        key = signing.ensure_key()
        click.echo(f"current key {key.kid} ({key.algorithm}, created {key.created_at:%Y-%m-%d %H:%M} UTC)")

    @keys.command()
    @with_appcontext
    def rotate():
        """Retire the current key and sign with a new one from now on (old keys stay published); re-encrypt
        the second-factor secrets with the current SECRET_KEY (the previous one in SECRET_KEY_FALLBACKS)."""
        from app.accounts.totp import reseal_secrets
        from app.certifications import signing
        from app.platform.extensions import db

        key = signing.rotate()
        click.echo(f"new current key {key.kid} ({key.algorithm}); earlier keys retired, still published")
        done, unreadable = reseal_secrets()
        db.session.commit()
        click.echo(f"{done} second-factor secret{'s' if done != 1 else ''} re-encrypted with the current SECRET_KEY")
        if unreadable:
            click.echo(f"{unreadable} second-factor secret{'s' if unreadable != 1 else ''} could not be read: set "
                       "SECRET_KEY_FALLBACKS to the previous SECRET_KEY and run `flask keys rotate` again")

    @keys.command(name="list")
    @with_appcontext
    def list_():
        """Every key, oldest first, and whether this SECRET_KEY can sign with it."""
        from app.certifications import signing

        current = None
        keys_ = signing.all_keys()
        for key in keys_:
            if key.retired_at is None and current is None:
                current = key.kid
        if not keys_:
            click.echo("no signing key yet (one is made on first use, or by `flask keys create`)")
        for key in keys_:
            try:
                signing.private_key(key)
                usable = "usable"
            except signing.KeyUnusable:
                usable = "NOT decryptable with this SECRET_KEY"
            state = "current" if key.kid == current else (
                f"retired {key.retired_at:%Y-%m-%d %H:%M}" if key.retired_at else "not retired")
            click.echo(f"{key.kid}  {key.algorithm}  created {key.created_at:%Y-%m-%d %H:%M}  {state}  {usable}")
