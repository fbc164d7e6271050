"""Any request, many at once: forms with cookies, JSON with a Bearer token, plain reads.

`harness.post` sends forms only; the bursts mix sign-ins, API calls and page reads, so each request here
names its method, path, headers and body.
"""
from __future__ import annotations

import http.client
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlencode

from tests.concurrency.harness import Reply


@dataclass
class Call:
    method: str
    path: str
    headers: dict = field(default_factory=dict)
    body: bytes | None = None
    label: str = ""  # what the call stands for, in failure messages

    @classmethod
    def form(cls, path: str, cookie: str, fields: dict, label: str = "") -> Call:
        return cls("POST", path, {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
                   urlencode(fields).encode(), label or path)

    @classmethod
    def page(cls, path: str, cookie: str | None = None, label: str = "") -> Call:
        return cls("GET", path, {"Cookie": cookie} if cookie else {}, None, label or path)

    @classmethod
    def api(cls, method: str, path: str, token: str, payload: dict | None = None, label: str = "") -> Call:
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        body = None
        if payload is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(payload).encode()
        return cls(method, path, headers, body, label or f"{method} {path}")


@dataclass
class Answer(Reply):
    call: Call | None = None
    body: bytes = b""


def send(port: int, call: Call, barrier: threading.Barrier | None = None, timeout: float = 60) -> Answer:
    """One request, connected before the barrier and sent the moment every thread has reached it."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    answer = Answer(call=call)
    try:
        conn.connect()
        if barrier is not None:
            barrier.wait(timeout=60)
        started = time.monotonic()
        conn.request(call.method, call.path, body=call.body, headers=call.headers)
        response = conn.getresponse()
        answer.body = response.read()
        answer.seconds = time.monotonic() - started
        answer.status, answer.location = response.status, response.getheader("Location")
    except (OSError, http.client.HTTPException, threading.BrokenBarrierError) as error:
        answer.error = f"{type(error).__name__}: {error}"
    finally:
        conn.close()
    return answer


def burst(port: int, calls: list[Call]) -> list[Answer]:
    """Every call together: one thread each, all released by one barrier."""
    barrier = threading.Barrier(len(calls))
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(send, port, call, barrier) for call in calls]
        return [future.result() for future in futures]


def summary(answers: list[Answer]) -> str:
    """Status counts per label, for a failure message: {'sign-in': {303: 49, 500: 1}, ...}."""
    counts: dict[str, dict] = {}
    for answer in answers:
        key = answer.call.label.split(" ")[0] if answer.call else "?"
        by_status = counts.setdefault(key, {})
        status = answer.status or answer.error
        by_status[status] = by_status.get(status, 0) + 1
    return str(counts)
