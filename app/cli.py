"""Commands: `flask seed-demo`, `flask translate extract|update|compile`."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "translations" / "messages.pot"


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


def init_app(app: Flask) -> None:
    from app.accounts import cli as accounts_cli  # flask create-user

    accounts_cli.init_app(app)
    from app.enrolment import cli as enrolment_cli  # flask send-reminders

    enrolment_cli.init_app(app)
    from app.certifications import cli as certifications_cli  # flask keys create|rotate|list

    certifications_cli.init_app(app)
    from app.certifications import reminders as certificate_reminders  # flask send-renewal-reminders

    certificate_reminders.init_app(app)

    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Only when the database holds no organisation yet.")
    @with_appcontext
    def seed_demo(if_empty: bool):
        """Load the bilingual demo catalogue (idempotent: a second run adds nothing)."""
        from app.demo.seed import database_is_empty, seed

        if if_empty and not database_is_empty():
            click.echo("The database already holds data; demo data not loaded.")
            return
        counts = seed()
        click.echo(", ".join(f"{name}: {n} added" for name, n in counts.items()))

    @app.cli.command("demo-totp")
    @click.argument("email")
    @with_appcontext
    def demo_totp(email: str):
        """Print the current second-factor code of a demo account (only demo accounts have a known secret)."""
        import pyotp

        from app.accounts.services import find_by_email
        from app.demo.accounts import DEMO_TOTP_SECRET

        user = find_by_email(email)
        if user is None or user.totp_secret != DEMO_TOTP_SECRET:
            raise click.ClickException("Not a demo account with a second factor.")
        click.echo(pyotp.TOTP(DEMO_TOTP_SECRET).now())

    @app.cli.command("purge-unconfirmed")
    @with_appcontext
    def purge_unconfirmed():
        """Delete registrations whose activation link has expired unused (cron, daily; idempotent)."""
        from flask import current_app

        from app.accounts.services import purge_unconfirmed as purge
        from app.platform.extensions import db

        removed = purge(current_app.config["ACTIVATION_LINK_SECONDS"])
        db.session.commit()
        click.echo(f"{removed} unconfirmed registrations deleted")

    @app.cli.command("refresh-catalogue")
    @with_appcontext
    def refresh_catalogue():
        """Bring each course's next-session date up to date (cron, every few minutes; idempotent)."""
        from app.catalog.services import refresh_next_sessions
        from app.platform.extensions import db

        changed = refresh_next_sessions()
        db.session.commit()
        click.echo(f"{changed} courses updated")

    @app.cli.group()
    def translate():
        """Translation workflow (wraps pybabel)."""

    @translate.command()
    def extract():
        """Collect every marked string into translations/messages.pot."""
        # --ignore-dirs replaces pybabel's default, which skips every "_"-prefixed folder
        # (so templates/_macros/ would never be extracted).
        _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--sort-by-file", "--no-wrap",
                 "--ignore-dirs", ".* __pycache__ node_modules",
                 "--project", "battery-talent-bridge", "-o", str(POT), ".")

    @translate.command()
    def update():
        """Extract, then merge new strings into translations/ja/LC_MESSAGES/messages.po."""
        extract.callback()
        _pybabel("update", "-i", str(POT), "-d", "translations", "--no-wrap", "--ignore-obsolete")

    @translate.command(name="compile")
    def compile_():
        """Compile the .po catalogues into the .mo files the app reads."""
        _pybabel("compile", "-d", "translations", "--statistics")
