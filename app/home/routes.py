"""The home page, and "/" which sends a visitor to it in their language."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for

from app.catalog import queries as catalog_queries
from app.catalog.pagecache import cached_page
from app.catalog.params import now_minute
from app.i18n import best_language
from app.reports.open_figures import open_figures

bp = Blueprint("home", __name__)


@bp.get("/")
def root():
    response = redirect(url_for("home.index", lang_code=best_language()), code=302)
    response.headers["Vary"] = "Cookie, Accept-Language"
    return response


@bp.get("/<lang:lang_code>/")
@cached_page
def index():
    now = now_minute()
    return render_template(
        "home/index.html",
        skill_areas=catalog_queries.list_skill_areas(),
        skill_counts=catalog_queries.skill_area_counts(),
        sessions=catalog_queries.upcoming_sessions(now, limit=6),
        figures=catalog_queries.headline_figures(now),
        open_figures=open_figures(now.year, now),
    )
