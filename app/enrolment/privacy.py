"""What deleting an account does to its enrolments: live ones end (seats come free and the next learners
on the waitlists are promoted, and told by mail once the deletion is committed); ended ones stay, without
the provider's free-text note, as anonymous records for the figures."""
from __future__ import annotations

import sqlalchemy as sa

from app.accounts.privacy import register_erasure
from app.enrolment import notify, services
from app.enrolment.models import LIVE, Enrolment
from app.platform.database import utcnow
from app.platform.extensions import db


def end_enrolments(user):
    now = utcnow()
    live = db.session.scalars(
        sa.select(Enrolment).where(Enrolment.learner_id == user.id, Enrolment.status.in_(LIVE))
        .order_by(Enrolment.id)).all()
    promoted = []
    for enrolment in live:
        promoted += services.cancel_for_erasure(enrolment, now=now).promoted
    db.session.execute(sa.update(Enrolment).where(Enrolment.learner_id == user.id).values(note=None)
                       .execution_options(synchronize_session="fetch"))
    db.session.flush()
    if promoted:
        return lambda: notify.notify_promoted(promoted)
    return None


register_erasure(end_enrolments)
