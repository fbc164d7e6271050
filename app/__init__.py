"""The application factory: a list of steps, each saying why it is there."""
from __future__ import annotations

from importlib import import_module

from flask import Flask

from config import INSTANCE


def _load_config(dotted: str | object) -> object:
    if not isinstance(dotted, str):
        return dotted
    module, _, name = dotted.rpartition(".")
    return getattr(import_module(module), name)()


def create_app(config: str | object = "config.LocalConfig") -> Flask:
    app = Flask(__name__, instance_path=str(INSTANCE))
    # Settings first: every later step reads them.
    app.config.from_object(_load_config(config))
    # Absolute links (hreflang, examples, mail) start with the site's address: SITE_URL or the request's.
    from app.platform.siteurl import site_url

    app.jinja_env.globals["site_url"] = site_url
    # The client's address from X-Forwarded-For only through the configured number of trusted proxies.
    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)
    # Database, migrations, CSRF and translations, bound to this app.
    _init_extensions(app)
    # The /<lang>/ prefix, locale selection and the template formatting filters.
    from app import i18n

    i18n.init_app(app)
    # price(course): every price with its tax, the one helper templates use.
    from app.pricing import display as pricing_display

    pricing_display.init_app(app)
    # Signed-in sessions checked against their server-side record on every request.
    from app.accounts import menu, names, sessions

    sessions.init_app(app)
    menu.init_app(app)
    names.register_filters(app)  # person_name: a person's name as they chose to show it
    # One blueprint per feature.
    _register_blueprints(app)
    # Error pages in the reader's language (JSON under /api).
    from app import errors

    errors.init_app(app)
    # Security headers on every response.
    from app import security

    security.init_app(app)
    # flask seed-demo, flask translate ...
    from app import cli

    cli.init_app(app)
    # The modules that plug into the parts below them (imported for their registrations):
    # - each feature's part of a person's data export and of erasing a deleted account;
    # - providers' part of the account pages (owners' second factor, memberships on the overview);
    # - seats and mail that follow what a provider does to a session (the catalogue's signals).
    from app.certifications import privacy as _certificates  # noqa: F401
    from app.enrolment import export as _enrolments  # noqa: F401
    from app.enrolment import privacy as _enrolments_erased  # noqa: F401
    from app.enrolment import session_hooks as _session_hooks  # noqa: F401
    from app.providers import account_hooks as _providers  # noqa: F401
    return app


def _init_extensions(app: Flask) -> None:
    from sqlalchemy.orm import configure_mappers

    from app import models  # noqa: F401  (every table known before Alembic or queries run)

    configure_mappers()  # relationships one part adds to another's model (User.memberships) exist from the start
    from app.i18n import select_locale
    from app.platform.extensions import babel, csrf, db

    db.init_app(app)
    from app.platform import database

    database.STRICT_SQLITE_WRITES = bool(app.config.get("SQLITE_STRICT_WRITES"))
    if app.config["MIGRATIONS"]:
        from flask_migrate import Migrate

        Migrate(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    from app.platform import mail

    mail.init_app(app)  # the in-memory outbox of tests


def _register_blueprints(app: Flask) -> None:
    from app.accounts.routes import bp as accounts_bp
    from app.catalog.directory import bp as providers_bp
    from app.catalog.routes import bp as catalog_bp
    from app.health import bp as health_bp
    from app.home.routes import bp as home_bp
    from app.legal.routes import bp as legal_bp
    from app.staff.accounts import bp as admin_bp

    for bp in (home_bp, catalog_bp, providers_bp, health_bp, accounts_bp, legal_bp, admin_bp):
        app.register_blueprint(bp)
    # Personal API tokens in the account pages (and their part of the data export and of deletion).
    from app.api.token_pages import bp as api_tokens_bp

    app.register_blueprint(api_tokens_bp)
    # Provider onboarding and members, the staff moderation queue, the audit log.
    from app.providers.manage import bp as onboarding_bp
    from app.staff.audit_log import bp as audit_bp
    from app.staff.routes import bp as staff_bp

    for bp in (onboarding_bp, staff_bp, audit_bp):
        app.register_blueprint(bp)
    # The provider workspace: an organisation's courses and sessions.
    from app.catalog.manage import bp as workspace_bp

    app.register_blueprint(workspace_bp)
    # Learners: enrolling from a course page, and their dashboard (/<lang>/me/).
    from app.enrolment.dashboard import bp as me_bp
    from app.enrolment.routes import bp as enrolment_bp

    for bp in (enrolment_bp, me_bp):
        app.register_blueprint(bp)
    # Session rosters in the provider workspace: requests, exports, completion.
    from app.enrolment.roster import bp as roster_bp

    app.register_blueprint(roster_bp)
    # Certificates: the holder's own (/<lang>/me/certificates) and the public verification page.
    from app.certifications.mine import bp as certs_bp
    from app.certifications.verify import bp as verify_bp

    for bp in (certs_bp, verify_bp):
        app.register_blueprint(bp)
    # Certificates: issuing in the provider workspace, what expires soon for association staff.
    from app.certifications.issuing import bp as issuing_bp

    app.register_blueprint(issuing_bp)
    # Open Badges: the issuer profile, the public keys, signed credentials and their status (JSON).
    from app.certifications.badges import bp as badges_bp

    app.register_blueprint(badges_bp)
    # Reports for association staff: figures, charts, CSV/XLSX tables and the printable annual report.
    from app.reports.routes import bp as reports_bp

    app.register_blueprint(reports_bp)
    # Talent exchanges: records for staff and providers, and the organisations that are not providers.
    from app.exchanges.routes import bp as exchanges_bp

    app.register_blueprint(exchanges_bp)
    # Talent exchanges: bulk import from CSV/XLSX (preview kept in the database, all-or-nothing confirm).
    from app.exchanges.import_routes import bp as exchange_import_bp

    app.register_blueprint(exchange_import_bp)
    # The public JSON API (/api/v1): catalogue, providers, certificate verification, OpenAPI document.
    from app.api.routes import bp as api_bp

    app.register_blueprint(api_bp)
    # Its documentation for people (/<lang>/developers/api), rendered from the same OpenAPI document.
    from app.api.docs import bp as api_docs_bp

    app.register_blueprint(api_docs_bp)
    # The API reads no cookie (app/api/auth.py): a token in the Authorization header is what authorises.
    from app.platform.extensions import csrf

    csrf.exempt(api_bp)
    # Rate limits for the API and the credential endpoints alike, per token or per client address.
    from app.api import limits

    limits.init_app(app)
    # Open data: iCalendar feeds of upcoming sessions, the catalogue as JSON and CSV.
    from app.opendata.routes import bp as opendata_bp

    app.register_blueprint(opendata_bp)
