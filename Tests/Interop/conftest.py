"""Fixtures for the process-level interop tests.

Every server is the real `turngate` binary (env TURNGATE_BIN, default
<repo>/.build/debug/turngate) started on a free loopback port with a temporary
config file, probed with a real STUN Binding request until it answers (at most
10 s), and stopped with SIGTERM at teardown, where it must exit 0 within 5 s.
Its stdout/stderr go to files that are attached to the report of a failed test.
"""

from __future__ import annotations

import atexit
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

import stun

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0

_live_processes: list = []


@atexit.register
def _kill_leftovers() -> None:
    # Last resort if pytest itself is torn down abnormally: never leave a server behind.
    for proc in _live_processes:
        if proc.poll() is None:
            proc.kill()
            try:
                proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass


def turngate_binary() -> Path:
    path = Path(os.environ.get("TURNGATE_BIN", REPO_ROOT / ".build" / "debug" / "turngate"))
    if not path.is_absolute():
        path = REPO_ROOT / path
    return path


@pytest.fixture(scope="session")
def turngate_bin() -> Path:
    path = turngate_binary()
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"turngate binary not found or not executable at {path} "
                    f"(build it with `swift build`, or set TURNGATE_BIN)", pytrace=False)
    return path


def ipv6_loopback_available() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
            s.bind(("::1", 0))
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def free_port(host: str = "127.0.0.1", attempts: int = 50) -> int:
    """A port number free for both UDP and TCP on `host` (checked, retried)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    last_error = None
    for _ in range(attempts):
        with socket.socket(family, socket.SOCK_DGRAM) as udp:
            udp.bind((host, 0))
            port = udp.getsockname()[1]
            with socket.socket(family, socket.SOCK_STREAM) as tcp:
                try:
                    tcp.bind((host, port))
                except OSError as e:
                    last_error = e
                    continue
        return port
    raise RuntimeError(f"no port free for both UDP and TCP on {host} after {attempts} tries: {last_error}")


def _tail(path: Path, limit: int = 20000) -> str:
    try:
        data = path.read_bytes()
    except OSError as e:
        return f"<cannot read {path}: {e}>"
    text = data.decode("utf-8", errors="replace")
    if len(text) > limit:
        text = f"... ({len(text) - limit} characters cut) ...\n" + text[-limit:]
    return text


class TurnGate:
    """One running turngate process."""

    def __init__(self, binary: Path, config_path: Path, host: str, port: int,
                 extra_args: list, workdir: Path, name: str):
        self.binary = binary
        self.config_path = config_path
        self.host = host
        self.port = port
        self.extra_args = list(extra_args)
        self.stdout_path = workdir / f"{name}.stdout.log"
        self.stderr_path = workdir / f"{name}.stderr.log"
        self.name = name
        self.proc: subprocess.Popen | None = None
        self.returncode: int | None = None

    @property
    def argv(self) -> list:
        return [str(self.binary), "-c", str(self.config_path), *self.extra_args]

    @property
    def address(self) -> tuple:
        return (self.host, self.port)

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self) -> "TurnGate":
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(
                self.argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                cwd=str(self.config_path.parent), start_new_session=True,
            )
        _live_processes.append(self.proc)
        return self

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def logs(self) -> str:
        return (f"--- turngate {self.name}: {' '.join(self.argv)}\n"
                f"--- config {self.config_path}:\n{_tail(self.config_path)}\n"
                f"--- stdout:\n{_tail(self.stdout_path)}\n"
                f"--- stderr:\n{_tail(self.stderr_path)}\n")

    def output(self) -> str:
        """stdout + stderr so far, as text."""
        return _tail(self.stdout_path, 10**7) + "\n" + _tail(self.stderr_path, 10**7)

    def probe_udp(self, timeout: float = 0.25) -> bool:
        req, txid = stun.binding_request()
        with stun.udp_socket(self.host, timeout) as sock:
            try:
                sock.sendto(req, self.address)
            except OSError:
                return False
            msg = stun.udp_wait_for(sock, txid, timeout)
        return msg is not None and msg.msg_type == stun.BINDING_SUCCESS

    def probe_tcp(self, timeout: float = 0.5) -> bool:
        try:
            msg, _ = stun.tcp_binding(self.host, self.port, timeout=timeout)
        except (OSError, ValueError, AssertionError):
            return False
        return msg.msg_type == stun.BINDING_SUCCESS

    def wait_ready(self, probe: str = "udp", timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        check = self.probe_udp if probe == "udp" else self.probe_tcp
        while time.monotonic() < deadline:
            if not self.alive():
                raise AssertionError(
                    f"turngate exited with {self.proc.returncode} before answering\n{self.logs()}")
            if check():
                return
            time.sleep(0.05)
        raise AssertionError(f"turngate did not answer a {probe.upper()} Binding within "
                             f"{timeout:.0f} s\n{self.logs()}")

    def wait_exit(self, timeout: float) -> int | None:
        assert self.proc is not None
        try:
            self.returncode = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        return self.returncode

    def stop(self, sig: int = signal.SIGTERM, timeout: float = STOP_TIMEOUT) -> int:
        """Send `sig`; return the exit code. Fails (after SIGKILL) if it does not exit in time."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            started = time.monotonic()
            rc = self.wait_exit(timeout)
            if rc is None:
                self.proc.kill()
                self.wait_exit(5)
                raise AssertionError(
                    f"turngate did not exit within {timeout:.0f} s of signal {sig}; killed\n{self.logs()}")
            self.stop_seconds = time.monotonic() - started
        self.returncode = self.proc.returncode
        return self.returncode


class TurnGateFactory:
    def __init__(self, binary: Path, tmp_path: Path, node):
        self.binary = binary
        self.tmp_path = tmp_path
        self.servers: list = []
        node._turngate_servers = self.servers  # read by pytest_runtest_makereport

    def config(self, lines, name: str = "turngate") -> Path:
        path = self.tmp_path / f"{name}-{len(self.servers)}.conf"
        path.write_text("".join(f"{line}\n" for line in lines))
        return path

    def start(self, extra_config=(), *, host: str = "127.0.0.1", port: int | None = None,
              extra_args=(), probe: str | None = "udp", base_config: bool = True,
              log_level: str | None = "debug") -> TurnGate:
        """Start turngate on `host` (a free port unless given) and wait until it answers.

        The config file holds `listening-ip`, `listening-port`, `log-level` (unless
        `base_config` is false) followed by `extra_config` lines. `probe` is "udp",
        "tcp" or None (do not wait).
        """
        port = port if port is not None else free_port(host)
        lines = []
        if base_config:
            lines += [f"listening-ip={host}", f"listening-port={port}"]
            if log_level:
                lines.append(f"log-level={log_level}")
        lines += list(extra_config)
        name = f"turngate-{len(self.servers)}"
        server = TurnGate(self.binary, self.config(lines, name), host, port,
                          list(extra_args), self.tmp_path, name)
        self.servers.append(server)
        server.start()
        if probe:
            server.wait_ready(probe)
        return server

    def teardown(self) -> None:
        problems = []
        for server in self.servers:
            if server.proc is None:
                continue
            if server.proc.poll() is not None:
                # Exited during the test; tests that expect that check the code themselves.
                continue
            try:
                rc = server.stop(signal.SIGTERM, STOP_TIMEOUT)
            except AssertionError as e:
                problems.append(str(e))
                continue
            if rc != 0:
                problems.append(f"turngate exited with {rc} after SIGTERM (expected 0)\n{server.logs()}")
        if problems:
            pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def turngate(turngate_bin, tmp_path, request):
    """Factory: `turngate.start([...extra config lines...])` -> running TurnGate."""
    factory = TurnGateFactory(turngate_bin, tmp_path, request.node)
    yield factory
    factory.teardown()


@pytest.fixture
def server(turngate):
    """A default turngate on 127.0.0.1 (UDP and TCP), ready."""
    return turngate.start()


@pytest.fixture
def write_config(tmp_path):
    counter = {"n": 0}

    def write(lines) -> Path:
        counter["n"] += 1
        path = tmp_path / f"cli-{counter['n']}.conf"
        path.write_text("".join(f"{line}\n" for line in lines))
        return path

    return write


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for server in getattr(item, "_turngate_servers", []):
            report.sections.append((f"turngate log ({server.name}, {report.when})", server.logs()))
