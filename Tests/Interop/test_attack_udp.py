"""Attacks on the UDP side of the relay: datagrams that once closed sockets or were
relayed cut short.

- Datagrams from source port 0 to every UDP listener socket. The answer to port 0 cannot
  be sent (EINVAL); a send error must cost that one datagram, never the socket. turngate
  opens one `SO_REUSEPORT` socket per event loop, and the kernel picks one by hashing the
  4-tuple, so the datagrams come from many 127.0.0.x addresses to reach every socket.
- Send indications and ChannelData to peer port 0, and to an IPv4-mapped peer
  (`::ffff:127.0.0.1`) on an IPv6 relay socket, which is IPv6-only: the allocation's relay
  socket must live on and keep relaying to a real peer.
- Oversized datagrams: a valid 2,100-byte Binding request is answered (not cut to 2,048
  bytes and refused with 400); datagrams over 2,048 bytes in either direction are relayed
  whole or not at all; 65,507-byte datagrams (the largest IPv4 UDP payload) harm nothing.

Every test ends with the node checked whole (`attack.assert_alive_and_serving`). The raw
socket the port-0 datagrams need is root-only: those tests are skipped otherwise.
"""

from __future__ import annotations

import os
import random
import secrets
import struct
import time

import pytest

import attack
import stun
import turnclient as tc
from conftest import free_port, ipv6_loopback_available, server_kind

USER, PASSWORD = "attack-user", "attack-password"
REALM = "attack.test"

# Enough port-0 datagrams that the kernel spreads them over every listener socket.
PORT_ZERO_SOURCES = 64
# How long a closed socket may take to disappear from `ss` after the last datagram.
SETTLE = 0.5

pytestmark = pytest.mark.skipif(server_kind() != "turngate", reason="attacks on turngate itself")
needs_raw = pytest.mark.skipif(not attack.raw_sockets_available(),
                               reason="sending from source port 0 needs a raw socket (root)")
needs_ipv6 = pytest.mark.skipif(not ipv6_loopback_available(), reason="no IPv6 loopback (::1)")

# Metric families that may count a datagram dropped for its source port, or an answer
# that could not be sent.
DROP_FAMILIES = ("turn_ignored_messages_total", "turn_send_errors_total", "turn_packet_dropped")


def start_relay(turngate, tmp_path, *, host: str = "127.0.0.1", relay_ips=("127.0.0.1",),
                gateway: bool = False, extra=()):
    """A turngate with one static user, loopback peers allowed, Prometheus on a free port
    and, with `gateway`, the HTTP gateway (for /readyz). Records `udp_sockets`, the
    number of UDP listener sockets it opened, on the returned server."""
    metrics_port = free_port()
    min_port = random.randrange(20000, 31800, 2)
    lines = [*(f"relay-ip={ip}" for ip in relay_ips), f"min-port={min_port}",
             f"max-port={min_port + 199}", f"realm={REALM}", "lt-cred-mech",
             f"user={USER}:{PASSWORD}", "allow-loopback-peers", "prometheus",
             f"prometheus-port={metrics_port}", "prometheus-address=127.0.0.1", *extra]
    api_port = None
    if gateway:
        api_port = free_port()
        lines += ["api-listening-ip=127.0.0.1", f"api-listening-port={api_port}",
                  f"jwt-secret={secrets.token_hex(32)}", "use-auth-secret",
                  f"static-auth-secret={secrets.token_hex(20)}"]
    server = turngate.start(lines, host=host)
    server.metrics_url = f"http://127.0.0.1:{metrics_port}/metrics"
    server.readyz_url = f"http://127.0.0.1:{api_port}/readyz" if gateway else None
    assert attack.wait_until(lambda: attack.http_get(server.metrics_url)[0] == 200, 10), \
        f"no /metrics on port {metrics_port}\n{server.logs()}"
    if gateway:
        assert attack.wait_until(lambda: attack.readyz(server.readyz_url)[0] == 200, 10), \
            f"/readyz not 200: {attack.readyz(server.readyz_url)}\n{server.logs()}"
    server.udp_sockets = attack.udp_listener_sockets(server.port, server.pid)
    assert server.udp_sockets >= 1, f"no UDP listener socket of pid {server.pid} on port {server.port}"
    return server


def drops_counted(server) -> float:
    samples = attack.scrape_metrics(server.metrics_url)
    return sum(attack.metric_sum(samples, family) for family in DROP_FAMILIES)


def allocate(server, family: int | None = None) -> tc.TurnClient:
    client = tc.TurnClient(server.address, USER, PASSWORD)
    client.allocate(family=family)
    return client


def assert_relays(client: tc.TurnClient, channel: int, peer) -> None:
    """A ChannelData round trip through the allocation to the echo `peer` and back."""
    bound = client.channel_bind(channel, peer.address)
    assert bound.cls == stun.CLASS_SUCCESS, f"ChannelBind to {peer.address}: {tc.describe(bound)}"
    for index in range(3):
        payload = f"still relaying {index}".encode()
        client.send_channel_data(channel, payload)
        got = client.recv_data(timeout=2)
        assert got is not None and got[1] == payload, \
            f"the relay socket no longer relays: echo {index} came back as {got!r}"


def assert_relay_socket_open(server, client: tc.TurnClient) -> None:
    port = client.relayed[1]
    assert attack.udp_listener_sockets(port, server.pid) == 1, \
        f"the allocation's relay socket (port {port}) is closed while the allocation lives\n{server.logs()}"


# --- 1. source port 0 on every listener socket ------------------------------------

@needs_raw
def test_port_zero_sources_close_no_listener_socket(turngate, tmp_path):
    server = start_relay(turngate, tmp_path, gateway=True)
    before = drops_counted(server)
    for index in range(PORT_ZERO_SOURCES):
        request, _ = stun.binding_request()
        attack.send_raw_udp((f"127.0.0.{2 + index}", 0), server.address, request)
    time.sleep(SETTLE)

    open_now = attack.udp_listener_sockets(server.port, server.pid)
    status, body = attack.readyz(server.readyz_url)
    # /readyz is truthful: it never says ready while a listener is gone.
    assert status != 200 or open_now == server.udp_sockets, \
        f"/readyz says {status} {body!r} with {open_now} of {server.udp_sockets} UDP listener sockets open"
    attack.assert_alive_and_serving(server, udp_sockets=server.udp_sockets)
    # Bindings from many source addresses, which the kernel hashes onto every socket.
    attack.assert_bindings_answered(server.address, tcp=False,
                                    sources=[(f"127.0.0.{100 + i}", 0) for i in range(16)])
    assert status == 200, f"/readyz answers {status} {body!r} after the attack"
    counted = attack.wait_until(lambda: drops_counted(server) - before >= PORT_ZERO_SOURCES, 3)
    assert counted, (f"{PORT_ZERO_SOURCES} datagrams from port 0 were dropped but "
                     f"{drops_counted(server) - before:.0f} counted in {', '.join(DROP_FAMILIES)}")


@needs_raw
@needs_ipv6
def test_port_zero_sources_over_ipv6_close_no_listener_socket(turngate, tmp_path):
    server = start_relay(turngate, tmp_path, host="::1", relay_ips=("::1",))
    for _ in range(PORT_ZERO_SOURCES):
        request, _ = stun.binding_request()
        attack.send_raw_udp(("::1", 0), server.address, request)
    time.sleep(SETTLE)
    attack.assert_alive_and_serving(server, udp_sockets=server.udp_sockets)


# --- 2. peer port 0 and IPv4-mapped peers on relay sockets -------------------------

def send_to_peer(client: tc.TurnClient, how: str, peer: tuple, payload: bytes) -> None:
    if how == "send-indication":
        client.send_indication(peer, payload)
    else:
        # The ChannelBind may be refused (peer port 0 is no peer); the ChannelData is sent
        # on that channel regardless.
        client.channel_bind(0x4ABC, peer)
        client.send_channel_data(0x4ABC, payload)


@pytest.mark.parametrize("how", ["send-indication", "channel-data"])
def test_peer_port_zero_keeps_the_relay_socket(turngate, tmp_path, echo_peer, how):
    server = start_relay(turngate, tmp_path)
    with allocate(server) as client:
        assert client.create_permission(echo_peer.address[0]).cls == stun.CLASS_SUCCESS
        for index in range(5):
            send_to_peer(client, how, (echo_peer.address[0], 0), f"to port 0, {index}".encode())
        time.sleep(SETTLE)
        assert_relay_socket_open(server, client)
        assert_relays(client, 0x4000, echo_peer)
        assert client.refresh(600).cls == stun.CLASS_SUCCESS
    attack.assert_alive_and_serving(server, udp_sockets=server.udp_sockets)


@needs_ipv6
@pytest.mark.parametrize("how", ["send-indication", "channel-data"])
def test_ipv4_mapped_peer_keeps_the_ipv6_relay_socket(turngate, tmp_path, echo_peers, how):
    server = start_relay(turngate, tmp_path, relay_ips=("::1",))
    mapped_peer = echo_peers("127.0.0.1")
    peer6 = echo_peers("::1")
    with allocate(server, family=stun.FAMILY_IPV6) as client:
        assert client.relayed[0] == "::1", f"relayed address {client.relayed}"
        mapped = (f"::ffff:{mapped_peer.address[0]}", mapped_peer.address[1])
        # The permission may be refused (the relay socket is IPv6-only); the data is sent anyway.
        client.create_permission(mapped[0])
        for index in range(5):
            send_to_peer(client, how, mapped, f"to an IPv4-mapped peer, {index}".encode())
        time.sleep(SETTLE)
        assert_relay_socket_open(server, client)
        assert_relays(client, 0x4000, peer6)
    attack.assert_alive_and_serving(server, udp_sockets=server.udp_sockets)


# --- 3. oversized datagrams ----------------------------------------------------------

ATTR_UNKNOWN_OPTIONAL = 0x80F3   # comprehension-optional, unassigned: ignored by the server


def padded_binding(total: int) -> tuple:
    """A valid Binding request of exactly `total` bytes (a multiple of 4, at least 28),
    padded with one comprehension-optional attribute the server must ignore."""
    txid = stun.new_transaction_id()
    value = os.urandom(total - stun.HEADER_LEN - 4)
    return stun.build_message(stun.BINDING_REQUEST, txid, [(ATTR_UNKNOWN_OPTIONAL, value)]), txid


def test_binding_over_2048_bytes_is_answered(turngate, tmp_path):
    server = start_relay(turngate, tmp_path)
    request, txid = padded_binding(2100)
    assert len(request) == 2100
    with stun.udp_socket(server.host) as sock:
        answer = stun.udp_transact(sock, server.address, request, txid, timeout=3, retries=2)
        mine = sock.getsockname()[:2]
    assert answer is not None, "no answer to a valid 2,100-byte Binding request"
    assert answer.msg_type == stun.BINDING_SUCCESS, f"answered {tc.describe(answer)}"
    assert answer.xor_mapped_address() == mine
    attack.assert_alive_and_serving(server, udp_sockets=server.udp_sockets)


def test_peer_datagrams_over_2048_bytes_are_never_relayed_truncated(turngate, tmp_path, echo_peers):
    server = start_relay(turngate, tmp_path)
    peer = echo_peers("127.0.0.1", echo=False)
    with allocate(server) as client:
        assert client.channel_bind(0x4001, peer.address).cls == stun.CLASS_SUCCESS
        sizes = (2049, 3000, 9000, 65_000)
        for size in sizes:
            payload = bytes([size % 251]) * size
            peer.send(payload, client.relayed)
            got = client.recv_data(timeout=1)
            assert got is None or got[1] == payload, \
                f"a {size}-byte peer datagram reached the client as {len(got[1])} bytes"
        # The allocation still relays small datagrams afterwards.
        peer.send(b"small", client.relayed)
        got = client.recv_data(timeout=2)
        while got is not None and got[1] != b"small":
            assert len(got[1]) in sizes, f"a peer datagram reached the client as {len(got[1])} bytes"
            got = client.recv_data(timeout=2)
        assert got is not None, "the relay stopped after the oversized datagrams"
    attack.assert_alive_and_serving(server, udp_sockets=server.udp_sockets)


@pytest.mark.parametrize("how", ["send-indication", "channel-data"])
def test_client_datagrams_over_2048_bytes_are_never_relayed_truncated(turngate, tmp_path,
                                                                       echo_peers, how):
    server = start_relay(turngate, tmp_path)
    peer = echo_peers("127.0.0.1", echo=False)
    with allocate(server) as client:
        assert client.channel_bind(0x4001, peer.address).cls == stun.CLASS_SUCCESS
        sizes = (2049, 3000, 9000)
        before = drops_counted(server)
        for size in sizes:
            payload = bytes([size % 251]) * size
            if how == "send-indication":
                client.send_indication(peer.address, payload)
            else:
                client.send_channel_data(0x4001, payload)
        client.send_channel_data(0x4001, b"small")
        assert attack.wait_until(lambda: b"small" in peer.payloads(), 3), \
            "the relay stopped after the oversized datagrams"
        cut = [len(data) for data in peer.payloads() if data != b"small" and len(data) not in sizes]
        assert not cut, f"datagrams over 2,048 bytes reached the peer cut to {cut} bytes"
        # Received whole or dropped and counted: none vanishes silently.
        missing = len(sizes) - sum(1 for data in peer.payloads() if len(data) in sizes)
        counted = attack.wait_until(lambda: drops_counted(server) - before >= missing, 3)
        assert counted, (f"{missing} of {len(sizes)} oversized datagrams neither reached the peer "
                         f"nor were counted in {', '.join(DROP_FAMILIES)}")
    attack.assert_alive_and_serving(server, udp_sockets=server.udp_sockets)


def test_65507_byte_datagrams_harm_nothing(turngate, tmp_path, echo_peers):
    server = start_relay(turngate, tmp_path)
    peer = echo_peers("127.0.0.1", echo=False)
    largest = 65_507
    with stun.udp_socket(server.host) as sock:
        # Raw bytes, a STUN header claiming the whole length, and the largest valid Binding
        # (the STUN length field is 16 bits and counts 4-byte words).
        sock.sendto(os.urandom(largest), server.address)
        txid = stun.new_transaction_id()
        sock.sendto(struct.pack("!HHI", stun.BINDING_REQUEST, 0xFFFC, stun.MAGIC_COOKIE) + txid
                    + os.urandom(largest - stun.HEADER_LEN), server.address)
        request, txid = padded_binding(largest - largest % 4)
        answer = stun.udp_transact(sock, server.address, request, txid, timeout=2, retries=1)
        assert answer is None or answer.msg_type == stun.BINDING_SUCCESS, \
            f"a {len(request)}-byte Binding was answered {tc.describe(answer)}: received truncated?"
    with allocate(server) as client:
        assert client.channel_bind(0x4001, peer.address).cls == stun.CLASS_SUCCESS
        client.send_channel_data(0x4001, os.urandom(largest - 4))
        # 36 bytes of header, XOR-PEER-ADDRESS and DATA header, and DATA padded to 4 bytes.
        indication_payload = largest - 36 - (largest - 36) % 4
        client.send_indication(peer.address, os.urandom(indication_payload))
        peer.send(os.urandom(largest), client.relayed)
        got = client.recv_data(timeout=1)
        assert got is None or len(got[1]) == largest, \
            f"a {largest}-byte peer datagram reached the client as {len(got[1])} bytes"
        cut = [len(data) for data in peer.payloads() if len(data) not in (largest - 4, indication_payload)]
        assert not cut, f"the peer received datagrams cut to {cut} bytes"
        client.send_channel_data(0x4001, b"small")
        assert attack.wait_until(lambda: b"small" in peer.payloads(), 3), \
            "the relay stopped after the 65,507-byte datagrams"
    attack.assert_alive_and_serving(server, udp_sockets=server.udp_sockets)
