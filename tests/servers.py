"""Helpers for tests that start real servers: a free loopback port, and waiting until a server answers."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest


def free_port() -> int:
    """A loopback port nobody listens on (right now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(
    url: str, process: subprocess.Popen[Any] | None = None, timeout: float = 60.0, log: Path | None = None
) -> httpx.Response:
    """GET ``url`` until it answers 200; fail, with the tail of ``log``, when ``process`` exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and (process is None or process.poll() is None):
        try:
            reply = httpx.get(url, timeout=5)
            if reply.status_code == 200:
                return reply
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    tail = log.read_text(encoding="utf-8", errors="replace")[-2000:] if log and log.exists() else ""
    exited = "" if process is None or process.poll() is None else f" (the server exited with {process.poll()})"
    pytest.fail(f"{url} did not answer within {timeout:.0f} s{exited}\n{tail}")
