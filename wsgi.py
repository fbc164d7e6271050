"""Entry point for gunicorn and the `flask` command (FLASK_APP=wsgi)."""
import os

from app import create_app

app = create_app(os.environ.get("APP_CONFIG", "config.LocalConfig"))
