"""A private redis-server per test, and a small RESP client (no redis-py needed).

`RedisServer(tmp_path).start()` runs `redis-server --port P --bind 127.0.0.1 --save ""
--appendonly no` on a free loopback port, in its own directory (so no dump.rdb is read from
or written to the current directory), and waits until it answers PING. `kill()` (SIGKILL)
and `start()` again on the same port simulate an outage. Every server is also killed at
exit. `RespClient` sends commands and reads replies (RESP2); `Subscriber` runs PSUBSCRIBE
in a thread and records every message. Every socket has a timeout.
"""

from __future__ import annotations

import atexit
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

from conftest import free_port

_live: list = []


@atexit.register
def _kill_all() -> None:
    for proc in _live:
        if proc.poll() is None:
            proc.kill()
            try:
                proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass



# --- RESP --------------------------------------------------------------------------

class RedisReplyError(Exception):
    """A RESP error reply (`-ERR ...`)."""


def encode_command(*args) -> bytes:
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        data = arg if isinstance(arg, bytes) else str(arg).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


class RespClient:
    """One connection; `command(...)` returns str/int/None/list, raises RedisReplyError."""

    def __init__(self, port: int, host: str = "127.0.0.1", timeout: float = 2.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buf = b""

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> "RespClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("Redis closed the connection")
        self.buf += chunk

    def _line(self) -> bytes:
        while b"\r\n" not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def read_reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RedisReplyError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                self._fill()
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data.decode("utf-8", errors="replace")
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.read_reply() for _ in range(n)]
        raise ValueError(f"unexpected RESP line {line!r}")

    def command(self, *args):
        self.sock.sendall(encode_command(*args))
        return self.read_reply()


def command(port: int, *args, timeout: float = 2.0):
    with RespClient(port, timeout=timeout) as client:
        return client.command(*args)


class Subscriber:
    """PSUBSCRIBE `patterns` in a thread; `messages` holds (channel, data, monotonic time)."""

    def __init__(self, port: int, *patterns: str):
        self.client = RespClient(port, timeout=0.2)
        self.messages: list = []
        self.errors: list = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.client.sock.sendall(encode_command("PSUBSCRIBE", *patterns))
        self.client.sock.settimeout(5)
        for _ in patterns:  # one confirmation per pattern: ["psubscribe", pattern, count]
            reply = self.client.read_reply()
            assert isinstance(reply, list) and reply[0] == "psubscribe", f"PSUBSCRIBE answered {reply!r}"
        self.client.sock.settimeout(0.2)
        self._thread = threading.Thread(target=self._run, name="redis-subscriber", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                reply = self.client.read_reply()
            except socket.timeout:
                continue
            except (OSError, ValueError, ConnectionError) as e:
                if not self._stop.is_set():
                    self.errors.append(repr(e))
                return
            if isinstance(reply, list) and len(reply) == 4 and reply[0] == "pmessage":
                with self._lock:
                    self.messages.append((reply[2], reply[3], time.monotonic()))

    def snapshot(self) -> list:
        with self._lock:
            return list(self.messages)

    def wait_for(self, predicate, timeout: float):
        """The first message (channel, data, t) that `predicate(channel, data)` accepts, or None."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self.snapshot():
                if predicate(message[0], message[1]):
                    return message
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.05)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.client.close()


# --- the server --------------------------------------------------------------------

class RedisServer:
    def __init__(self, workdir: Path, port: int | None = None):
        self.binary = shutil.which("redis-server")
        if not self.binary:
            raise AssertionError("redis-server is not on PATH (Debian: apt-get install redis-server)")
        self.port = port or free_port("127.0.0.1")
        self.dir = workdir / f"redis-{self.port}"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.log_path = self.dir / "redis.log"
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    @property
    def userdb(self) -> str:
        """coturn's connection string for this server."""
        return f"ip=127.0.0.1 port={self.port} dbname=0 connect_timeout=5"

    def start(self, timeout: float = 5.0) -> "RedisServer":
        assert not self.alive(), "redis-server already running"
        self.starts += 1
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", str(self.dir), "--dbfilename", "unused.rdb"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
        _live.append(self.proc)
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"redis-server exited with {self.proc.returncode}:\n{self.log()}")
            try:
                if command(self.port, "PING", timeout=0.5) == "PONG":
                    return self
            except (OSError, ConnectionError, RedisReplyError) as e:
                last = e
            time.sleep(0.05)
        raise AssertionError(f"redis-server on port {self.port} did not answer PING within "
                             f"{timeout} s (last: {last!r}):\n{self.log()}")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL (an outage, not a clean shutdown)."""
        if self.alive():
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=5)

    def stop(self) -> None:
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=3)

    def command(self, *args):
        return command(self.port, *args)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError as e:
            return f"<no log: {e}>"
