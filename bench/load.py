"""A small, bounded HTTP/1.1 load generator: one thread, non-blocking sockets, `concurrency` connections.

It stays light on purpose (no threads, no HTTP library): on a 2-core machine every cycle it spends is taken
from the server it measures. Connections are kept alive when the server allows it; gunicorn's sync workers
close them after each response, so each request then pays a new loopback connect, as a browser would.
"""
from __future__ import annotations

import errno
import random
import selectors
import socket
import time
from collections import Counter
from dataclasses import dataclass, field

REQUEST_TIMEOUT = 30.0


@dataclass
class Result:
    kind: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    failures: int = 0
    cpu_seconds: float = 0.0  # the load generator's own CPU time

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        """Anything but 200: failed connections, timeouts, 4xx and 5xx."""
        return self.failures + sum(n for status, n in self.statuses.items() if status != 200)

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class _Slot:
    __slots__ = ("sock", "buf", "out", "started", "header_end", "length", "status", "close", "path")

    def __init__(self) -> None:
        self.sock = None
        self.reset()

    def reset(self) -> None:
        self.buf = bytearray()
        self.out = b""
        self.started = 0.0
        self.header_end = -1
        self.length = None
        self.status = 0
        self.close = False
        self.path = ""


def _parse_head(slot: _Slot) -> None:
    end = slot.buf.find(b"\r\n\r\n")
    if end < 0:
        return
    slot.header_end = end + 4
    lines = bytes(slot.buf[:end]).decode("latin-1").split("\r\n")
    slot.status = int(lines[0].split(" ", 2)[1])
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            slot.length = int(value.strip())
        elif name == "connection" and value.strip().lower() == "close":
            slot.close = True


def run(host: str, port: int, paths: list[str], seconds: float, concurrency: int = 16,
        max_requests: int = 100_000, seed: int = 1, kind: str = "", in_order: bool = False) -> Result:
    """Request paths drawn at random (fixed seed) for `seconds` or `max_requests`, whichever comes first;
    with in_order, every path once, in order (the cold pass)."""
    if in_order:
        max_requests = min(max_requests, len(paths))
    rng = random.Random(seed)
    sel = selectors.DefaultSelector()
    result = Result(kind)
    host_header = f"Host: {host}:{port}\r\n".encode()
    issued = 0
    slots = [_Slot() for _ in range(concurrency)]
    t0, cpu0 = time.perf_counter(), time.process_time()
    deadline = t0 + seconds

    def start(slot: _Slot) -> bool:
        nonlocal issued
        now = time.perf_counter()
        if now >= deadline or issued >= max_requests:
            return False
        issued += 1
        slot.reset()
        slot.path = paths[issued - 1] if in_order else rng.choice(paths)
        slot.started = now
        slot.out = (f"GET {slot.path} HTTP/1.1\r\n".encode() + host_header
                    + b"User-Agent: btb-bench\r\nAccept: text/html\r\n\r\n")
        if slot.sock is None:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.setblocking(False)
            code = sock.connect_ex((host, port))
            if code not in (0, errno.EINPROGRESS):
                sock.close()
                result.failures += 1
                return start(slot)
            slot.sock = sock
            sel.register(sock, selectors.EVENT_WRITE, slot)
        else:
            sel.modify(slot.sock, selectors.EVENT_WRITE, slot)
        return True

    def drop(slot: _Slot) -> None:
        if slot.sock is not None:
            sel.unregister(slot.sock)
            slot.sock.close()
            slot.sock = None

    def finish(slot: _Slot, ok: bool) -> None:
        if ok:
            result.latencies.append(time.perf_counter() - slot.started)
            result.statuses[slot.status] += 1
        else:
            result.failures += 1
        if not ok or slot.close:
            drop(slot)
        if not start(slot):
            drop(slot)

    active = sum(start(s) for s in slots)  # noqa: F841 (how many began; the loop runs until all end)
    while sel.get_map():
        for key, events in sel.select(timeout=1.0):
            slot = key.data
            try:
                if events & selectors.EVENT_WRITE:
                    sent = slot.sock.send(slot.out)
                    slot.out = slot.out[sent:]
                    if not slot.out:
                        sel.modify(slot.sock, selectors.EVENT_READ, slot)
                    continue
                chunk = slot.sock.recv(262144)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                finish(slot, False)
                continue
            if chunk:
                slot.buf += chunk
                if slot.header_end < 0:
                    _parse_head(slot)
                if slot.header_end >= 0 and slot.length is not None and \
                        len(slot.buf) - slot.header_end >= slot.length:
                    finish(slot, True)
            else:  # the server closed: complete if the head arrived and no length was promised
                complete = slot.header_end >= 0 and (
                    slot.length is None or len(slot.buf) - slot.header_end >= slot.length)
                slot.close = True
                finish(slot, complete)
        now = time.perf_counter()
        for slot in slots:  # give up on requests that hang
            if slot.sock is not None and now - slot.started > REQUEST_TIMEOUT:
                finish(slot, False)
    result.seconds = time.perf_counter() - t0
    result.cpu_seconds = time.process_time() - cpu0
    return result
