"""Issuing certificates in the provider workspace, and the certificates that expire soon for association staff.

Provider side, under /<lang>/provider: issue to one completed learner or to a whole session, list the
organisation's certificates with filters, revoke (with a reason) and renew. Only members of the issuing
organisation act; a learner or another provider gets a 404 for objects they cannot see at all, association
staff a 403 (they oversee certificates but do not issue them). Each write is audited and the holder is told
by mail after the commit. Writes end the request's read transaction and run in a write transaction.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.accounts import menu
from app.accounts.access import staff_required
from app.accounts.names import person_name
from app.accounts.permissions import is_staff
from app.audit.services import record
from app.catalog.workspace_queries import member_organisations, pick_organisation
from app.certifications import issuing_queries as queries
from app.certifications import reminders, services
from app.certifications.services import CertificationError
from app.enrolment.models import EnrolmentStatus
from app.i18n.filters import current_lang, field_text
from app.platform.confirmation import confirm_page
from app.platform.database import utcnow, write_transaction
from app.platform.extensions import db
from app.platform.forms import PlainText, strip
from app.platform.pagination import page_number, paginate_rows
from app.platform.redirects import safe_next
from app.providers.permissions import is_provider_member

bp = Blueprint("issuing", __name__)
PROVIDER = "/<lang:lang_code>/provider"
ID = "int(max=2147483647)"  # ids are 32-bit: a larger one is a 404, not a 500
PUBLIC_ID = "string(maxlength=64):public_id"
PER_PAGE = 25
DAYS_DEFAULT, DAYS_MAX = 60, 3650

menu.register("issuing.index", _l("Certificates issued"), is_provider_member)


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (the holder and anyone verifying the certificate see it)"),
        filters=[strip],
        validators=[DataRequired(_l("Give the reason for revoking: the holder and verifiers see it.")),
                    Length(max=500), PlainText(multiline=True)])
    next = HiddenField()


# Load and authorise ----------------------------------------------------------------------------------

def authorise(organisation_id: int) -> None:
    """Members of the organisation act; association staff may see but not act (403); anyone else 404."""
    if not is_provider_member(current_user, organisation_id):
        abort(403 if is_staff(current_user) else 404)


def load_session(session_id: int):
    session = queries.get_session(session_id)
    if session is None:
        abort(404)
    authorise(session.course.provider_id)
    return session


def load_certificate(public_id: str):
    certificate = queries.get_certificate(public_id)
    if certificate is None:
        abort(404)
    authorise(certificate.organisation_id)
    return certificate


def parse_days(raw: str | None, default: int | None) -> tuple[int | None, bool]:
    """(days, was_bad): a whole number of days from 1 to DAYS_MAX; anything else is the default."""
    raw = (raw or "").strip()
    if not raw:
        return default, False
    if len(raw) <= 5 and raw.isascii() and raw.isdigit() and 1 <= int(raw) <= DAYS_MAX:
        return int(raw), False
    return default, True


@bp.app_template_global()
def issued_certificates(enrolments) -> dict:
    """For the roster: {enrolment_id: its newest certificate}, in one query."""
    return queries.by_enrolment(e.id for e in enrolments)


@bp.app_template_filter()
def certificate_fact(facts: dict, part: str, field: str) -> str:
    """A frozen fact of a certificate in the reader's language: facts|certificate_fact('course', 'title')."""
    return reminders.fact(facts, part, field, current_lang())


# Issue -----------------------------------------------------------------------------------------------

def _issue(session, load_enrolments):
    back = redirect(url_for("roster.show", session_id=session.id))
    if str(session.course.certification) == "none":
        flash(_("This course does not offer a certificate, so none can be issued. Choose the certificate it "
                "awards in the course's details first."), "error")
        return back
    db.session.commit()  # end the read transaction: the write below takes the lock first
    with write_transaction():
        try:
            services.check_ended(session)  # also when nobody is to be issued one: say why, not "done"
            issued = services.issue(load_enrolments(), current_user)
        except CertificationError as error:
            db.session.rollback()
            flash(str(error), "error")
            return back
        for c in issued.certificates:
            record("certificate.issue", "certification", c.id, organisation_id=c.organisation_id,
                   detail={"enrolment_id": c.enrolment_id, "learner_id": c.learner_id, "course_id": c.course_id,
                           "type": str(c.type)})
        ids = [c.id for c in issued.certificates]
        db.session.commit()
    reminders.notify_issued(ids)
    if ids:
        flash(ngettext("%(num)s certificate issued; the learner is told by mail.",
                       "%(num)s certificates issued; each learner is told by mail.", len(ids)), "success")
    elif issued.skipped:
        flash(_("No certificate issued: everyone who completed already holds one."), "success")
    else:
        flash(_("No certificate issued: nobody in this session is marked as completed yet."), "error")
    return back


@bp.post(f"{PROVIDER}/sessions/<{ID}:session_id>/certificates")
@login_required
def issue_session(session_id: int):
    session = load_session(session_id)
    return _issue(session, lambda: queries.completed_enrolments(session_id))


@bp.post(f"{PROVIDER}/enrolments/<{ID}:enrolment_id>/certificate")
@login_required
def issue_one(enrolment_id: int):
    enrolment = queries.get_enrolment(enrolment_id)
    if enrolment is None:
        abort(404)
    authorise(enrolment.session.course.provider_id)
    if enrolment.status != EnrolmentStatus.COMPLETED:
        flash(_("Only a learner marked as completed can receive a certificate."), "error")
        return redirect(url_for("roster.show", session_id=enrolment.session_id))
    return _issue(enrolment.session, lambda: [queries.get_enrolment(enrolment_id)])


# The organisation's certificates ---------------------------------------------------------------------

def parse_filters(args, courses) -> tuple[queries.Filters, bool]:
    filters, bad = queries.Filters(), False
    state = args.get("status", "")
    if state in queries.STATES:
        filters.state = state
    elif state:
        bad = True
    course = args.get("course", "").strip()
    if course:
        match = [c.id for c in courses if str(c.id) == course]
        filters.course_id, bad = (match[0], bad) if match else (None, True)
    filters.within_days, bad_days = parse_days(args.get("days"), None)
    cert = args.get("cert", "").strip()
    if cert and len(cert) <= 64 and cert.isascii() and all(ch.isalnum() or ch in "-_" for ch in cert):
        filters.public_id = cert
    return filters, bad or bad_days or bool(cert and not filters.public_id)


@bp.get(f"{PROVIDER}/certificates")
@login_required
def index():
    orgs = member_organisations(current_user)
    if not orgs:
        abort(403)
    org = pick_organisation(orgs, request.args.get("org", ""))
    if org is None:
        abort(404)
    courses = queries.certificate_courses(org.id)
    filters, ignored = parse_filters(request.args, courses)
    now = utcnow()
    page = paginate_rows(queries.organisation_certificates(org.id, filters, now),
                         page_number(request.args.get("page")), PER_PAGE)
    page.items = [row[0] for row in page.items]
    args = {**filters.args(), **({"org": org.id} if len(orgs) > 1 else {})}
    return render_template(
        "issuing/index.html", org=org, orgs=orgs, courses=courses, filters=filters, ignored=ignored, page=page,
        args=args, now=now, renewed=queries.renewed_ids(c.id for c in page.items),
        here=request.full_path.rstrip("?"),
    )


def _back(certificate_org: int) -> str:
    return safe_next(request.form.get("next")) or url_for("issuing.index", org=certificate_org)


@bp.get(f"{PROVIDER}/certificates/<{PUBLIC_ID}>/revoke")
@login_required
def confirm_revoke(public_id: str):
    certificate = load_certificate(public_id)
    back = safe_next(request.args.get("next")) or url_for("issuing.index", org=certificate.organisation_id)
    if certificate.status == "revoked":
        flash(_("This certificate is already revoked."), "error")
        return redirect(back)
    holder = person_name(certificate.learner) if certificate.learner else _("a holder whose account was deleted")
    lines = [_("The %(course)s certificate of %(holder)s (%(id)s) is revoked: it is no longer valid, and its "
               "verification page and signed credential say so to anyone who checks.",
               course=field_text(certificate.course, "title"), holder=holder, id=certificate.public_id),
             _("The holder is told by mail, with your reason.")]
    form = RevokeForm(formdata=None, next=back)
    return confirm_page(title=_("Revoke this certificate?"), lines=lines, button=_("Revoke the certificate"),
                        back=back, fields=[form.reason], hidden={"next": back})


@bp.post(f"{PROVIDER}/certificates/<{PUBLIC_ID}>/revoke")
@login_required
def revoke(public_id: str):
    certificate = load_certificate(public_id)
    back, form = _back(certificate.organisation_id), RevokeForm()
    if not form.validate_on_submit():
        flash(next(iter(e for errors in form.errors.values() for e in errors), _("Give the reason.")), "error")
        return redirect(url_for("issuing.confirm_revoke", public_id=public_id, next=back))
    db.session.commit()  # end the read transaction: the write below takes the lock first
    with write_transaction():
        certificate = queries.get_certificate(public_id, for_update=True)
        try:
            services.revoke(certificate, form.reason.data, current_user)
        except CertificationError as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(back)
        record("certificate.revoke", "certification", certificate.id, organisation_id=certificate.organisation_id,
               detail={"learner_id": certificate.learner_id, "reason": certificate.revoked_reason})
        certificate_id = certificate.id
        db.session.commit()
    reminders.notify_revoked(certificate_id)
    flash(_("The certificate is revoked; its holder is told by mail, and its verification page now says so."),
          "success")
    return redirect(back)


@bp.post(f"{PROVIDER}/certificates/<{PUBLIC_ID}>/renew")
@login_required
def renew(public_id: str):
    certificate = load_certificate(public_id)
    back = _back(certificate.organisation_id)
    db.session.commit()  # end the read transaction: the write below takes the lock first
    with write_transaction():
        certificate = queries.get_certificate(public_id, for_update=True)
        try:
            renewal = services.renew(certificate, current_user)
        except CertificationError as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(back)
        record("certificate.renew", "certification", renewal.id, organisation_id=renewal.organisation_id,
               detail={"replaces": certificate.id, "learner_id": renewal.learner_id,
                       "expires_at": renewal.expires_at.isoformat() if renewal.expires_at else None})
        renewal_id = renewal.id
        db.session.commit()
    reminders.notify_renewed(renewal_id)
    flash(_("The certificate is renewed: a new one replaces it, and its holder is told by mail."), "success")
    return redirect(back)


# Association staff: what expires soon ----------------------------------------------------------------

@bp.get("/<lang:lang_code>/staff/certificates/expiring")
@staff_required
def expiring():
    days, bad = parse_days(request.args.get("days"), DAYS_DEFAULT)
    now = utcnow()
    page = paginate_rows(queries.expiring(now, days), page_number(request.args.get("page")), PER_PAGE)
    page.items = [row[0] for row in page.items]
    return render_template("issuing/expiring.html", page=page, days=days, bad_days=bad, now=now,
                           args={"days": days} if days != DAYS_DEFAULT else {}, days_max=DAYS_MAX)
