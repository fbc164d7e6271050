"""Extension objects, created unbound so that no module needs to import the app factory.

Flask-Migrate is not here: it pulls in Alembic (about 16 MiB per process), which only the `flask`
command and the tests need, so create_app binds it on demand (see MIGRATIONS in config.py).
"""
from flask_babel import Babel
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from app.platform.database import Base

db = SQLAlchemy(model_class=Base)
csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()
