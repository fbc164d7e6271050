"""Bulk import of exchange records by association staff, at /<lang>/staff/exchanges/import.

Upload a CSV or XLSX file (up to EXCHANGE_IMPORT_MAX_BYTES, 10,000 rows) → a preview kept in the database
under a random token, listing every bad row with its reasons → Confirm saves every row in one transaction,
or nothing when any row is bad. Any association staff member (staff or admin) may open and confirm a
preview, not only the one who uploaded it: a colleague can check the file before it goes in. The audit entry
"exchange.import" names who confirmed (actor) and who uploaded (detail.uploaded_by).

Answers to the upload script (static/js/upload-progress.js, header X-Requested-With: XMLHttpRequest) are
JSON {"location": url} where a plain form gets a 303, so the page it then opens still shows the flash.
"""
from __future__ import annotations

import unicodedata

from flask import Blueprint, Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField

from app.accounts.access import staff_required
from app.exchanges import import_template, importing, queries
from app.exchanges.models import ExchangeImport
from app.i18n.filters import current_lang
from app.platform.extensions import db
from app.platform.lookup import found
from app.platform.tabular import CSV_MIMETYPE, ENCODINGS, XLSX_MIMETYPE, content_disposition

bp = Blueprint("exchange_import", __name__, url_prefix="/<lang:lang_code>/staff/exchanges/import")
TOKEN = "<token>"  # any string: a wrong one is a 404 from the lookup (after the CSRF check)
FORM_OVERHEAD = 64 * 1024  # the multipart envelope and the CSRF token around the file
PREVIEW_ROWS = 100
MiB = 1024 * 1024


class ImportForm(FlaskForm):
    file = FileField(_l("File (CSV or XLSX)"), validators=[
        FileRequired(_l("Choose a file to import.")),
        FileAllowed(["csv", "xlsx"], _l("Upload a .csv or .xlsx file."))])


class ConfirmForm(FlaskForm):
    pass


class EncodingForm(FlaskForm):
    encoding = SelectField(_l("Read the file as"), choices=list(ENCODINGS.items()))


def _cap() -> int:
    return current_app.config["EXCHANGE_IMPORT_MAX_BYTES"]


@bp.url_value_preprocessor
def _upload_limit(endpoint, _values):
    # Runs before every before_request (CSRF reads the form there): only this route takes the larger body.
    if endpoint == "exchange_import.upload":
        request.max_content_length = _cap() + FORM_OVERHEAD


@bp.errorhandler(413)
def too_large(_error):
    return render_template("exchange_import/too_large.html", mb=_cap() // MiB), 413


def _go(url: str):
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return jsonify(location=url)
    return redirect(url, 303)


@bp.get("")
@staff_required
def index():
    return render_template("exchange_import/index.html", form=ImportForm(), mb=_cap() // MiB,
                           max_bytes=_cap(), max_rows=importing.MAX_ROWS, values=import_template.allowed_values())


@bp.post("")
@staff_required
def upload():
    form = ImportForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.file.errors) or _("Choose a file to import."), "error")
        return _go(url_for(".index"))
    data = form.file.data.stream.read(_cap() + 1)
    if len(data) > _cap():
        abort(413)
    try:
        imported = importing.preview(_clean_name(form.file.data.filename), data, user=current_user,
                                     max_bytes=_cap())
    except importing.ImportFileError as error:
        flash(str(error.message), "error")
        return _go(url_for(".index"))
    db.session.commit()
    return _go(url_for(".preview", token=imported.token))


@bp.get("/template.<any(csv, xlsx):fmt>")
@staff_required
def template(fmt: str):
    body = import_template.template_csv() if fmt == "csv" else import_template.template_xlsx()
    response = Response(body, mimetype=CSV_MIMETYPE if fmt == "csv" else XLSX_MIMETYPE)
    response.headers["Content-Disposition"] = content_disposition(f"exchange-import-template.{fmt}")
    return response


def _load(token: str) -> ExchangeImport:
    return found(queries.get_import(token))


@bp.get(f"/{TOKEN}")
@staff_required
def preview(token: str):
    imported = _load(token)
    lang = current_lang()
    errors = [(e["line"], [importing.describe(r, lang) for r in e["reasons"]]) for e in imported.errors]
    shown = imported.rows[:PREVIEW_ROWS] if not imported.error_count else []
    org_ids = {r[k] for r in shown for k in ("sending_org_id", "receiving_org_id")}
    orgs = queries.organisations_by_id(org_ids)
    return render_template("exchange_import/preview.html", imported=imported, errors=errors, shown=shown,
                           orgs=orgs, form=ConfirmForm(), labels=import_template,
                           encoding_form=EncodingForm(encoding=imported.encoding), encodings=ENCODINGS)


@bp.post(f"/{TOKEN}")
@staff_required
def confirm(token: str):
    imported = _load(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if imported.error_count:
        flash(_("Nothing was saved: correct the rows listed in your file and upload it again."), "error")
        return redirect(url_for(".preview", token=token), 303)
    try:
        count = importing.confirm(imported, current_user)
    except importing.AlreadyConfirmed:
        db.session.rollback()
        flash(_("This import was already confirmed: its rows were saved once and nothing was added."), "error")
        return redirect(url_for(".preview", token=token), 303)
    except importing.StaleImport as stale:
        db.session.rollback()
        flash(_("Nothing was saved: since the preview, the exchanges on lines %(lines)s were recorded. Remove them "
                "from the file and upload it again.", lines=", ".join(map(str, stale.lines[:20]))), "error")
        return redirect(url_for(".preview", token=token), 303)
    db.session.commit()
    flash(ngettext("%(num)s exchange imported.", "%(num)s exchanges imported.", count), "success")
    return redirect(url_for(".preview", token=token), 303)


@bp.post(f"/{TOKEN}/encoding")
@staff_required
def encoding(token: str):
    """Read the stored CSV upload again in the encoding chosen: a new preview; nothing is saved."""
    imported = _load(token)
    form = EncodingForm()
    if not form.validate_on_submit():
        flash(_("Choose one of the encodings offered."), "error")
        return redirect(url_for(".preview", token=token), 303)
    try:
        again = importing.reread(imported, form.encoding.data, user=current_user, max_bytes=_cap())
    except importing.ImportFileError as error:
        flash(str(error.message), "error")
        return redirect(url_for(".preview", token=token), 303)
    db.session.commit()
    return redirect(url_for(".preview", token=again.token), 303)


def _clean_name(name: str | None) -> str:
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:255] or "upload"
