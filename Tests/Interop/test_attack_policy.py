"""Attacks on the relay's policy: reaching the server itself through its relay, holding
ports beyond a quota, port-range edges, and what unauthenticated requests can learn or
reflect.

- Self-address peers. With `allow-loopback-peers` (as every loopback test runs), a peer on
  127.0.0.1 is reachable, but the server's own ports on that address (TURN listener,
  gateway, metrics) are not: ChannelBind gets 403 and a Binding request sent to the
  listener through the relay draws no answer. An `allowed-peer-ip` range that covers the
  host's interface address does not open it; only an entry naming it does, and even then
  not the server's own ports.
- Peer port 0: ChannelBind gets 403.
- TURN-in-TURN: an Allocate sent through an allocation to the server's own listener is
  refused (never answered, nothing allocated).
- EVEN-PORT churn: reservations end with their allocation (no socket left behind) and
  count against `user-quota`.
- Default quotas: one user gets 10 allocations, not every port; `user-quota=0` is warned
  about at start.
- Port-range edges: `min-port = max-port = 65535` and a single odd port: EVEN-PORT gets 508
  at once, nothing binds outside the range, no crash.
- The CONNECTION-ID oracle: without credentials, ConnectionBind answers a live and a random
  CONNECTION-ID alike.
- The challenge limit: a flood of unauthenticated requests from one source gets at most
  the burst plus the rate in answers, and is counted.

Every test ends with the node checked whole (`attack.assert_alive_and_serving`).
"""

from __future__ import annotations

import random
import secrets
import socket
import struct
import subprocess
import time

import pytest

import attack
import stun
import turnclient as tc
from conftest import free_port, server_kind
from test_turn_tcp_relay import (ATTR_CONNECTION_ID, CONNECT, CONNECTION_BIND, PROTO_TCP, TcpEchoPeer,
                                 connection_id)

USER, PASSWORD = "policy-user", "policy-password"
OTHER, OTHER_PASSWORD = "policy-other", "other-password"
REALM = "policy.test"
# How long a relayed answer may take to come back before it counts as never sent.
NO_ANSWER_WAIT = 1.0

pytestmark = pytest.mark.skipif(server_kind() != "turngate", reason="attacks on turngate itself")


def start_relay(turngate, *, min_port: int | None = None, span: int = 200, gateway: bool = False,
                extra=(), probe: str = "udp"):
    """A turngate on 127.0.0.1 with two static users, loopback peers allowed and Prometheus
    on a free port; with `gateway`, the HTTP gateway too. Records `metrics_port`,
    `api_port`, `min_port`, `max_port` and `udp_sockets` on the server."""
    metrics_port = free_port()
    if min_port is None:
        min_port = random.randrange(20000, 31800, 2)
    lines = ["relay-ip=127.0.0.1", f"min-port={min_port}", f"max-port={min_port + span - 1}",
             f"realm={REALM}", "lt-cred-mech", f"user={USER}:{PASSWORD}",
             f"user={OTHER}:{OTHER_PASSWORD}", "allow-loopback-peers", "prometheus",
             f"prometheus-port={metrics_port}", "prometheus-address=127.0.0.1", *extra]
    api_port = None
    if gateway:
        api_port = free_port()
        lines += ["api-listening-ip=127.0.0.1", f"api-listening-port={api_port}",
                  f"jwt-secret={secrets.token_hex(32)}", "use-auth-secret",
                  f"static-auth-secret={secrets.token_hex(20)}"]
    server = turngate.start(lines, probe=probe)
    server.metrics_port, server.api_port = metrics_port, api_port
    server.min_port, server.max_port = min_port, min_port + span - 1
    server.metrics_url = f"http://127.0.0.1:{metrics_port}/metrics"
    assert attack.wait_until(lambda: attack.http_get(server.metrics_url)[0] == 200, 10), \
        f"no /metrics on port {metrics_port}\n{server.logs()}"
    server.udp_sockets = attack.udp_listener_sockets(server.port, server.pid)
    return server


def client(server, user: str = USER, password: str = PASSWORD, **kwargs) -> tc.TurnClient:
    return tc.TurnClient(server.address, user, password, **kwargs)


def udp_sockets_in(server, low: int, high: int) -> list:
    """The local ports in low...high of the server's UDP sockets (`ss -uanp`)."""
    out = subprocess.run(["ss", "-H", "-uanp"], capture_output=True, text=True, timeout=10, check=True)
    ports = []
    for row in (line.split() for line in out.stdout.splitlines() if line.strip()):
        if len(row) < 5 or f"pid={server.pid}," not in " ".join(row[5:]):
            continue
        port = row[3].rpartition(":")[2]
        if port.isdigit() and low <= int(port) <= high:
            ports.append(int(port))
    return ports


def ignored(server, reason: str) -> float:
    samples = attack.scrape_metrics(server.metrics_url)
    return attack.metric_sum(samples, "turn_ignored_messages_total", f'reason="{reason}"')


def host_interface_ipv4() -> str | None:
    """A non-loopback IPv4 address of this host, or None."""
    try:
        out = subprocess.run(["ip", "-o", "-4", "addr", "show"], capture_output=True, text=True,
                             timeout=5, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in out.splitlines():
        fields = line.split()
        if "inet" in fields:
            address = fields[fields.index("inet") + 1].split("/")[0]
            if not address.startswith("127."):
                return address
    return None


def assert_whole(server) -> None:
    attack.assert_alive_and_serving(server, udp_sockets=server.udp_sockets)


# --- self-address peers ------------------------------------------------------------

def test_own_ports_on_loopback_stay_refused_with_loopback_peers_allowed(turngate, echo_peer):
    server = start_relay(turngate, gateway=True)
    with client(server) as alice:
        alice.allocate()
        # The control: loopback peers are open, so an echo peer on 127.0.0.1 is relayed to.
        bound = alice.channel_bind(0x4000, echo_peer.address)
        assert bound.cls == stun.CLASS_SUCCESS, tc.describe(bound)
        alice.send_channel_data(0x4000, b"control")
        assert alice.recv_data(timeout=2) is not None, "the loopback echo peer is not relayed to"
        # The server's own ports on the same address are not.
        for name, port in (("TURN listener", server.port), ("gateway", server.api_port),
                           ("metrics", server.metrics_port)):
            msg = alice.channel_bind(0x4001, ("127.0.0.1", port))
            assert tc.error_code(msg) == 403, f"ChannelBind to the {name} on 127.0.0.1:{port}: {tc.describe(msg)}"
        # A Binding request sent to the listener through the relay draws no answer.
        assert alice.create_permission("127.0.0.1").cls == stun.CLASS_SUCCESS
        denied_before = ignored(server, "denied_peer")
        request, _ = stun.binding_request()
        alice.send_indication(("127.0.0.1", server.port), request)
        got = alice.recv_data(timeout=NO_ANSWER_WAIT)
        assert got is None, f"the server answered itself through the relay: {got!r}"
        assert ignored(server, "denied_peer") > denied_before
    assert_whole(server)


def test_a_host_address_opens_only_when_named(turngate):
    host = host_interface_ipv4()
    if host is None:
        pytest.skip("no non-loopback IPv4 interface address")
    first = host.split(".")[0]
    # A range wide enough to hold the host's own address (and its neighbours).
    server = start_relay(turngate, extra=[f"allowed-peer-ip={first}.0.0.0/8"])
    with client(server) as alice:
        alice.allocate()
        msg = alice.create_permission(host)
        assert tc.error_code(msg) == 403, f"CreatePermission for the host's own {host}: {tc.describe(msg)}"
        octets = host.split(".")
        neighbour = ".".join(octets[:3] + [str((int(octets[3]) % 250) + 2)])
        msg = alice.create_permission(neighbour)
        assert msg.cls == stun.CLASS_SUCCESS, f"CreatePermission for {neighbour}: {tc.describe(msg)}"
    server.stop()
    named = start_relay(turngate, extra=[f"allowed-peer-ip={host}"])
    with client(named) as alice:
        alice.allocate()
        assert alice.create_permission(host).cls == stun.CLASS_SUCCESS
        msg = alice.channel_bind(0x4000, (host, named.port))
        assert tc.error_code(msg) == 403, f"ChannelBind to the listener port on {host}: {tc.describe(msg)}"
        msg = alice.channel_bind(0x4000, (host, named.metrics_port))
        assert tc.error_code(msg) == 403, f"ChannelBind to the metrics port on {host}: {tc.describe(msg)}"
        assert alice.channel_bind(0x4000, (host, 7)).cls == stun.CLASS_SUCCESS
    assert_whole(named)


def test_peer_port_zero_is_refused(turngate, echo_peer):
    server = start_relay(turngate)
    with client(server) as alice:
        alice.allocate()
        msg = alice.channel_bind(0x4000, (echo_peer.address[0], 0))
        assert tc.error_code(msg) == 403, f"ChannelBind to port 0: {tc.describe(msg)}"
        assert alice.create_permission(echo_peer.address[0]).cls == stun.CLASS_SUCCESS
        alice.send_indication((echo_peer.address[0], 0), b"to port zero")
        # The relay socket lives on and relays.
        assert alice.channel_bind(0x4001, echo_peer.address).cls == stun.CLASS_SUCCESS
        alice.send_channel_data(0x4001, b"after port zero")
        got = alice.recv_data(timeout=2)
        assert got is not None and got[1] == b"after port zero", f"relaying stopped: {got!r}"
        assert len(udp_sockets_in(server, alice.relayed[1], alice.relayed[1])) == 1, "the relay socket closed"
    assert_whole(server)


def test_an_allocate_through_the_relay_to_the_own_listener_is_refused(turngate):
    server = start_relay(turngate)
    with client(server) as alice:
        alice.allocate()
        assert alice.create_permission("127.0.0.1").cls == stun.CLASS_SUCCESS
        relayed_before = len(udp_sockets_in(server, server.min_port, server.max_port))
        inner, _ = alice.build_request(tc.ALLOCATE, [tc.requested_transport()], auth=False)
        for _ in range(3):
            alice.send_indication(("127.0.0.1", server.port), inner)
        got = alice.recv_data(timeout=NO_ANSWER_WAIT)
        assert got is None, f"the nested Allocate was answered: {got!r}"
        assert len(udp_sockets_in(server, server.min_port, server.max_port)) == relayed_before
        msg = alice.channel_bind(0x4000, ("127.0.0.1", server.port))
        assert tc.error_code(msg) == 403, tc.describe(msg)
    with tc.TurnClient(server.address, USER, PASSWORD, transport="tcp") as control:
        msg = control.request(tc.ALLOCATE, [tc.requested_transport(PROTO_TCP)])
        assert msg.cls == stun.CLASS_SUCCESS, tc.describe(msg)
        msg = control.request(CONNECT, [tc.xor_peer_address("127.0.0.1", server.port)])
        assert tc.error_code(msg) == 403, f"Connect to the own TCP listener: {tc.describe(msg)}"
    assert_whole(server)


# --- EVEN-PORT reservations and quotas ---------------------------------------------

def test_even_port_churn_leaves_no_reservation_and_holds_the_quota(turngate):
    server = start_relay(turngate, span=100, extra=["user-quota=3"])
    deadline = time.monotonic() + 15
    with client(server) as alice:
        cycles = 0
        while cycles < 40 and time.monotonic() < deadline:
            msg = alice.allocate(even_port=True)
            token = msg.get(tc.ATTR_RESERVATION_TOKEN)
            assert token is not None and alice.relayed[1] % 2 == 0, tc.describe(msg)
            assert alice.refresh(0).cls == stun.CLASS_SUCCESS
            cycles += 1
        assert cycles >= 10, f"only {cycles} EVEN-PORT cycles in 15 s"
    assert attack.wait_until(lambda: not udp_sockets_in(server, server.min_port, server.max_port), 2), \
        f"relay or reserved sockets left after {cycles} deleted allocations: " \
        f"{udp_sockets_in(server, server.min_port, server.max_port)}"
    # An allocation with a reservation holds two of the three slots; the reservation is
    # claimable while its allocation lives.
    with client(server) as first, client(server) as second, client(server) as third:
        token = first.allocate(even_port=True).get(tc.ATTR_RESERVATION_TOKEN)
        msg = second.allocate(even_port=True, check=False)
        assert tc.error_code(msg) == 486, f"a second reservation over user-quota=3: {tc.describe(msg)}"
        third.allocate(reservation_token=token)
        assert third.relayed[1] == first.relayed[1] + 1
    assert_whole(server)


def test_one_user_cannot_take_every_port_by_default(turngate):
    server = start_relay(turngate, span=40)
    clients = []
    try:
        granted = 0
        for _ in range(12):
            c = client(server)
            clients.append(c)
            msg = c.allocate(check=False)
            if msg.cls == stun.CLASS_SUCCESS:
                granted += 1
            else:
                assert tc.error_code(msg) == 486, tc.describe(msg)
        assert granted == 10, f"one user got {granted} allocations with the default user-quota"
        with client(server, OTHER, OTHER_PASSWORD) as other:
            assert other.allocate(check=False).cls == stun.CLASS_SUCCESS, "the next user got nothing"
    finally:
        for c in clients:
            c.close()
    assert_whole(server)


def test_an_unlimited_quota_is_warned_about(turngate):
    server = start_relay(turngate, extra=["user-quota=0", "total-quota=0"])
    assert attack.wait_until(lambda: "user-quota=0" in server.output() and "total-quota=0" in server.output(), 5), \
        f"no start-up warning about the unlimited quotas\n{server.logs()}"
    assert_whole(server)


# --- port-range edges --------------------------------------------------------------

@pytest.mark.parametrize("port", [65535, None])
def test_even_port_on_a_range_without_an_even_pair_gets_508_at_once(turngate, port):
    if port is None:
        port = random.randrange(20001, 31999, 2)
    # total-quota above the one port, so that the port arithmetic, not the quota, decides.
    server = start_relay(turngate, min_port=port, span=1, extra=["total-quota=100"])
    with client(server) as alice:
        for even_port in (True, False):
            started = time.monotonic()
            msg = alice.allocate(even_port=even_port, check=False)
            assert tc.error_code(msg) == 508, f"EVEN-PORT R={int(even_port)} on {port}...{port}: {tc.describe(msg)}"
            assert time.monotonic() - started < 1.5, "508 took a search"
        assert port + 1 > 65535 or not udp_sockets_in(server, port + 1, port + 1), \
            f"a relay socket was bound outside {port}...{port}"
        msg = alice.allocate(check=False)
        assert msg.cls == stun.CLASS_SUCCESS and alice.relayed[1] == port, tc.describe(msg)
    assert_whole(server)


# --- unauthenticated answers -------------------------------------------------------

def test_connection_bind_without_credentials_cannot_tell_live_ids(turngate):
    server = start_relay(turngate, probe="tcp")
    peer = TcpEchoPeer()
    try:
        with tc.TurnClient(server.address, USER, PASSWORD, transport="tcp", timeout=5) as control:
            msg = control.request(tc.ALLOCATE, [tc.requested_transport(PROTO_TCP)])
            assert msg.cls == stun.CLASS_SUCCESS, tc.describe(msg)
            msg = control.request(CONNECT, [tc.xor_peer_address(*peer.address)], timeout=10)
            assert msg.cls == stun.CLASS_SUCCESS, tc.describe(msg)
            live = struct.unpack("!I", msg.get(ATTR_CONNECTION_ID))[0]
            random_id = (live ^ secrets.randbits(32)) or 1
            answers = {}
            for name, cid in (("live", live), ("random", random_id)):
                with tc.TurnClient(server.address, "mallory", "guess", transport="tcp", timeout=5) as data:
                    own = data.request(CONNECTION_BIND, [connection_id(cid)])
                    # A nonce of the owner's control connection, with a forged key.
                    data.nonce = control.nonce
                    data.retry_stale = False
                    foreign = data.request(CONNECTION_BIND, [connection_id(cid)])
                    answers[name] = (tc.error_code(own), tc.error_code(foreign))
            assert answers["live"] == answers["random"], f"different answers: {answers}"
            assert answers["live"][0] == 401, answers
    finally:
        peer.stop()
    assert_whole(server)


def test_a_flood_of_unauthenticated_requests_gets_few_answers(turngate):
    server = start_relay(turngate, extra=["challenge-rate=20"])
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(0.2)
        started = time.monotonic()
        for _ in range(400):
            txid = stun.new_transaction_id()
            body = stun.encode_attribute(tc.ATTR_REQUESTED_TRANSPORT, struct.pack("!B3x", tc.PROTO_UDP))
            sock.sendto(struct.pack("!HHI", tc.ALLOCATE, len(body), stun.MAGIC_COOKIE) + txid + body,
                        server.address)
        answers = 0
        while True:
            try:
                data = sock.recv(2048)
            except socket.timeout:
                break
            if stun.parse(data).cls == stun.CLASS_ERROR:
                answers += 1
        elapsed = time.monotonic() - started
    allowed = 40 + 20 * elapsed + 2
    assert answers <= allowed, f"{answers} challenges to one source in {elapsed:.2f} s (at most {allowed:.0f})"
    assert answers >= 20, f"only {answers} challenges: real clients would starve"
    assert ignored(server, "challenge_limited") >= 100, "the dropped requests are not counted"
    # Another source is still challenged.
    with client(server) as alice:
        assert alice.ensure_challenge().error_code()[0] == 401
    assert_whole(server)
