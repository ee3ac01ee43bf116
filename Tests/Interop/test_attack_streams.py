"""Attacks on TCP and TLS connections and on the metrics endpoint: clients that never read,
trickle bytes, hold connections, or push the process to its open-files limit.

- A client that pipelines requests without ever reading the answers must not grow the
  server's memory: the server stops reading the connection while it is not writable.
- A slowloris (one byte a second) is closed at the first-frame deadline, and after a
  complete frame at the idle deadline: only complete frames keep a connection open.
- Connections over the per-source cap (`tcp-connections-per-ip`) or the total cap
  (`tcp-connection-limit`) are closed as they arrive; other sources are still served.
- A TCP connection to the TLS port that never sends a ClientHello is closed at the
  handshake deadline.
- At the open-files limit (EMFILE), the accept loops back off instead of spinning a core,
  and the node recovers when the connections close: the TURN and metrics listeners, and
  the credential gateway's, which also holds connections over `api-connection-limit` in
  its listen backlog until one closes.
- The metrics endpoint: loopback by default, one response in flight per connection (2,000
  pipelined GETs on a connection that never reads do not grow memory), an idle timeout
  and a connection cap.

Every test ends with the node checked whole (`attack.assert_alive_and_serving`). Deadlines
are configured short (a few seconds) so that each test stays well under 20 s.
"""

from __future__ import annotations

import secrets
import socket
import struct
import subprocess
import time

import pytest

import attack
import stun
from conftest import free_port, server_kind
from test_turn_uclient import self_signed_certificate

# The subject is not the UDP data path: `make test` runs this module with the first engine only.
RELAY_ENGINE_INDEPENDENT = True

USER, PASSWORD = "attack-user", "attack-password"
REALM = "attack.test"

pytestmark = pytest.mark.skipif(server_kind() != "turngate", reason="attacks on turngate itself")

# RSS growth allowed while a client pipelines without reading. Before the fix, 200,000
# requests grew the server by about 21 MiB (TURN) and 2,000 GETs by 52 MiB (metrics).
RSS_GROWTH_LIMIT_KIB = 8 * 1024
ALLOCATE_REQUEST = 0x0003


def start_server(turngate, extra=(), *, metrics_address: str | None = "127.0.0.1"):
    """A turngate with one static user and the metrics endpoint on a free port."""
    metrics_port = free_port()
    lines = [f"realm={REALM}", "lt-cred-mech", f"user={USER}:{PASSWORD}", "prometheus",
             f"prometheus-port={metrics_port}"]
    if metrics_address:
        lines.append(f"prometheus-address={metrics_address}")
    server = turngate.start([*lines, *extra])
    server.metrics_port = metrics_port
    server.metrics_url = f"http://127.0.0.1:{metrics_port}/metrics"
    assert attack.wait_until(lambda: attack.http_get(server.metrics_url)[0] == 200, 10), \
        f"no /metrics on port {metrics_port}\n{server.logs()}"
    return server


def refusals(server, reason: str) -> float:
    samples = attack.scrape_metrics(server.metrics_url)
    return attack.metric_sum(samples, "turn_stream_refusals_total", f'reason="{reason}"')


def connect(address: tuple, source: str | None = None, *, rcvbuf: int | None = None,
            timeout: float = 2.0) -> socket.socket:
    family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    if rcvbuf is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    if source is not None:
        sock.bind((source, 0))
    sock.settimeout(timeout)
    sock.connect(address)
    return sock


def binding_answered(sock: socket.socket) -> bool:
    """A Binding on an open connection is answered."""
    request, txid = stun.binding_request()
    try:
        sock.sendall(request)
        answer = stun.parse(stun.read_stream_message(sock))
    except (OSError, ConnectionError, ValueError):
        return False
    return answer.transaction_id == txid and answer.msg_type == stun.BINDING_SUCCESS


def closed_by_server(sock: socket.socket, timeout: float) -> bool:
    """Whether the server closes `sock` within `timeout` seconds (EOF or reset)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sock.settimeout(max(0.05, min(0.5, deadline - time.monotonic())))
        try:
            if sock.recv(65536) == b"":
                return True
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return True
    return False


def admitted_connection(address: tuple, attempts: int = 20) -> socket.socket:
    """A connection to the metrics endpoint that has answered a scrape, kept open; a refused
    one (a connection the server has not yet released still counts) is retried shortly."""
    for _ in range(attempts):
        sock = connect(address)
        try:
            sock.sendall(b"GET /metrics HTTP/1.1\r\nHost: metrics\r\n\r\n")
            if sock.recv(12).startswith(b"HTTP/1.1 200"):
                return sock
        except (ConnectionResetError, BrokenPipeError, socket.timeout):
            pass
        sock.close()
        time.sleep(0.1)
    raise AssertionError(f"the metrics endpoint admitted no connection in {attempts} attempts")


def pipeline_without_reading(sock: socket.socket, message: bytes, count: int, budget: float = 8.0) -> int:
    """Sends `count` copies of `message` as fast as the server takes them, never reading;
    stops when the server has not taken a byte for a second, or after `budget` seconds.
    Returns the bytes sent."""
    data = message * count
    sent = 0
    stalled_since = None
    deadline = time.monotonic() + budget
    sock.settimeout(0.2)
    while sent < len(data) and time.monotonic() < deadline:
        try:
            sent += sock.send(data[sent:sent + 65536])
            stalled_since = None
        except socket.timeout:
            stalled_since = stalled_since or time.monotonic()
            if time.monotonic() - stalled_since > 1.0:
                break
    return sent


@pytest.mark.parametrize("request_kind", ["allocate", "binding"])
def test_a_client_that_never_reads_cannot_grow_memory(turngate, request_kind):
    server = start_server(turngate)
    if request_kind == "allocate":
        message = stun.build_message(ALLOCATE_REQUEST, stun.new_transaction_id())  # 20 bytes, no credentials
    else:
        message, _ = stun.binding_request()
    before = attack.rss_kib(server.pid)
    attacker = connect(server.address, rcvbuf=4096)
    try:
        sent = pipeline_without_reading(attacker, message, 200_000)
        time.sleep(0.5)
        growth = attack.rss_kib(server.pid) - before
        assert growth < RSS_GROWTH_LIMIT_KIB, (
            f"RSS grew by {growth} KiB after {sent // len(message)} pipelined {request_kind} requests "
            f"on a connection that never reads")
        # The node keeps serving everyone else while the attacker's connection is stuck.
        attack.assert_alive_and_serving(server)
    finally:
        attacker.close()
    attack.assert_alive_and_serving(server)


def test_slowloris_is_closed_at_the_first_frame_deadline(turngate):
    server = start_server(turngate, ["tcp-first-frame-timeout=2", "tcp-idle-timeout=30"])
    request, _ = stun.binding_request()
    sock = connect(server.address)
    started = time.monotonic()
    closed = False
    try:
        for byte in request[:12]:  # one byte a second; the frame never completes in time
            try:
                sock.send(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            if closed_by_server(sock, 1.0):
                closed = True
                break
        elapsed = time.monotonic() - started
    finally:
        sock.close()
    assert closed, "a connection trickling one byte a second was kept open past the first-frame deadline"
    assert 1.5 <= elapsed <= 5.0, f"closed after {elapsed:.1f} s, the first-frame deadline is 2 s"
    assert refusals(server, "first_frame_timeout") >= 1
    attack.assert_alive_and_serving(server)


def test_slowloris_after_a_frame_is_closed_at_the_idle_deadline(turngate):
    server = start_server(turngate, ["tcp-first-frame-timeout=2", "tcp-idle-timeout=3"])
    sock = connect(server.address)
    try:
        assert binding_answered(sock), "the first Binding was not answered"
        started = time.monotonic()
        request, _ = stun.binding_request()
        closed = False
        for byte in request[:12]:  # bytes keep coming, but never a complete frame
            try:
                sock.send(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            if closed_by_server(sock, 1.0):
                closed = True
                break
        elapsed = time.monotonic() - started
    finally:
        sock.close()
    assert closed, "single bytes kept a connection open past the idle deadline"
    assert 2.5 <= elapsed <= 6.0, f"closed after {elapsed:.1f} s, the idle deadline is 3 s"
    assert refusals(server, "idle_timeout") >= 1
    attack.assert_alive_and_serving(server)


def test_complete_frames_keep_a_connection_open(turngate):
    server = start_server(turngate, ["tcp-first-frame-timeout=2", "tcp-idle-timeout=2"])
    sock = connect(server.address)
    try:
        for _ in range(4):  # 4 s in all, twice the idle deadline
            assert binding_answered(sock), "a connection sending a Binding every second was closed"
            time.sleep(1.0)
        assert binding_answered(sock)
    finally:
        sock.close()
    attack.assert_alive_and_serving(server)


def test_connections_over_the_per_source_cap_are_closed(turngate):
    cap = 4
    server = start_server(turngate, [f"tcp-connections-per-ip={cap}"])
    held = [connect(server.address, "127.0.0.1") for _ in range(cap)]
    try:
        for sock in held:
            assert binding_answered(sock)
        extra = connect(server.address, "127.0.0.1")
        try:
            assert closed_by_server(extra, 3.0), f"connection {cap + 1} from 127.0.0.1 was kept"
        finally:
            extra.close()
        other = connect(server.address, "127.0.0.2")
        try:
            assert binding_answered(other), "a connection from another source was refused"
        finally:
            other.close()
        assert refusals(server, "source_limit") >= 1
    finally:
        for sock in held:
            sock.close()
    # The slots come back: the health check's TCP probes come from 127.0.0.1.
    assert attack.wait_until(lambda: server.probe_tcp(), 5)
    attack.assert_alive_and_serving(server)


def test_connections_over_the_total_cap_are_closed(turngate):
    cap = 6
    server = start_server(turngate, [f"tcp-connection-limit={cap}"])
    held = [connect(server.address, f"127.0.0.{10 + i}") for i in range(cap)]
    try:
        for sock in held:
            assert binding_answered(sock)
        extra = connect(server.address, "127.0.0.50")
        try:
            assert closed_by_server(extra, 3.0), f"connection {cap + 1} was kept past the total cap"
        finally:
            extra.close()
        assert refusals(server, "total_limit") >= 1
    finally:
        for sock in held:
            sock.close()
    assert attack.wait_until(lambda: server.probe_tcp(), 5)
    attack.assert_alive_and_serving(server)


def test_a_tls_connection_without_a_client_hello_is_closed_at_the_handshake_deadline(turngate, tmp_path):
    cert, key = self_signed_certificate(tmp_path)
    tls_port = free_port()
    server = start_server(turngate, [f"cert={cert}", f"pkey={key}", f"tls-listening-port={tls_port}",
                                     "tls-handshake-timeout=2", "tcp-first-frame-timeout=30"])
    sock = connect((server.host, tls_port))
    started = time.monotonic()
    try:
        closed = closed_by_server(sock, 6.0)
        elapsed = time.monotonic() - started
    finally:
        sock.close()
    assert closed, "a TCP connection to the TLS port that never sent a ClientHello was kept"
    assert 1.5 <= elapsed <= 5.0, f"closed after {elapsed:.1f} s, the handshake deadline is 2 s"
    assert refusals(server, "handshake_timeout") >= 1
    attack.assert_alive_and_serving(server)


def test_the_accept_loops_back_off_at_the_open_files_limit(turngate):
    server = start_server(turngate)
    headroom = 12
    limit = attack.open_files(server.pid) + headroom
    subprocess.run(["prlimit", f"--pid={server.pid}", f"--nofile={limit}:{limit}"], check=True, timeout=10)
    clients = []
    try:
        # More connections than descriptors left, to the TURN and the metrics listener:
        # the rest wait in the listen backlogs while accept fails with EMFILE.
        for i in range(headroom + 20):
            target = server.address if i % 2 == 0 else ("127.0.0.1", server.metrics_port)
            clients.append(connect(target, timeout=2.0))
        assert attack.wait_until(lambda: attack.open_files(server.pid) >= limit - 1, 5), \
            f"the server holds {attack.open_files(server.pid)} of {limit} descriptors"
        time.sleep(0.5)
        before = attack.cpu_seconds(server.pid)
        time.sleep(2.0)
        used = (attack.cpu_seconds(server.pid) - before) / 2.0
        assert used < 0.3, f"the server used {used:.0%} of a core at the open-files limit"
    finally:
        for sock in clients:
            sock.close()
    # Recovered: the connections closed, descriptors are free, new connections are served.
    assert attack.wait_until(lambda: server.probe_tcp(), 10), "no TCP Binding answered after the limit"
    assert attack.wait_until(lambda: attack.http_get(server.metrics_url)[0] == 200, 10)
    assert refusals(server, "accept_failed") >= 1
    attack.assert_alive_and_serving(server)


def start_gateway_server(turngate, extra=()):
    """A turngate with the credential gateway listening on 127.0.0.1, a port of its own."""
    api_port = free_port()
    server = turngate.start([
        f"realm={REALM}", "use-auth-secret", f"static-auth-secret=rest-{secrets.token_hex(20)}",
        f"jwt-secret=jwt-{secrets.token_hex(24)}", "api-listening-ip=127.0.0.1",
        f"api-listening-port={api_port}", *extra,
    ])
    server.api_port = api_port
    server.readyz_url = f"http://127.0.0.1:{api_port}/readyz"
    assert attack.wait_until(lambda: attack.readyz(server.readyz_url)[0] == 200, 10), \
        f"GET /readyz on port {api_port} never answered 200\n{server.logs()}"
    return server


def test_the_gateway_accept_loop_backs_off_at_the_open_files_limit(turngate):
    server = start_gateway_server(turngate)
    headroom = 12
    limit = attack.open_files(server.pid) + headroom
    subprocess.run(["prlimit", f"--pid={server.pid}", f"--nofile={limit}:{limit}"], check=True, timeout=10)
    clients = []
    try:
        # More connections than descriptors left: the rest wait in the gateway's listen
        # backlog while accept fails with EMFILE.
        for _ in range(headroom + 20):
            clients.append(connect(("127.0.0.1", server.api_port), timeout=2.0))
        assert attack.wait_until(lambda: attack.open_files(server.pid) >= limit - 1, 5), \
            f"the server holds {attack.open_files(server.pid)} of {limit} descriptors"
        time.sleep(0.5)
        before = attack.cpu_seconds(server.pid)
        time.sleep(2.0)
        used = (attack.cpu_seconds(server.pid) - before) / 2.0
        assert used < 0.3, f"the server used {used:.0%} of a core at the open-files limit"
    finally:
        for sock in clients:
            sock.close()
    # Recovered: the connections closed, descriptors are free, the gateway answers again.
    assert attack.wait_until(lambda: attack.readyz(server.readyz_url)[0] == 200, 10), \
        f"GET /readyz not answered after the open-files limit\n{server.logs()}"
    assert "gateway cannot accept connections" in server.output()
    attack.assert_alive_and_serving(server)


def accepted_connections(pid: int, port: int) -> int:
    """Established TCP connections to local `port` that process `pid` has accepted (those
    still in the listen backlog belong to no process yet), via `ss -tnp`."""
    rows = subprocess.run(["ss", "-H", "-tnp", "state", "established"], capture_output=True, text=True,
                          timeout=10, check=True).stdout.splitlines()
    return sum(1 for row in rows
               if len(row.split()) >= 5 and row.split()[2].rpartition(":")[2] == str(port) and f"pid={pid}," in row)


def test_the_gateway_caps_its_connections(turngate):
    server = start_gateway_server(turngate, ["api-connection-limit=3"])
    held = [connect(("127.0.0.1", server.api_port)) for _ in range(3)]
    try:
        # The three idle connections, once accepted, fill the listener: a fourth waits in
        # the backlog, unanswered, until one of them closes.
        assert attack.wait_until(lambda: accepted_connections(server.pid, server.api_port) == 3, 5), \
            f"{accepted_connections(server.pid, server.api_port)} connections accepted, expected 3"
        status, _ = attack.http_get(server.readyz_url, timeout=1.5)
        assert status == 0, f"GET /readyz answered {status} with 3 of 3 connections held"
        waiting = connect(("127.0.0.1", server.api_port), timeout=5.0)
        waiting.sendall(b"GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        held.pop().close()
        answer = waiting.recv(64)
        waiting.close()
        assert answer.startswith(b"HTTP/1.1 200"), f"the waiting request got {answer!r}"
    finally:
        for sock in held:
            sock.close()
    assert attack.wait_until(lambda: attack.readyz(server.readyz_url)[0] == 200, 10)
    attack.assert_alive_and_serving(server)


def test_pipelined_metrics_requests_on_a_connection_that_never_reads(turngate):
    server = start_server(turngate)
    before = attack.rss_kib(server.pid)
    request = b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    attacker = connect(("127.0.0.1", server.metrics_port), rcvbuf=4096)
    try:
        pipeline_without_reading(attacker, request, 2000, budget=5.0)
        time.sleep(1.0)
        growth = attack.rss_kib(server.pid) - before
        assert growth < RSS_GROWTH_LIMIT_KIB, f"RSS grew by {growth} KiB after 2,000 pipelined GETs"
        # Others still scrape while the attacker's connection is stuck.
        assert attack.http_get(server.metrics_url)[0] == 200
    finally:
        attacker.close()
    attack.assert_alive_and_serving(server)


def test_the_metrics_endpoint_closes_idle_connections_and_caps_them(turngate):
    server = start_server(turngate, ["prometheus-idle-timeout=2", "prometheus-connection-limit=3"])
    metrics = ("127.0.0.1", server.metrics_port)
    idle = connect(metrics)
    started = time.monotonic()
    try:
        assert closed_by_server(idle, 5.0), "an idle metrics connection was kept"
        assert 1.5 <= time.monotonic() - started <= 4.5
    finally:
        idle.close()
    # The server counts a connection until its channel is inactive, which may be a moment
    # after the client has seen it closed: each held connection is admitted (it answers a
    # scrape) before the next opens, so exactly three are counted when the fourth comes.
    held = [admitted_connection(metrics) for _ in range(3)]
    try:
        extra = connect(metrics)
        try:
            # Refused at once: well inside the 2 s idle timeout that would also close it.
            assert closed_by_server(extra, 1.0), "a fourth metrics connection was kept past the cap of 3"
        finally:
            extra.close()
    finally:
        for sock in held:
            sock.close()
    assert attack.wait_until(lambda: attack.http_get(server.metrics_url)[0] == 200, 5)
    samples = attack.scrape_metrics(server.metrics_url)
    assert attack.metric_sum(samples, "turngate_metrics_connections_refused_total") >= 1
    attack.assert_alive_and_serving(server)


def test_the_metrics_endpoint_listens_on_loopback_by_default(turngate):
    server = start_server(turngate, metrics_address=None)
    rows = subprocess.run(["ss", "-Htln", f"sport = :{server.metrics_port}"], capture_output=True,
                          text=True, timeout=10, check=True).stdout.split("\n")
    locals_ = [row.split()[3] for row in rows if row.strip()]
    assert locals_ == [f"127.0.0.1:{server.metrics_port}"], f"metrics listener(s): {locals_}"
    attack.assert_alive_and_serving(server)
