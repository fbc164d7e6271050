"""Seats hold under real concurrency: gunicorn with four worker processes, a hundred learners at once.

On SQLite by default, on PostgreSQL with TEST_DATABASE_URL (in a database of its own). The server runs with
CSRF on, and the requests carry real session cookies and form tokens, made with the app's own serializers.
"""
from __future__ import annotations

import collections
import re
import time

import pytest

from tests.concurrency.harness import CROWD, all_at_once, outbox, post

SEATS = 10
TWINS = 30  # one learner's requests at once


def enrol_path(session_id: int) -> str:
    return f"/en/sessions/{session_id}/enrol"


def statuses(stack, session_id: int) -> dict[int, str]:
    rows = stack.rows("SELECT learner_id, status FROM enrolment WHERE session_id = :s", s=session_id)
    return {learner_id: status for learner_id, status in rows}


def seats_taken(stack, session_id: int) -> int:
    return stack.scalar("SELECT seats_taken FROM course_session WHERE id = :s", s=session_id)


def waitlist(stack, session_id: int) -> list[tuple[int, int]]:
    """(enrolment id, learner id) in queue order: (queued_at, id)."""
    return [tuple(row) for row in stack.rows(
        "SELECT id, learner_id FROM enrolment WHERE session_id = :s AND status = 'waitlisted' "
        "ORDER BY queued_at, id", s=session_id)]


def assert_no_server_errors(stack, replies) -> None:
    errors = [r.error for r in replies if r.error]
    assert not errors, f"{len(errors)} requests failed: {errors[:5]}"
    server_errors = [r.status for r in replies if r.status >= 500]
    assert not server_errors, f"{len(server_errors)} answers were 5xx:\n{stack.server.log()}"
    assert not stack.log_has_errors(), stack.log_has_errors()


def require_routes(stack, *endpoints: str) -> None:
    missing = [e for e in endpoints if e not in stack.app.view_functions]
    assert not missing, f"routes not written yet: {missing}"


@pytest.fixture(scope="module")
def crowd(stack):
    """Every learner of the crowd enrols in the 10-seat session at the same moment (once per module)."""
    require_routes(stack, "enrolment.enrol")
    path = enrol_path(stack.seed.session_id)
    requests = [(path, stack.browser.cookie(learner), stack.browser.form(learner))
                for learner in stack.seed.learners]
    started = time.monotonic()
    replies = all_at_once(stack.server.port, requests)
    return replies, time.monotonic() - started


def test_the_server_runs_with_four_workers_on_its_own_database(stack):
    assert stack.server.get("/healthz")[0] == 200
    assert stack.server.all_workers_up()
    # The cookies made here sign the learners in over there (and nobody without one).
    assert stack.server.get("/en/account/", stack.browser.cookie(stack.seed.learners[0]))[0] == 200
    assert stack.server.get("/en/account/")[0] == 302
    assert stack.scalar("SELECT count(*) FROM user_session") == CROWD + 1
    assert seats_taken(stack, stack.seed.session_id) == 0


def test_a_crowd_takes_exactly_the_seats_and_queues_the_rest_in_order(stack, crowd):
    replies, seconds = crowd
    assert len(replies) >= 100
    assert_no_server_errors(stack, replies)
    assert {r.status for r in replies} == {303}, sorted({r.status for r in replies})
    course_page = f"/en/courses/{stack.seed.course_id}#main"
    assert all((r.location or "").endswith(course_page) for r in replies), {r.location for r in replies}

    by_learner = statuses(stack, stack.seed.session_id)
    assert set(by_learner) == {learner.id for learner in stack.seed.learners}  # one enrolment each
    assert stack.scalar("SELECT count(*) FROM enrolment WHERE session_id = :s", s=stack.seed.session_id) == CROWD
    confirmed = [i for i, status in by_learner.items() if status == "confirmed"]
    assert len(confirmed) == SEATS
    assert sorted(set(by_learner.values())) == ["confirmed", "waitlisted"]
    assert seats_taken(stack, stack.seed.session_id) == len(confirmed) == SEATS

    # A strict queue: every waiting learner has an arrival time, no two the same (positions 1..N with no
    # ties, even before the id breaks them), and arrival order is the order the rows were written in.
    queue = stack.rows(
        "SELECT queued_at, id, RANK() OVER (ORDER BY queued_at) FROM enrolment "
        "WHERE session_id = :s AND status = 'waitlisted' ORDER BY queued_at, id", s=stack.seed.session_id)
    assert all(queued_at is not None for queued_at, _, _ in queue)
    assert [rank for _, _, rank in queue] == list(range(1, CROWD - SEATS + 1))
    assert [i for _, i, _ in queue] == sorted(i for _, i, _ in queue)
    assert stack.scalar("SELECT count(*) FROM enrolment WHERE session_id = :s AND status = 'confirmed' "
                        "AND (confirmed_at IS NULL OR queued_at IS NOT NULL)", s=stack.seed.session_id) == 0
    # Each learner was told by mail what they got, once.
    mails = [(m.to, m.template) for m in outbox(stack.outbox)
             if m.template in ("enrolment_confirmed", "enrolment_waitlisted")]
    expected = {(learner.email, "enrolment_confirmed" if by_learner[learner.id] == "confirmed"
                 else "enrolment_waitlisted") for learner in stack.seed.learners}
    assert len(mails) == CROWD and set(mails) == expected
    print(f"\n{len(replies)} enrolments at once: {seconds:.2f} s, slowest answer "
          f"{max(r.seconds for r in replies):.2f} s")


def test_one_learner_pressing_thirty_times_at_once_gets_one_enrolment(stack):
    require_routes(stack, "enrolment.enrol")
    learner, session_id = stack.seed.solo, stack.seed.solo_session_id
    cookie, form = stack.browser.cookie(learner), stack.browser.form(learner)
    replies = all_at_once(stack.server.port, [(enrol_path(session_id), cookie, form)] * TWINS)
    assert_no_server_errors(stack, replies)
    assert {r.status for r in replies} == {303}, sorted({r.status for r in replies})
    rows = stack.rows("SELECT learner_id, status FROM enrolment WHERE session_id = :s", s=session_id)
    assert [tuple(row) for row in rows] == [(learner.id, "confirmed")]
    assert seats_taken(stack, session_id) == 1


def test_a_cancelled_seat_goes_to_the_head_of_the_waitlist_who_is_mailed(stack, crowd):
    require_routes(stack, "enrolment.enrol", "me.cancel")
    session_id = stack.seed.session_id
    leaving_id, leaver_id = stack.rows(
        "SELECT id, learner_id FROM enrolment WHERE session_id = :s AND status = 'confirmed' ORDER BY id LIMIT 1",
        s=session_id)[0]
    queue_before = waitlist(stack, session_id)
    head_enrolment, head_learner = queue_before[0]
    leaver = next(learner for learner in stack.seed.learners if learner.id == leaver_id)
    head = next(learner for learner in stack.seed.learners if learner.id == head_learner)

    reply = post(stack.server.port, f"/en/me/enrolments/{leaving_id}/cancel", stack.browser.cookie(leaver),
                 stack.browser.form(leaver))
    assert reply.error is None and reply.status == 303, (reply, stack.server.log())
    assert not stack.log_has_errors(), stack.log_has_errors()

    assert stack.scalar("SELECT status FROM enrolment WHERE id = :e", e=leaving_id) == "cancelled"
    promoted = stack.rows("SELECT status, promoted_at, confirmed_at FROM enrolment WHERE id = :e",
                          e=head_enrolment)[0]
    assert promoted[0] == "confirmed" and promoted[1] is not None and promoted[2] is not None
    assert waitlist(stack, session_id) == queue_before[1:]  # everyone else moved up one place
    confirmed = stack.scalar("SELECT count(*) FROM enrolment WHERE session_id = :s AND status = 'confirmed'",
                             s=session_id)
    assert seats_taken(stack, session_id) == confirmed == SEATS

    mails = [m for m in outbox(stack.outbox) if m.template == "enrolment_promoted"]
    assert [m.to for m in mails if m.to == head.email] == [head.email], [(m.template, m.to) for m in mails]
    assert len(mails) == stack.scalar("SELECT count(*) FROM enrolment WHERE promoted_at IS NOT NULL")


def confirmed_learner(stack, session_id: int):
    enrolment_id, learner_id = stack.rows(
        "SELECT id, learner_id FROM enrolment WHERE session_id = :s AND status = 'confirmed' "
        "ORDER BY id DESC LIMIT 1", s=session_id)[0]
    return enrolment_id, next(learner for learner in stack.seed.learners if learner.id == learner_id)


def assert_seats_match_rows(stack, session_id: int) -> None:
    confirmed = stack.scalar("SELECT count(*) FROM enrolment WHERE session_id = :s AND status = 'confirmed'",
                             s=session_id)
    assert (seats_taken(stack, session_id), confirmed) == (SEATS, SEATS)


def test_one_learner_pressing_cancel_thirty_times_at_once_frees_one_seat(stack, crowd):
    require_routes(stack, "me.cancel")
    session_id = stack.seed.session_id
    enrolment_id, learner = confirmed_learner(stack, session_id)
    head = waitlist(stack, session_id)[0]
    request = (f"/en/me/enrolments/{enrolment_id}/cancel", stack.browser.cookie(learner),
               stack.browser.form(learner))
    replies = all_at_once(stack.server.port, [request] * TWINS)
    assert_no_server_errors(stack, replies)
    assert {r.status for r in replies} == {303}, sorted({r.status for r in replies})
    assert stack.scalar("SELECT status FROM enrolment WHERE id = :e", e=enrolment_id) == "cancelled"
    assert stack.scalar("SELECT status FROM enrolment WHERE id = :e", e=head[0]) == "confirmed"
    assert_seats_match_rows(stack, session_id)  # one seat freed, one given: never two


def test_cancels_from_both_ends_at_once_keep_the_count_and_the_order(stack, crowd):
    """Five confirmed learners and the first five in the queue cancel together: the seats go to the
    next five in the queue, and the stored count still equals the confirmed rows."""
    require_routes(stack, "me.cancel")
    session_id = stack.seed.session_id
    learners = {learner.id: learner for learner in stack.seed.learners}
    leaving = stack.rows("SELECT id, learner_id FROM enrolment WHERE session_id = :s AND status = 'confirmed' "
                         "ORDER BY id LIMIT 5", s=session_id)
    queue = waitlist(stack, session_id)
    leaving += queue[:5]
    requests = [(f"/en/me/enrolments/{e}/cancel", stack.browser.cookie(learners[lid]),
                 stack.browser.form(learners[lid])) for e, lid in leaving]
    replies = all_at_once(stack.server.port, requests)
    assert_no_server_errors(stack, replies)
    assert {r.status for r in replies} == {303}, sorted({r.status for r in replies})
    assert {stack.scalar("SELECT status FROM enrolment WHERE id = :e", e=e) for e, _ in leaving} == {"cancelled"}
    assert_seats_match_rows(stack, session_id)
    promoted = {e for e, _ in queue[5:10]}
    assert {e for e, in stack.rows("SELECT id FROM enrolment WHERE session_id = :s AND status = 'confirmed' "
                                   "AND promoted_at IS NOT NULL", s=session_id)} >= promoted
    assert waitlist(stack, session_id) == queue[10:]


def test_each_waitlisted_learner_is_told_their_own_place(stack, crowd):
    """The flash after enrolling names the learner's place in the queue: 1..N, nobody told the same number."""
    replies, _ = crowd
    told = {}
    for learner, reply in zip(stack.seed.learners, replies):
        numbers = [int(n) for _, message in stack.browser.flashes(reply) for n in re.findall(r"\d+", message)]
        if numbers:
            told[learner.id] = numbers[-1]
    assert len(told) == CROWD - SEATS
    assert sorted(told.values()) == list(range(1, CROWD - SEATS + 1)), duplicates(told)
    # ... and the number told is the place the database gives them (queued_at stays after promotion).
    queued = stack.rows("SELECT learner_id FROM enrolment WHERE session_id = :s AND queued_at IS NOT NULL "
                        "ORDER BY queued_at, id", s=stack.seed.session_id)
    assert told == {learner_id: place for place, (learner_id,) in enumerate(queued, start=1)}


def duplicates(told: dict) -> str:
    counts = collections.Counter(told.values())
    return f"places told to more than one learner: {sorted(n for n, c in counts.items() if c > 1)}"
