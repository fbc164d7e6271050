"""Mail to learners, in their own language, after the commit; reminders once."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.enrolment import notify, services
from app.enrolment.models import EnrolmentStatus as S
from app.platform.extensions import db
from tests.factories import make_course, make_session, make_session_at, make_user, now


def body(message) -> str:
    return message.get_content()


def test_outcomes_confirmed_waitlisted_pending(outbox, db_session):
    s = make_course(sessions=[make_session(capacity=1)], title_en="Formation").sessions[0]
    first, second = make_user(), make_user()
    notify.notify_outcome(services.enrol(first, s))
    notify.notify_outcome(services.enrol(second, s))
    notify.notify_outcome(services.enrol(second, s))  # pressed twice: no second mail
    approval = make_course(sessions=[make_session(requires_approval=True)]).sessions[0]
    notify.notify_outcome(services.enrol(first, approval))
    assert [m["To"] for m in outbox] == [first.email, second.email, first.email]
    assert "Your place is confirmed: Formation" == outbox[0]["Subject"]
    assert "waitlist" in outbox[1]["Subject"] and "number 1 on the waitlist" in body(outbox[1])
    assert "Request received" in outbox[2]["Subject"]
    assert "Central European" in body(outbox[0]) and f"http://localhost/en/courses/{s.course_id}" in body(outbox[0])
    assert "http://localhost/en/me/" in body(outbox[0])


def test_mail_in_the_learners_language_and_both_zones(outbox, db_session):
    s = make_course(sessions=[make_session(tz="Europe/Berlin")], title_ja="電池の安全").sessions[0]
    learner = make_user(preferred_language="ja", timezone="Asia/Tokyo")
    notify.notify_outcome(services.enrol(learner, s))
    [mail] = outbox
    assert mail["Content-Language"] == "ja" and "電池の安全" in mail["Subject"]
    text = body(mail)
    assert "http://localhost/ja/me/" in text and "日本時間" in text  # the learner's own zone, named


def test_promoted_declined_and_the_providers_note(outbox, db_session):
    s = make_course(sessions=[make_session(capacity=1, requires_approval=True)]).sessions[0]
    a, b = make_user(), make_user()
    first = services.enrol(a, s).enrolment
    services.enrol(b, s)
    outcome = services.decline(first, "Please take the basics course first")
    db.session.commit()
    notify.notify_declined(outcome.enrolment)
    notify.notify_promoted(outcome.promoted)
    declined, promoted = outbox
    assert declined["To"] == a.email and "declined" in declined["Subject"]
    assert "Please take the basics course first" in body(declined)
    assert promoted["To"] == b.email and "now with them" in body(promoted)


def test_join_link_only_in_mail_to_confirmed(outbox, db_session):
    link = "https://meet.example.com/room"
    s = make_course(sessions=[make_session(capacity=1, online=True, join_url=link)]).sessions[0]
    notify.notify_outcome(services.enrol(make_user(), s))
    notify.notify_outcome(services.enrol(make_user(), s))
    assert link in body(outbox[0]) and link not in body(outbox[1])


def test_session_cancelled_and_changed(outbox, db_session):
    course = make_course(sessions=[])
    start = datetime(now().year + 1, 2, 3, 8, tzinfo=UTC)
    s = make_session_at(course, start, tz="Europe/Berlin", venue_city="Aachen")
    learners = [make_user(), make_user(preferred_language="ja")]
    live = [services.enrol(u, s).enrolment for u in learners]
    old = {"starts_at": s.starts_at, "ends_at": s.ends_at, "venue_city_en": "Aachen"}
    s.starts_at, s.ends_at, s.venue_city = start + timedelta(days=1), s.ends_at + timedelta(days=1), "Ulm"
    db.session.commit()
    notify.notify_session_changed(live, s, old)
    en, ja = outbox
    assert "Session changed" in en["Subject"] and en["Content-Language"] == "en"
    text = body(en)
    assert f"3 Feb {start.year}, 09:00–17:00 (Central European Standard Time) → 4 Feb {start.year}" in text
    assert "Aachen, Germany → Ulm, Germany" in text
    assert ja["Content-Language"] == "ja"
    outbox.clear()
    outcome = services.cancel_session_enrolments(s)
    db.session.commit()
    notify.notify_session_cancelled(outcome.cancelled, s)
    assert sorted(m["To"] for m in outbox) == sorted(u.email for u in learners)
    assert all("Session cancelled" in m["Subject"] or m["Content-Language"] == "ja" for m in outbox)


def test_reminders_once_and_only_for_confirmed_soon(outbox, db_session):
    soon = make_course(sessions=[make_session(days_ahead=2, capacity=1)]).sessions[0]
    later = make_course(sessions=[make_session(days_ahead=10)]).sessions[0]
    confirmed, waiting, far = make_user(), make_user(), make_user()
    services.enrol(confirmed, soon)
    services.enrol(waiting, soon)
    services.enrol(far, later)
    assert notify.send_reminders(now()) == 1
    assert notify.send_reminders(now()) == 0
    [mail] = outbox
    assert mail["To"] == confirmed.email and "Reminder" in mail["Subject"]


def test_send_reminders_command_is_idempotent(app, outbox, db_session):
    s = make_course(sessions=[make_session(days_ahead=1)]).sessions[0]
    e = services.enrol(make_user(), s).enrolment
    runner = app.test_cli_runner()
    first = runner.invoke(args=["send-reminders"])
    second = runner.invoke(args=["send-reminders", "--days", "3"])
    assert first.exit_code == 0 and "1 reminders sent" in first.output
    assert second.exit_code == 0 and "0 reminders sent" in second.output
    assert len(outbox) == 1
    db.session.expire_all()
    assert e.reminder_sent_at is not None and e.status == S.CONFIRMED
