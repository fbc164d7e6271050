"""Course views of the provider workspace: create, read, edit, submit for review, archive."""
from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.catalog import editing, queries, workspace_queries
from app.catalog.editing import TEXT_FIELDS, EditingError
from app.catalog.forms import INSTRUCTION_LANGUAGES, ActionForm, CourseForm
from app.catalog.manage import ID, apply_url, bp, chosen_organisation, load_course, now
from app.catalog.models import Course, SessionStatus
from app.catalog.permissions import can_archive_course, can_manage_sessions, can_submit_course, is_course_locked
from app.i18n import LANGUAGES
from app.i18n.countries import language_name
from app.i18n.filters import current_lang, field_text
from app.platform.database import utcnow
from app.platform.extensions import db
from app.pricing.queries import rate_for

TEXT_NAMES = tuple(f"{name}_{lang}" for name in TEXT_FIELDS for lang in LANGUAGES)
CANCELLATION_NAMES = ("cancellation_terms_en", "cancellation_terms_ja", "cancel_free_days", "cancel_fee_percent")


def course_form(course: Course | None = None) -> CourseForm:
    lang = current_lang()
    form = CourseForm(
        skill_choices=[(area.id, field_text(area, "name")) for area in queries.list_skill_areas()],
        language_names={code: language_name(code, lang) for code in INSTRUCTION_LANGUAGES},
    )
    if course is not None and request.method == "GET":
        fill_course_form(form, course)
    return form


def fill_course_form(form: CourseForm, course: Course) -> None:
    for name in TEXT_NAMES:
        form[name].data = getattr(course, name)
    for name in ("kind", "audience", "delivery_mode", "certification"):
        form[name].data = getattr(course, name).value
    form.eqf_level.data = str(course.eqf_level) if course.eqf_level else ""
    form.duration_hours.data = format(Decimal(course.duration_hours).normalize(), "f") if course.duration_hours else ""
    form.is_free.data = course.is_free
    if not course.is_free:
        form.currency.data = course.currency.value
        digits = 2 if course.currency.value == "EUR" else 0
        form.price.data = format(Decimal(course.price_amount).scaleb(-digits), "f")
    form.price_includes_tax.data = course.price_includes_tax
    form.validity_months.data = course.validity_months
    for name in CANCELLATION_NAMES:
        form[name].data = getattr(course, name)
    form.skill_areas.data = [area.id for area in course.skill_areas]
    form.languages.data = course.language_codes


def course_values(form: CourseForm, country: str) -> dict:
    """The form's values for editing; the tax rate is the provider country's in force today."""
    values = {name: form[name].data for name in TEXT_NAMES}
    priced = form.price_value is not None
    rate = rate_for(country, utcnow().date()) if priced else None
    certification = form.certification.data
    level = (form.eqf_level.data or "").strip()  # Optional() lets "  " through, past the choice check
    values.update(
        kind=form.kind.data, audience=form.audience.data, delivery_mode=form.delivery_mode.data,
        certification=certification, eqf_level=int(level) if level else None,
        duration_hours=form.hours_value, price_amount=form.price_value,
        currency=form.currency.data if priced else None,
        price_includes_tax=bool(form.price_includes_tax.data) if priced else True,
        tax_rate_id=rate.id if rate else None,
        validity_months=form.validity_months.data if certification != "none" else None,
        skill_area_ids=form.skill_areas.data or [], languages=form.languages.data or [],
        **{name: form[name].data for name in CANCELLATION_NAMES},
    )
    return values


def render_course_form(form: CourseForm, course: Course | None, org):
    done = {lang: editing.completeness(form.data, lang) for lang in LANGUAGES}
    page = render_template("workspace/course_form.html", form=form, course=course, org=org, done=done,
                           total=len(TEXT_FIELDS), tax_rate=rate_for(org.country, utcnow().date()))
    return page, 400 if request.method == "POST" else 200


@bp.route("/courses/new", methods=["GET", "POST"])
@login_required
def new_course():
    orgs = workspace_queries.member_organisations(current_user)
    if not orgs:
        return render_template("workspace/not_member.html", apply_url=apply_url()), 403
    org = chosen_organisation(orgs)
    form = course_form()
    if request.method == "GET":
        form.currency.data = "JPY" if org.country == "JP" else "EUR"
    if form.validate_on_submit():
        course = editing.create_course(org.id, course_values(form, org.country))
        db.session.commit()
        flash(_("The course is saved as a draft. Add its sessions, then submit it for review."), "success")
        return redirect(url_for("workspace.course", course_id=course.id))
    return render_course_form(form, None, org)


@bp.get(f"/courses/<{ID}:course_id>")
@login_required
def course(course_id: int):
    course = load_course(course_id)
    moment = now()
    upcoming = [s for s in course.sessions if s.starts_at >= moment and s.status == SessionStatus.SCHEDULED]
    past = [s for s in reversed(course.sessions) if s not in upcoming]
    return render_template(
        "workspace/course.html", course=course, upcoming=upcoming, past=past, action_form=ActionForm(),
        done={lang: editing.completeness(course, lang) for lang in LANGUAGES}, total=len(TEXT_FIELDS),
        can_submit=can_submit_course(current_user, course), ready=editing.can_be_submitted(course),
        can_archive=can_archive_course(current_user, course),
        can_sessions=can_manage_sessions(current_user, course), locked=is_course_locked(course),
    )


@bp.route(f"/courses/<{ID}:course_id>/edit", methods=["GET", "POST"])
@login_required
def edit_course(course_id: int):
    course = load_course(course_id)
    if is_course_locked(course):
        return render_template("workspace/locked.html", course=course), 200 if request.method == "GET" else 409
    form = course_form(course)
    if form.validate_on_submit():
        changed = editing.update_course(course, course_values(form, course.provider.country))
        db.session.commit()
        flash(_("Your changes are saved.") if changed else _("Nothing was changed."), "success")
        return redirect(url_for("workspace.course", course_id=course.id))
    return render_course_form(form, course, course.provider)


def _course_action(course_id: int, action, done_message) -> object:
    course = load_course(course_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        action(course)
    except EditingError as error:
        flash(str(error.message), "error")
        return redirect(url_for("workspace.course", course_id=course.id))
    db.session.commit()
    flash(done_message(), "success")
    return redirect(url_for("workspace.course", course_id=course.id))


@bp.post(f"/courses/<{ID}:course_id>/submit")
@login_required
def submit_course(course_id: int):
    return _course_action(course_id, editing.submit_course,
                          lambda: _("Submitted for review. The association staff will approve it or send it back."))


@bp.post(f"/courses/<{ID}:course_id>/archive")
@login_required
def archive_course(course_id: int):
    return _course_action(course_id, editing.archive_course,
                          lambda: _("The course is archived and no longer listed in the catalogue."))
