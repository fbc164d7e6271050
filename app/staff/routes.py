"""The staff workspace at /<lang>/staff/: the index, the review queues and the provider applications.

Course review views are in app/staff/courses.py, on the same blueprint.
"""
from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts import menu
from app.accounts.access import staff_required
from app.accounts.permissions import is_staff
from app.audit.services import record
from app.i18n.filters import field_text
from app.platform.confirmation import confirm_page
from app.platform.decisions import ask_reason, decide
from app.platform.extensions import db
from app.platform.lookup import found
from app.platform.mail import external_url, send_mail
from app.platform.pagination import page_number, paginate_rows
from app.providers import services as provider_services
from app.providers.forms import DecisionForm
from app.providers.services import ProviderError
from app.staff import queries

bp = Blueprint("staff", __name__, url_prefix="/<lang:lang_code>/staff")
PAGE_SIZE = 20
ID = "<int(max=2147483647):{}>"

menu.register("staff.index", _l("Staff workspace"), is_staff)


@bp.get("/")
@staff_required
def index():
    return render_template("staff/index.html", counts=queries.queue_counts())


QUEUES = {  # endpoint: its template, and the statement listing what waits there
    "applications": ("staff/applications.html", queries.list_open_applications),
    "courses": ("staff/courses.html", queries.list_pending_courses),
}


@bp.get("/applications", endpoint="applications", defaults={"queue": "applications"})
@bp.get("/courses", endpoint="courses", defaults={"queue": "courses"})
@staff_required
def queue(queue: str):
    """A review queue: one page of what waits, the longest-waiting first."""
    template, listing = QUEUES[queue]
    page = paginate_rows(listing(), page_number(request.args.get("page")), PAGE_SIZE)
    return render_template(template, page=page)


@bp.get(f"/applications/{ID.format('application_id')}")
@staff_required
def application(application_id: int):
    application = found(queries.get_application(application_id))
    if application.applicant_id is not None:  # a staff view of a person's data
        record("person.view", "user", application.applicant_id,
               detail={"via": "provider_application", "id": application.id})
        db.session.commit()
    return render_template("staff/application.html", application=application, form=DecisionForm())


def _reject_page(application, form: DecisionForm, status: int = 200):
    lines = [_("The application to register %(name)s is rejected: no organisation is created, and the applicant "
               "reads your reason exactly as written, by mail and on their applications page.",
               name=field_text(application, "name")),
             _("To be reconsidered, they have to apply again.")]
    return confirm_page(title=_("Reject this application?"), lines=lines, button=_("Reject the application"),
                        back=url_for("staff.application", application_id=application.id), fields=[form.comment],
                        status=status, action=url_for("staff.decide_application", application_id=application.id,
                                                      decision="reject"))


@bp.get(f"/applications/{ID.format('application_id')}/reject")
@staff_required
def confirm_reject_application(application_id: int):
    application = found(queries.get_application(application_id))
    return ask_reason(application.status == "submitted", decided=_("This application has already been decided."),
                      back=url_for("staff.application", application_id=application_id),
                      page=lambda: _reject_page(application, DecisionForm(formdata=None)))


@bp.post(f"/applications/{ID.format('application_id')}/<any(approve, reject):decision>")
@staff_required
def decide_application(application_id: int, decision: str):
    application = found(queries.get_application(application_id))
    form, approve = DecisionForm(), decision == "approve"

    def act():
        if approve:
            provider_services.approve_application(application, current_user, form.comment.data or None)
        else:
            provider_services.reject_application(application, current_user, form.comment.data or "")

    return decide(form, turn_down=not approve, act=act, failure=ProviderError,
                  back=url_for("staff.application", application_id=application_id),
                  ask=lambda status: _reject_page(application, form, status),
                  show=lambda: render_template("staff/application.html", application=application, form=form),
                  reason=form.comment, reason_missing=_("Give the applicant a reason for the rejection."),
                  tell=lambda: _mail_applicant(application, approve), then=url_for("staff.applications"),
                  done=_("The application was approved and the organisation created.") if approve
                  else _("The application was rejected; the applicant has been told why."))


def _mail_applicant(application, approved: bool) -> None:
    user = application.applicant
    if user is None or not user.email:
        return
    lang = user.preferred_language
    send_mail(user.email, lang, "provider_application_decided", user=user, application=application,
              approved=approved, comment=application.review_comment,
              link=external_url("onboarding.applications", lang))


from app.staff import courses as _courses  # noqa: E402,F401  (registers the course review views)
from app.staff import tax_rates as _tax_rates  # noqa: E402,F401  (registers the tax-rate views)
