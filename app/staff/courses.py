"""Course review in the staff workspace (the queue is in routes.py): one course side by side in both languages,
approve or send back with a comment."""
from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.routing import BuildError

from app.accounts.access import staff_required
from app.accounts.models import AccountStatus
from app.catalog.review import ReviewError, approve_course, send_back_course
from app.i18n.filters import field_text
from app.platform.confirmation import confirm_page
from app.platform.decisions import ask_reason, decide
from app.platform.lookup import found
from app.platform.mail import external_url, send_mail
from app.staff import queries
from app.staff.forms import ReviewForm
from app.staff.routes import ID, bp


@bp.get(f"/courses/{ID.format('course_id')}")
@staff_required
def course(course_id: int):
    return render_template("staff/course.html", course=found(queries.get_course_for_review(course_id)),
                           form=ReviewForm())


def _send_back_page(course, form: ReviewForm, status: int = 200):
    lines = [_("%(course)s is not published: it goes back to %(provider)s as a draft, with your comment, and "
               "every member of the provider is told by mail.", course=field_text(course, "title"),
               provider=field_text(course.provider, "name")),
             _("It comes back to the review queue only when the provider submits it again.")]
    return confirm_page(title=_("Send this course back?"), lines=lines, button=_("Send back with the comment"),
                        back=url_for("staff.course", course_id=course.id), fields=[form.comment], status=status,
                        action=url_for("staff.review_course", course_id=course.id, decision="send-back"),
                        undoable=True)


@bp.get(f"/courses/{ID.format('course_id')}/send-back")
@staff_required
def confirm_send_back(course_id: int):
    course = found(queries.get_course_for_review(course_id))
    return ask_reason(course.status == "pending_review", back=url_for("staff.course", course_id=course_id),
                      decided=_("This course is not waiting for review any more; nothing was changed."),
                      page=lambda: _send_back_page(course, ReviewForm(formdata=None)))


@bp.post(f"/courses/{ID.format('course_id')}/<any(approve, 'send-back'):decision>")
@staff_required
def review_course(course_id: int, decision: str):
    course = found(queries.get_course_for_review(course_id))
    form, approve = ReviewForm(), decision == "approve"
    return decide(form, turn_down=not approve, failure=ReviewError,
                  act=lambda: approve_course(course, current_user) if approve
                  else send_back_course(course, current_user, form.comment.data),
                  reason=form.comment, reason_missing=_("Write a comment telling the provider what to change."),
                  ask=lambda status: _send_back_page(course, form, status),
                  show=lambda: render_template("staff/course.html", course=course, form=form),
                  back=url_for("staff.course", course_id=course_id), tell=lambda: _mail_provider(course, approve),
                  done=_("The course is published.") if approve
                  else _("The course was sent back to the provider with your comment."), then=url_for("staff.courses"))


def _mail_provider(course, approved: bool) -> None:
    """Tell each owner and staff member of the provider, each in their own language."""
    for membership in queries.provider_people(course.provider_id):
        user = membership.user
        if user is None or not user.email or user.status != AccountStatus.ACTIVE:
            continue
        lang = user.preferred_language
        send_mail(user.email, lang, "course_reviewed", user=user, course=course, approved=approved,
                  comment=None if approved else course.review_comment, link=_workspace_link(lang))


def _workspace_link(lang: str) -> str | None:
    try:
        return external_url("workspace.index", lang)
    except BuildError:  # the provider workspace is not registered in this app
        return None
