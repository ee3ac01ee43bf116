"""IPv6 and RFC 8656 dual allocations: one Allocate with ADDITIONAL-ADDRESS-FAMILY gets an
IPv4 and an IPv6 relayed address, and relays to peers of both families. All on 127.0.0.1 and ::1."""

from __future__ import annotations

import shutil
import struct
import subprocess

import pytest

import stun
import turnclient as tc
from conftest import free_port, ipv6_loopback_available, turngate_only
from test_turn_uclient import CLIENTS, MESSAGES, assert_all_echoed, run_uclient

USER = "alice"
PASSWORD = "alice-password"
ATTR_ADDITIONAL_ADDRESS_FAMILY = 0x8000
ATTR_ADDRESS_ERROR_CODE = 0x8001

needs_ipv6 = pytest.mark.skipif(not ipv6_loopback_available(), reason="no IPv6 loopback (::1)")


def relayed_addresses(msg: stun.StunMessage) -> list:
    return [stun.decode_xor_address(value, msg.transaction_id)
            for kind, value in msg.attributes if kind == tc.ATTR_XOR_RELAYED_ADDRESS]


@needs_ipv6
@turngate_only("coturn 4.6.1 answers ADDITIONAL-ADDRESS-FAMILY with one family only")
def test_dual_allocation_relays_to_both_families(turn_server, echo_peers):
    server = turn_server.start(users={USER: PASSWORD}, relay_ip="127.0.0.1", options=["relay-ip=::1"])
    peer4 = echo_peers("127.0.0.1")
    peer6 = echo_peers("::1")
    with tc.TurnClient((server.host, server.port), USER, PASSWORD) as c:
        msg = c.allocate(extra=[(ATTR_ADDITIONAL_ADDRESS_FAMILY, struct.pack("!B3x", stun.FAMILY_IPV6))])
        relayed = relayed_addresses(msg)
        assert [address[0] for address in relayed] == ["127.0.0.1", "::1"], \
            f"expected an IPv4 and an IPv6 XOR-RELAYED-ADDRESS: {tc.describe(msg)}"
        assert msg.get(ATTR_ADDRESS_ERROR_CODE) is None, f"unexpected ADDRESS-ERROR-CODE: {tc.describe(msg)}"
        for channel, peer in ((0x4001, peer4), (0x4002, peer6)):
            bound = c.channel_bind(channel, peer.address)
            assert bound.cls == stun.CLASS_SUCCESS, f"ChannelBind to {peer.address}: {tc.describe(bound)}"
        for channel, peer in ((0x4001, peer4), (0x4002, peer6)):
            payload = f"to {peer.address[0]}".encode()
            c.send_channel_data(channel, payload)
            got = c.recv_data(3)
            assert got == (peer.address, payload), f"echo from {peer.address}: {got!r}"
        # Each family's peer saw the relayed address of its own family as the source.
        assert peer4.received and peer4.received[0][0][0] == "127.0.0.1", peer4.received
        assert peer6.received and peer6.received[0][0][0] == "::1", peer6.received


@needs_ipv6
def test_dual_allocation_without_an_ipv6_relay_reports_440(turn_server):
    server = turn_server.start(users={USER: PASSWORD}, relay_ip="127.0.0.1")
    with tc.TurnClient((server.host, server.port), USER, PASSWORD) as c:
        msg = c.allocate(extra=[(ATTR_ADDITIONAL_ADDRESS_FAMILY, struct.pack("!B3x", stun.FAMILY_IPV6))])
        assert len(relayed_addresses(msg)) == 1, tc.describe(msg)
        error = msg.get(ATTR_ADDRESS_ERROR_CODE)
        assert error is not None, f"no ADDRESS-ERROR-CODE for the missing IPv6 relay: {tc.describe(msg)}"
        family, _, klass, number = struct.unpack_from("!BBBB", error)
        assert (family, klass * 100 + number) == (stun.FAMILY_IPV6, 440), error.hex()


class _Endpoint:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port


@needs_ipv6
def test_uclient_over_ipv6(turn_server):
    """coturn's client, over UDP on ::1, with an IPv6 relay (-x) to coturn's peer on ::1."""
    server = turn_server.start(users={USER: PASSWORD}, host="::1", relay_ip="::1")
    peer_port = free_port("::1")
    peer = subprocess.Popen([shutil.which("turnutils_peer") or "turnutils_peer", "-L", "::1", "-p", str(peer_port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        rc, output, cmd = run_uclient(server, _Endpoint("::1", peer_port), "-c", "-x",
                                      credentials=("-u", USER, "-w", PASSWORD))
        assert_all_echoed(rc, output, cmd, MESSAGES * CLIENTS)
    finally:
        peer.terminate()
        peer.wait(timeout=5)
