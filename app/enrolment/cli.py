"""`flask send-reminders`: mail confirmed learners a few days before their session (cron, idempotent)."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext


def init_app(app: Flask) -> None:
    @app.cli.command("send-reminders")
    @click.option("--days", default=3, show_default=True, type=click.IntRange(0, 30),
                  help="Remind learners whose session starts within this many days.")
    @with_appcontext
    def send_reminders(days: int):
        """Send each reminder once: safe to run from cron as often as wanted."""
        from app.enrolment.notify import send_reminders as send

        click.echo(f"{send(days_ahead=days)} reminders sent")
