"""Fixtures for the process-level interop tests.

Every server is the real `turngate` binary (env TURNGATE_BIN, default
<repo>/.build/debug/turngate) started on a free loopback port with a temporary
config file, probed with a real STUN Binding request until it answers (at most
10 s), and stopped with SIGTERM at teardown, where it must exit 0 within 5 s.
Its stdout/stderr go to files that are attached to the report of a failed test.

The TURN tests (test_turn_*.py) start their server through `turn_server`, which runs
turngate, or coturn's `turnserver` when INTEROP_SERVER=coturn (see the section
"TURN relay servers" below); `echo_peer`/`echo_peers` give Python UDP echo peers and
`turnutils_peer` coturn's echo peer.
"""

from __future__ import annotations

import atexit
import os
import random
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

import stun

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0
# The UDP engine backend every server the factory starts uses (`make test` runs the suite
# once with each); empty for the server's default (auto).
RELAY_ENGINE = os.environ.get("INTEROP_RELAY_ENGINE", "")
# Set on `make test`'s second pass: only the tests whose subject is the UDP data path run again
# with the other engine. A module whose subject is elsewhere (the gateway, signaling, Redis,
# streams, configuration, operations) says so with `RELAY_ENGINE_INDEPENDENT = True`; the UDP
# it touches on the way (a Binding probe, an Allocate checking a credential) is the same code
# the relay tests drive with both engines.
ENGINE_DEPENDENT_ONLY = os.environ.get("INTEROP_ENGINE_DEPENDENT_ONLY") == "1"

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


@pytest.fixture(scope="session")
def chromium_bin() -> str:
    """Debian's `chromium`, for the browser tests (test_browser*.py, browserutil.py)."""
    binary = shutil.which("chromium")
    if not binary:
        pytest.fail("chromium not found on PATH: install Debian's chromium "
                    "(scripts/install-deps.sh test)", pytrace=False)
    return binary


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
        return (f"--- {self.name}: {' '.join(self.argv)}\n"
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
    def __init__(self, binary: Path, tmp_path: Path, node, *, server_class=None,
                 name_prefix: str = "turngate"):
        self.binary = binary
        self.tmp_path = tmp_path
        self.server_class = server_class or TurnGate
        self.name_prefix = name_prefix
        # Shared by every factory of the test; read by pytest_runtest_makereport.
        if not hasattr(node, "_turngate_servers"):
            node._turngate_servers = []
        self.servers: list = node._turngate_servers

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
            if RELAY_ENGINE:
                lines.append(f"relay-engine={RELAY_ENGINE}")
        lines += list(extra_config)
        name = f"{self.name_prefix}-{len(self.servers)}"
        server = self.server_class(self.binary, self.config(lines, name), host, port,
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
            ok_codes = getattr(server, "ok_exit_codes", (0,))
            if rc not in ok_codes:
                problems.append(f"{server.name} exited with {rc} after SIGTERM (expected "
                                f"{' or '.join(map(str, ok_codes))})\n{server.logs()}")
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


def pytest_collection_modifyitems(config, items):
    if not ENGINE_DEPENDENT_ONLY:
        return
    independent = [item for item in items if getattr(item.module, "RELAY_ENGINE_INDEPENDENT", False)]
    if independent:
        config.hook.pytest_deselected(items=independent)
        items[:] = [item for item in items if not getattr(item.module, "RELAY_ENGINE_INDEPENDENT", False)]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for server in getattr(item, "_turngate_servers", []):
            report.sections.append((f"turngate log ({server.name}, {report.when})", server.logs()))


# --- TURN relay servers: turngate or coturn (INTEROP_SERVER) ------------------------
#
# The TURN tests start their server through the `turn_server` fixture, which runs
# turngate by default and coturn's `turnserver` when INTEROP_SERVER=coturn, from one
# description (users, REST secrets, coturn option lines). The differences that are
# coturn's own are kept here and named:
#   - coturn needs `no-cli`, `no-tls`, `no-dtls`, `no-rfc5780`, its log on stdout, a
#     private pid file and SQLite user database (else it touches /var/lib/turn);
#   - coturn cannot mix static users and REST secrets in one instance (it warns, then
#     answers the static users 401): such a test is skipped for coturn;
#   - coturn dies of SIGTERM (exit status -15) instead of exiting 0;
#   - coturn listens on INTEROP_COTURN_HOST (default 127.0.0.2), so that it never shares
#     a port with a turngate (coturn binds with SO_REUSEPORT); it relays from the same
#     address. turngate listens and relays on 127.0.0.1.
# Expectations that only TurnGate meets are marked with `turngate_only(reason)`.

REALM = "interop.test"
SERVER_KINDS = ("turngate", "coturn")
RELAY_PORT_SPAN = 400


def server_kind() -> str:
    kind = os.environ.get("INTEROP_SERVER", "turngate").strip().lower() or "turngate"
    if kind not in SERVER_KINDS:
        raise pytest.UsageError(f"INTEROP_SERVER={kind!r}: expected one of {', '.join(SERVER_KINDS)}")
    return kind


def turngate_only(reason: str):
    """Mark a test (or a parameter) as an expectation that coturn does not meet.

    Skipped for coturn, unless INTEROP_COTURN_RUN_ALL=1 (to check that coturn still
    fails it, for the reason given)."""
    skip = server_kind() == "coturn" and os.environ.get("INTEROP_COTURN_RUN_ALL") != "1"
    return pytest.mark.skipif(skip, reason=f"turngate-only: {reason}")


def default_server_host() -> str:
    if server_kind() == "coturn":
        return os.environ.get("INTEROP_COTURN_HOST", "127.0.0.2")
    return "127.0.0.1"


class Coturn(TurnGate):
    """One running coturn `turnserver` (same life cycle as TurnGate)."""

    ok_exit_codes = (0, -signal.SIGTERM)


class TurnServerFactory:
    """`turn_server.start(users=..., secrets=..., options=[...])` -> a running server.

    The returned process object also carries: `kind`, `realm`, `users` (dict),
    `secrets` (list), `relay_ip`, `min_port`, `max_port`, `config_lines`.
    """

    def __init__(self, kind: str, binary: Path, tmp_path: Path, node):
        self.kind = kind
        self.tmp_path = tmp_path
        if kind == "coturn":
            self.factory = TurnGateFactory(binary, tmp_path, node, server_class=Coturn,
                                           name_prefix="coturn")
        else:
            self.factory = TurnGateFactory(binary, tmp_path, node)

    def start(self, *, users: dict | None = None, secrets=(), options=(),
              host: str | None = None, relay_ip: str | None = None,
              allow_loopback_peers: bool = True, realm: str = REALM,
              min_port: int | None = None, max_port: int | None = None,
              probe: str | None = "udp"):
        users = dict(users or {})
        secrets = list(secrets)
        host = host or default_server_host()
        relay_ip = relay_ip or host
        if (self.kind == "coturn" and users and secrets
                and os.environ.get("INTEROP_COTURN_RUN_ALL") != "1"):
            pytest.skip("coturn cannot mix static users (lt-cred-mech) and REST secrets "
                        "(use-auth-secret): it warns, then answers the static users 401")
        if min_port is None:
            min_port = random.randrange(20000, 32000 - RELAY_PORT_SPAN, 2)
        if max_port is None:
            max_port = min_port + RELAY_PORT_SPAN - 1
        port = free_port(host)
        lines = [f"listening-ip={host}", f"listening-port={port}", f"relay-ip={relay_ip}",
                 f"min-port={min_port}", f"max-port={max_port}", f"realm={realm}"]
        if users:
            lines.append("lt-cred-mech")
            lines += [f"user={name}:{password}" for name, password in users.items()]
        if secrets:
            lines.append("use-auth-secret")
            lines += [f"static-auth-secret={secret}" for secret in secrets]
        if allow_loopback_peers:
            lines.append("allow-loopback-peers")
        lines += list(options)
        if self.kind == "coturn":
            lines += ["no-cli", "no-tls", "no-dtls", "no-rfc5780", "log-file=stdout",
                      "simple-log", "verbose",
                      f"pidfile={self.tmp_path / f'coturn-{port}.pid'}",
                      f"userdb={self.tmp_path / f'coturn-{port}.sqlite'}"]
            server = self.factory.start(lines, host=host, port=port, probe=probe,
                                        base_config=False)
        else:
            server = self.factory.start(lines[2:], host=host, port=port, probe=probe)
        server.kind = self.kind
        server.realm = realm
        server.users = users
        server.secrets = secrets
        server.relay_ip = relay_ip
        server.min_port = min_port
        server.max_port = max_port
        server.config_lines = lines
        return server

    def teardown(self) -> None:
        self.factory.teardown()


@pytest.fixture
def turn_server(tmp_path, request):
    """Factory for TURN servers of the kind INTEROP_SERVER selects (default turngate)."""
    kind = server_kind()
    if kind == "coturn":
        binary = shutil.which("turnserver")
        if not binary:
            pytest.fail("INTEROP_SERVER=coturn but `turnserver` is not on PATH "
                        "(install Debian's coturn: scripts/install-deps.sh test)", pytrace=False)
        binary = Path(binary)
    else:
        binary = request.getfixturevalue("turngate_bin")
    factory = TurnServerFactory(kind, binary, tmp_path, request.node)
    yield factory
    factory.teardown()


# --- peers -------------------------------------------------------------------------

class UdpEchoPeer:
    """A UDP peer in a thread: records every datagram (source, payload) and, when
    `echo` is set, sends it back to where it came from."""

    def __init__(self, host: str = "127.0.0.1", echo: bool = True):
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_DGRAM)
        self.sock.bind((host, 0))
        self.sock.settimeout(0.05)
        self.address = self.sock.getsockname()[:2]
        self.echo = echo
        self.received: list = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"echo-{self.address}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data, source = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            except OSError:
                if self._stop.is_set():
                    return
                continue
            with self._lock:
                self.received.append((source[:2], data))
            if self.echo:
                try:
                    self.sock.sendto(data, source)
                except OSError:
                    pass

    def sources(self) -> list:
        with self._lock:
            return [source for source, _ in self.received]

    def payloads(self) -> list:
        with self._lock:
            return [data for _, data in self.received]

    def send(self, data: bytes, destination: tuple) -> None:
        self.sock.sendto(data, destination)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def echo_peers():
    """Factory: `echo_peers(host="127.0.0.1", echo=True)` -> a running UdpEchoPeer."""
    peers = []

    def make(host: str = "127.0.0.1", echo: bool = True) -> UdpEchoPeer:
        peer = UdpEchoPeer(host, echo)
        peers.append(peer)
        return peer

    yield make
    for peer in peers:
        peer.close()


@pytest.fixture
def echo_peer(echo_peers):
    """A UDP echo peer on 127.0.0.1."""
    return echo_peers()


class TurnutilsPeer:
    """coturn's `turnutils_peer`, a UDP echo server, on 127.0.0.1 and a free port."""

    def __init__(self, tmp_path: Path, host: str = "127.0.0.1"):
        tool = shutil.which("turnutils_peer")
        if not tool:
            pytest.fail("turnutils_peer not found: install Debian's coturn "
                        "(scripts/install-deps.sh test)", pytrace=False)
        self.host = host
        self.port = free_port(host)
        self.log_path = tmp_path / f"turnutils_peer-{self.port}.log"
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen([tool, "-L", host, "-p", str(self.port)],
                                         stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                         start_new_session=True)
        _live_processes.append(self.proc)

    @property
    def address(self) -> tuple:
        return (self.host, self.port)

    def wait_ready(self, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        with socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET,
                           socket.SOCK_DGRAM) as sock:
            sock.bind((self.host, 0))
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise AssertionError(f"turnutils_peer exited with {self.proc.returncode}:\n"
                                         f"{_tail(self.log_path)}")
                sock.settimeout(0.2)
                try:
                    sock.sendto(b"ready?", self.address)
                    data, _ = sock.recvfrom(2048)
                    if data == b"ready?":
                        return
                except (socket.timeout, ConnectionRefusedError):
                    continue
        raise AssertionError(f"turnutils_peer did not echo within {timeout} s:\n{_tail(self.log_path)}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=3)


@pytest.fixture
def turnutils_peer(tmp_path):
    """coturn's turnutils_peer echoing UDP on 127.0.0.1 (ready)."""
    peer = TurnutilsPeer(tmp_path)
    try:
        peer.wait_ready()
        yield peer
    finally:
        peer.stop()
