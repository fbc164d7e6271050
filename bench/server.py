"""gunicorn as a subprocess on a free loopback port, and the memory of its workers."""
from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from config import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, database_url: str, workers: int = 2, cache_seconds: int | None = None,
                 log_path: Path | None = None) -> None:
        self.database_url = database_url
        self.workers = workers
        self.cache_seconds = cache_seconds
        self.log_path = log_path or Path(f"/tmp/btb_bench_gunicorn.{os.getpid()}.log")
        self.port = 0
        self.proc: subprocess.Popen | None = None

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.database_url,
            # A secret of our own, so LocalConfig does not write one into instance/.
            SECRET_KEY=secrets.token_urlsafe(48),
            APP_CONFIG="config.LocalConfig",
            PYTHONDONTWRITEBYTECODE="1",
        )
        if self.cache_seconds is not None:
            env["APP_CONFIG"] = "bench.config.BenchConfig"
            env["BENCH_CACHE_SECONDS"] = str(self.cache_seconds)
        return env  # REDIS_URL, when set, passes through unchanged

    def start(self, timeout: float = 30.0) -> None:
        self.port = free_port()
        command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
                   "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}", "--no-control-socket",
                   "--error-logfile", str(self.log_path), "wsgi:app"]
        self.proc = subprocess.Popen(command, cwd=ROOT, env=self.env(), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.proc.returncode}; see {self.log_path}")
            if self.get("/healthz")[0] == 200 and len(self.worker_pids()) >= self.workers:
                return
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"gunicorn did not answer /healthz within {timeout:.0f} s; see {self.log_path}")

    def get(self, path: str) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, response.read()
        except OSError:
            return 0, b""
        finally:
            conn.close()

    def worker_pids(self) -> list[int]:
        if self.proc is None:
            return []
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def worker_rss_mib(self) -> dict[int, float]:
        return {pid: rss_mib(pid) for pid in self.worker_pids()}

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)  # only the master we started; it stops its own workers
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")
