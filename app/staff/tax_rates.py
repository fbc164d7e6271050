"""Tax rates in the staff workspace: the list (newest first per country) and a form to add one."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.accounts.access import staff_required
from app.i18n.countries import country_choices, country_name
from app.i18n.filters import current_lang
from app.platform.database import utcnow
from app.platform.extensions import db
from app.pricing import queries
from app.pricing.forms import TaxRateForm
from app.pricing.services import TaxRateError, add_tax_rate
from app.staff.routes import bp


@bp.route("/tax-rates", methods=["GET", "POST"])
@staff_required
def tax_rates():
    form = TaxRateForm(country_choices=country_choices(current_lang()))
    if form.validate_on_submit():
        try:
            add_tax_rate(form.country.data, form.rate_value, form.valid_from.data)
        except TaxRateError as error:
            form.valid_from.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The tax rate is added. Courses take it when their price is next saved."), "success")
            return redirect(url_for("staff.tax_rates"))
    lang = current_lang()
    # Countries in the reader's alphabetical order, each country's newest rate first.
    rates = sorted(db.session.scalars(queries.list_rates()).all(),
                   key=lambda rate: (country_name(rate.country, lang), -rate.valid_from.toordinal()))
    page = render_template("staff/tax_rates.html", form=form, rates=rates, today=utcnow().date())
    return page, 400 if request.method == "POST" else 200
