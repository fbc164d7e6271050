"""Alembic environment for Flask-Migrate, with the search index tables kept out of autogenerate."""
import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

# Made by hand in migrations (FTS5 on SQLite, the pg_trgm index on PostgreSQL); autogenerate would
# otherwise offer to drop them.
HAND_MADE_TABLES = ("course_fts",)
HAND_MADE_INDEXES = ("ix_course_search_body_trgm",)


def include_name(name, type_, parent_names):
    if type_ == "table" and name and name.startswith(HAND_MADE_TABLES):
        return False
    if type_ == "index" and name in HAND_MADE_INDEXES:
        return False
    return True


def get_engine():
    return current_app.extensions["migrate"].db.engine


config.set_main_option(
    "sqlalchemy.url", get_engine().url.render_as_string(hide_password=False).replace("%", "%%")
)
target_metadata = current_app.extensions["migrate"].db.metadata


def run_migrations_offline():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    with get_engine().connect() as connection:
        context.configure(
            connection=connection, target_metadata=target_metadata, include_name=include_name, **conf_args
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
