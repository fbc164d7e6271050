"""`python -m bench.hostile --port 5099`: the attack review's cases against a site started with `make run`.

Start the site first (`make run PORT=5099`, two workers on the SQLite file in instance/), then run this
from the same checkout. It signs in as the demo staff account (a session made in the same database), uploads
each hostile workbook and CSV to the exchange import while another thread times `/healthz` every 0.1 s,
reads each worker's memory before and after, and registers an existing address ten times, counting the
mails the site saved in instance/outbox. Prints seconds, MiB, the slowest /healthz and the mails sent.
"""
from __future__ import annotations

import argparse
import http.client
import secrets
import subprocess
import threading
import time
import uuid
from pathlib import Path

from tests.concurrency.harness import Browser, Learner
from tests.exchanges import hostile

CASES = {
    "sheet claims A1:XFD1048576": lambda: ("lie.xlsx", hostile.dimension_lie()),
    "400 M-character shared string": lambda: ("shared.xlsx", hostile.huge_shared_string()),
    "256 MB of padding": lambda: ("padded.xlsx", hostile.padded_sheet()),
    "2 million empty rows": lambda: ("rows.xlsx", hostile.empty_rows()),
    "1 million shared strings": lambda: ("strings.xlsx", hostile.many_shared_strings()),
    "10 million unknown elements": lambda: ("elements.xlsx", hostile.unknown_elements()),
    "Windows-1252 CSV": lambda: ("renee.csv", "participant_name_latin\r\nRenée Dupont\r\n".encode("cp1252")),
}


def worker_rss(port: int) -> list[float]:
    """MiB resident of each gunicorn worker serving `port` (children of its master)."""
    masters = subprocess.run(["pgrep", "-f", f"gunicorn.*:{port}"], capture_output=True, text=True).stdout.split()
    sizes = []
    for master in masters:
        try:
            children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        except OSError:
            continue
        for child in children:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
    return sizes


def multipart(fields: dict, filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 "Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class HealthWatch(threading.Thread):
    def __init__(self, port: int) -> None:
        super().__init__(daemon=True)
        self.port, self.slowest, self.stop = port, 0.0, threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            started = time.monotonic()
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                conn.request("GET", "/healthz")
                conn.getresponse().read()
            except OSError:
                pass
            finally:
                conn.close()
            self.slowest = max(self.slowest, time.monotonic() - started)
            time.sleep(0.1)


def post(port: int, path: str, cookie: str, body: bytes, content_type: str) -> tuple[int, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.monotonic()
    try:
        conn.request("POST", path, body=body, headers={"Cookie": cookie, "Content-Type": content_type})
        response = conn.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        conn.close()


def staff_session(app) -> Learner:
    import sqlalchemy as sa

    from app.accounts.models import User, UserSession
    from app.accounts.sessions import token_hash
    from app.platform.extensions import db

    with app.app_context():
        staff = db.session.scalar(sa.select(User).where(User.email == "staff@example.com"))
        token = secrets.token_urlsafe(32)
        db.session.add(UserSession(token_hash=token_hash(token), user_id=staff.id))
        db.session.commit()
        return Learner(staff.id, staff.email, token)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.hostile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)
    from app import create_app

    app = create_app()
    browser, port = Browser(app), args.port
    staff = staff_session(app)
    print(f"{'case':<32} {'bytes':>9} {'status':>6} {'seconds':>8} {'worker MiB before -> after':>28} "
          f"{'slowest /healthz':>17}")
    for name, make in CASES.items():
        filename, data = make()
        before = worker_rss(port)
        watch = HealthWatch(port)
        watch.start()
        body, content_type = multipart(browser.form(staff), filename, data)
        status, seconds = post(port, "/en/staff/exchanges/import", browser.cookie(staff), body, content_type)
        watch.stop.set()
        watch.join()
        after = worker_rss(port)
        print(f"{name:<32} {len(data):>9,} {status:>6} {seconds:>8.2f} "
              f"{' '.join(f'{m:.0f}' for m in before):>13} -> {' '.join(f'{m:.0f}' for m in after):<12} "
              f"{watch.slowest:>12.2f} s")
    registrations(app, browser, port)


def registrations(app, browser: Browser, port: int) -> None:
    outbox = Path(app.config["MAIL_OUTBOX"])
    seen = set(outbox.glob("*.eml")) if outbox.exists() else set()
    statuses = []
    for _ in range(10):
        csrf = secrets.token_hex(20)
        cookie = f"{browser.cookie_name}={browser.cookies.dumps({'csrf_token': csrf})}"
        fields = {"csrf_token": browser.forms.dumps(csrf), "email": "learner@example.com",
                  "password": "a long enough password 123", "confirm": "a long enough password 123",
                  "preferred_language": "en", "accept_terms": "y"}
        from urllib.parse import urlencode

        statuses.append(post(port, "/en/account/register", cookie, urlencode(fields).encode(),
                             "application/x-www-form-urlencoded")[0])
    mails = [p for p in outbox.glob("*.eml") if p not in seen and "account_exists" in p.name]
    print(f"registering learner@example.com 10 times: answers {sorted(set(statuses))}, "
          f"mails to its owner {len(mails)}")


if __name__ == "__main__":
    main()
