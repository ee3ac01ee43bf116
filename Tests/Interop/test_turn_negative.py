"""TURN allocations driven by a raw Python client (turnclient.py): authentication,
peer policy, quotas, error codes, retransmissions, and data relayed both ways.

Runs against turngate, or coturn with INTEROP_SERVER=coturn. Every wait is bounded
(socket timeouts of a few seconds); only loopback addresses ever receive traffic
(CreatePermission for a denied or private address sends nothing to it).
"""

from __future__ import annotations

import struct
import time

import pytest

import stun
import turnclient as tc
from conftest import ipv6_loopback_available, server_kind, turngate_only

USER = "alice"
PASSWORD = "alice-password"
SECRETS = ["interop-secret-1", "interop-secret-2"]
NO_DATA_WAIT = 0.5

# coturn has no default deny list beyond loopback and multicast; TurnGate denies these
# ranges by default. For coturn the test adds them as `denied-peer-ip` lines so that the
# same requests can be checked against both servers.
COTURN_DENIED_RANGES = [
    "denied-peer-ip=0.0.0.0-0.255.255.255",
    "denied-peer-ip=10.0.0.0-10.255.255.255",
    "denied-peer-ip=100.64.0.0-100.127.255.255",
    "denied-peer-ip=169.254.0.0-169.254.255.255",
    "denied-peer-ip=172.16.0.0-172.31.255.255",
    "denied-peer-ip=192.168.0.0-192.168.255.255",
]


def coturn_denied_ranges() -> list:
    return COTURN_DENIED_RANGES if server_kind() == "coturn" else []


@pytest.fixture
def static_server(turn_server):
    return turn_server.start(users={USER: PASSWORD})


def client(server, username=USER, password=PASSWORD, **kwargs) -> tc.TurnClient:
    return tc.TurnClient(server.address, username, password, **kwargs)


def assert_code(msg, code: int, what: str) -> None:
    assert msg.cls == stun.CLASS_ERROR and msg.error_code()[0] == code, \
        f"{what}: expected error {code}, got {tc.describe(msg)}"


def assert_success(msg, what: str) -> None:
    assert msg.cls == stun.CLASS_SUCCESS, f"{what}: expected success, got {tc.describe(msg)}"


# --- allocation and authentication -------------------------------------------------

@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_allocate_static_user(static_server, transport):
    with client(static_server, transport=transport) as c:
        challenge = c.ensure_challenge()
        assert_code(challenge, 401, "unauthenticated Allocate")
        assert challenge.get(stun.ATTR_REALM) == static_server.realm.encode()
        assert challenge.get(stun.ATTR_NONCE), "401 without NONCE"

        msg = c.allocate()
        assert_success(msg, "Allocate")
        assert tc.verify_integrity(msg.raw, c.key), "success response without a valid MESSAGE-INTEGRITY"
        ip, port = c.relayed
        assert ip == static_server.relay_ip
        assert static_server.min_port <= port <= static_server.max_port, \
            f"relay port {port} outside min-port..max-port"
        assert c.mapped == c.local_address
        assert c.lifetime and c.lifetime > 0


def test_wrong_password_gets_401(static_server):
    with client(static_server, password="not-the-password") as c:
        msg = c.allocate(check=False)
        assert_code(msg, 401, "Allocate with a wrong password")
        assert msg.has(stun.ATTR_NONCE) and msg.has(stun.ATTR_REALM)


def test_unknown_user_gets_401(static_server):
    with client(static_server, username="mallory") as c:
        assert_code(c.allocate(check=False), 401, "Allocate as an unknown user")


@pytest.mark.parametrize("secret_index", [0, 1], ids=["first-secret", "second-secret"])
def test_rest_credentials_with_every_secret(turn_server, secret_index):
    server = turn_server.start(secrets=SECRETS)
    username, password = tc.rest_credentials(SECRETS[secret_index], USER, ttl=600)
    with client(server, username, password) as c:
        assert_success(c.allocate(check=False), f"Allocate with a REST credential of secret {secret_index}")


def test_expired_rest_credential_gets_401(turn_server):
    server = turn_server.start(secrets=SECRETS)
    username, password = tc.rest_credentials(SECRETS[0], USER, ttl=-60)
    with client(server, username, password) as c:
        assert_code(c.allocate(check=False), 401, "Allocate with an expired REST credential")


def test_rest_credential_of_unknown_secret_gets_401(turn_server):
    server = turn_server.start(secrets=SECRETS)
    username, password = tc.rest_credentials("some-other-secret", USER, ttl=600)
    with client(server, username, password) as c:
        assert_code(c.allocate(check=False), 401, "Allocate with a REST credential of another secret")


@turngate_only("coturn cannot mix lt-cred-mech users and use-auth-secret in one instance")
def test_static_user_and_rest_secret_in_one_instance(turn_server):
    server = turn_server.start(users={USER: PASSWORD}, secrets=SECRETS)
    with client(server) as c:
        assert_success(c.allocate(check=False), "Allocate as the static user")
    username, password = tc.rest_credentials(SECRETS[1], USER, ttl=600)
    with client(server, username, password) as c:
        assert_success(c.allocate(check=False), "Allocate with a REST credential")
    with client(server, password="wrong") as c:
        assert_code(c.allocate(check=False), 401, "static user with a wrong password")


def test_stale_nonce_gets_438_then_new_nonce_works(turn_server):
    server = turn_server.start(users={USER: PASSWORD}, options=["stale-nonce=2"])
    with client(server, retry_stale=False) as c:
        c.allocate()
        old_nonce = c.nonce
        time.sleep(3.2)
        msg = c.refresh(600)
        assert_code(msg, 438, "Refresh with a nonce older than stale-nonce")
        new_nonce = msg.get(stun.ATTR_NONCE)
        assert new_nonce and new_nonce != old_nonce, "438 without a fresh NONCE"
        c.nonce = new_nonce
        msg = c.refresh(600)
        assert_success(msg, "Refresh with the new nonce")
        assert tc.verify_integrity(msg.raw, c.key)


def test_max_allocate_lifetime_caps_requested_lifetime(turn_server):
    server = turn_server.start(users={USER: PASSWORD}, options=["max-allocate-lifetime=120"])
    with client(server) as c:
        c.allocate(lifetime=3600)
        assert 0 < c.lifetime <= 120, f"LIFETIME {c.lifetime} above max-allocate-lifetime=120"
        msg = c.refresh(3600)
        assert_success(msg, "Refresh")
        lifetime = struct.unpack("!I", msg.get(tc.ATTR_LIFETIME))[0]
        assert 0 < lifetime <= 120


def test_fingerprint_option(turn_server):
    server = turn_server.start(users={USER: PASSWORD}, options=["fingerprint"])
    with client(server, fingerprint=True) as c:
        msg = c.allocate()
        assert msg.fingerprint_ok(), f"Allocate response without a valid FINGERPRINT: {msg!r}"
        assert tc.verify_integrity(msg.raw, c.key)


# --- peer policy -------------------------------------------------------------------

DENIED_IPV4_PEERS = ["127.0.0.1", "0.0.0.0", "10.0.0.1", "169.254.169.254", "100.64.0.1", "192.168.1.1"]


def test_denied_peers_get_403(turn_server):
    # Neither allow-loopback-peers nor any peer option: TurnGate's default policy.
    server = turn_server.start(users={USER: PASSWORD}, allow_loopback_peers=False,
                               options=coturn_denied_ranges())
    results = {}
    with client(server) as c:
        c.allocate()
        for ip in DENIED_IPV4_PEERS:
            results[ip] = tc.error_code(c.create_permission(ip))
        bind = c.channel_bind(0x4000, ("10.0.0.1", 5000))
    wrong = {ip: code for ip, code in results.items() if code != 403}
    assert not wrong, f"CreatePermission must be refused with 403; got (None = success): {wrong}"
    assert_code(bind, 403, "ChannelBind to 10.0.0.1")


def test_denied_and_allowed_peer_ip_options(turn_server):
    server = turn_server.start(users={USER: PASSWORD},
                               options=["denied-peer-ip=127.0.0.5", "allowed-peer-ip=10.0.0.1",
                                        *coturn_denied_ranges()])
    with client(server) as c:
        c.allocate()
        assert_code(c.create_permission("127.0.0.5"), 403, "peer in denied-peer-ip")
        assert_success(c.create_permission("127.0.0.1"), "loopback peer with allow-loopback-peers")
        assert_success(c.create_permission("10.0.0.1"), "peer in allowed-peer-ip")
        assert_code(c.create_permission("10.0.0.2"), 403, "private peer outside allowed-peer-ip")


def test_ipv6_peer_on_ipv4_allocation_gets_443(static_server):
    with client(static_server) as c:
        c.allocate()
        assert_code(c.create_permission("2001:db8::1"), 443, "IPv6 peer on an IPv4 allocation")


needs_ipv6 = pytest.mark.skipif(not ipv6_loopback_available(), reason="no IPv6 loopback (::1)")


@pytest.fixture
def ipv6_server(turn_server):
    return turn_server.start(users={USER: PASSWORD}, host="::1", relay_ip="::1",
                             allow_loopback_peers=False, options=coturn_denied_ranges())


@needs_ipv6
@pytest.mark.parametrize("peer", [
    pytest.param("::ffff:127.0.0.1", marks=turngate_only(
        "coturn 4.6.1 lets IPv4-mapped loopback through (CVE-2026-27624)")),
    pytest.param("::ffff:10.0.0.1", marks=turngate_only(
        "coturn does not apply IPv4 denied-peer-ip ranges to IPv4-mapped IPv6 peers")),
    "::1",
])
def test_ipv6_relay_denies_loopback_and_mapped_peers(ipv6_server, peer):
    with client(ipv6_server) as c:
        c.allocate(family=stun.FAMILY_IPV6)
        assert c.relayed[0] == "::1", f"relayed address {c.relayed}, expected ::1"
        assert_code(c.create_permission(peer), 403, f"CreatePermission for {peer}")


@needs_ipv6
def test_ipv6_relay_roundtrip(turn_server, echo_peers):
    server = turn_server.start(users={USER: PASSWORD}, host="::1", relay_ip="::1")
    peer = echo_peers("::1")
    with client(server) as c:
        c.allocate(family=stun.FAMILY_IPV6)
        assert c.relayed[0] == "::1"
        assert_success(c.channel_bind(0x4001, peer.address), "ChannelBind to an IPv6 peer")
        c.send_channel_data(0x4001, b"over IPv6")
        got = c.recv_data(3)
        assert got == (peer.address, b"over IPv6"), f"echo over the IPv6 relay: {got!r}"


# --- quotas and errors ----------------------------------------------------------------

def test_user_quota_gets_486(turn_server):
    server = turn_server.start(users={USER: PASSWORD}, options=["user-quota=1"])
    with client(server) as first, client(server) as second:
        first.allocate()
        assert_code(second.allocate(check=False), 486, "second allocation over user-quota=1")
        assert_success(first.refresh(0), "Refresh with LIFETIME 0")
        # The quota is given back when the allocation is deleted.
        deadline = time.monotonic() + 3
        while True:
            msg = second.allocate(check=False)
            if msg.cls == stun.CLASS_SUCCESS or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert_success(msg, "allocation after the first one was deleted")


def test_unknown_comprehension_required_attribute_gets_420(static_server):
    with client(static_server) as c:
        c.ensure_challenge()
        data, txid = c.build_request(tc.ALLOCATE, [tc.requested_transport(), (0x7F01, b"\x00" * 4)])
        msg = c.transact(data, txid)
        assert_code(msg, 420, "Allocate with attribute 0x7F01")
        unknown = msg.get(stun.ATTR_UNKNOWN_ATTRIBUTES)
        assert unknown is not None, f"420 without UNKNOWN-ATTRIBUTES: {msg!r}"
        listed = [struct.unpack_from("!H", unknown, i)[0] for i in range(0, len(unknown) - 1, 2)]
        assert 0x7F01 in listed, f"UNKNOWN-ATTRIBUTES lists {[hex(t) for t in listed]}"
        # And no allocation was made: a normal Allocate still succeeds.
        assert_success(c.allocate(check=False), "Allocate after the 420")


def test_retransmitted_allocate_gets_identical_response(static_server):
    with client(static_server) as c:
        c.ensure_challenge()
        data, txid = c.build_request(tc.ALLOCATE, [tc.requested_transport()])
        first = c.transact(data, txid, retries=1)
        assert_success(first, "Allocate")
        second = c.transact(data, txid, retries=1)
        assert second.raw == first.raw, (f"retransmission answered differently:\n"
                                         f"first:  {tc.describe(first)}\nsecond: {tc.describe(second)}")


@turngate_only("coturn 4.6.1 keeps the allocation about 1 s after a Refresh with LIFETIME 0, "
               "then answers 400 instead of 437")
def test_refresh_zero_deletes_allocation(static_server):
    with client(static_server) as c:
        c.allocate()
        assert_success(c.create_permission("127.0.0.1"), "CreatePermission before the delete")
        assert_success(c.refresh(0), "Refresh with LIFETIME 0")
        assert_code(c.create_permission("127.0.0.1"), 437, "CreatePermission after the delete")
        assert_code(c.refresh(600), 437, "Refresh after the delete")


def test_refresh_zero_stops_relaying(static_server, echo_peer):
    with client(static_server) as c:
        c.allocate()
        assert_success(c.create_permission(echo_peer.address), "CreatePermission")
        c.send_indication(echo_peer.address, b"before")
        assert c.recv_data(3) == (echo_peer.address, b"before")
        assert_success(c.refresh(0), "Refresh with LIFETIME 0")
        time.sleep(1.5)  # coturn deletes about 1 s after the Refresh; turngate at once
        c.send_indication(echo_peer.address, b"after")
        echo_peer.send(b"to the old relayed address", c.relayed)
        time.sleep(NO_DATA_WAIT)
        assert echo_peer.payloads() == [b"before"], \
            f"data relayed after the allocation was deleted: {echo_peer.payloads()}"
        assert c.recv_data(0.1) is None


def test_refresh_without_allocation_gets_437(static_server):
    with client(static_server) as c:
        c.ensure_challenge()
        assert_code(c.refresh(600), 437, "Refresh without an allocation")


@turngate_only("coturn 4.6.1 answers CreatePermission and ChannelBind without an allocation with 400")
def test_permission_and_channel_without_allocation_get_437(static_server):
    with client(static_server) as c:
        c.ensure_challenge()
        assert_code(c.create_permission("127.0.0.1"), 437, "CreatePermission without an allocation")
        assert_code(c.channel_bind(0x4000, ("127.0.0.1", 5000)), 437, "ChannelBind without an allocation")


def test_second_allocate_on_same_5tuple_gets_437(static_server):
    with client(static_server) as c:
        c.allocate()
        assert_code(c.allocate(check=False), 437, "a second Allocate (new transaction) on one 5-tuple")


def test_channel_bind_numbers(static_server, echo_peers):
    peer_a = echo_peers()
    peer_b = echo_peers()
    with client(static_server) as c:
        c.allocate()
        assert_success(c.channel_bind(0x5000, peer_a.address), "ChannelBind 0x5000 (RFC 5766 range)")
        assert_success(c.channel_bind(0x4000, peer_b.address), "ChannelBind 0x4000")
        assert_success(c.channel_bind(0x5000, peer_a.address), "refreshing ChannelBind 0x5000")
        assert_code(c.channel_bind(0x3FFF, peer_a.address), 400, "ChannelBind 0x3FFF")
        assert_code(c.channel_bind(0x8000, peer_a.address), 400, "ChannelBind 0x8000")
        assert_code(c.channel_bind(0x5000, peer_b.address), 400, "channel 0x5000 to another peer")
        assert_code(c.channel_bind(0x5001, peer_a.address), 400, "a second channel to the same peer")
        c.send_channel_data(0x5000, b"through 0x5000")
        assert c.recv_data(3) == (peer_a.address, b"through 0x5000")


def test_even_port_and_reservation_token(static_server):
    with client(static_server) as first, client(static_server) as second:
        msg = first.allocate(even_port=True)
        port = first.relayed[1]
        assert port % 2 == 0, f"EVEN-PORT allocation got odd port {port}"
        token = msg.get(tc.ATTR_RESERVATION_TOKEN)
        assert token is not None and len(token) == 8, f"no 8-byte RESERVATION-TOKEN: {msg!r}"
        second.allocate(reservation_token=token)
        assert second.relayed == (first.relayed[0], port + 1), \
            f"reserved allocation at {second.relayed}, expected port {port + 1}"


# --- data relayed both ways -------------------------------------------------------------

@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_send_and_data_indications(static_server, echo_peer, transport):
    with client(static_server, transport=transport) as c:
        c.allocate()
        assert_success(c.create_permission(echo_peer.address), "CreatePermission")
        for i in range(5):
            payload = f"send-{i}-".encode() + tc.random_payload(37 + i)
            c.send_indication(echo_peer.address, payload)
            got = c.recv_data(3)
            assert got == (echo_peer.address, payload), f"message {i}: got {got!r}"
        assert set(echo_peer.sources()) == {c.relayed}, \
            f"peer saw sources {set(echo_peer.sources())}, expected the relayed address {c.relayed}"


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_channel_data(static_server, echo_peer, transport):
    with client(static_server, transport=transport) as c:
        c.allocate()
        assert_success(c.channel_bind(0x4001, echo_peer.address), "ChannelBind")
        for i in range(5):
            # Odd sizes exercise the 4-byte padding of ChannelData over TCP.
            payload = tc.random_payload(1 + 7 * i)
            c.send_channel_data(0x4001, payload)
            got = c.recv_data(3)
            assert got == (echo_peer.address, payload), f"message {i}: got {got!r}"
        assert set(echo_peer.sources()) == {c.relayed}


def test_no_relay_without_permission(static_server, echo_peers):
    allowed = echo_peers()
    # Permissions are per IP address (the port does not count): the stranger needs
    # another address, 127.0.0.3 (all of 127.0.0.0/8 is loopback on Linux).
    stranger = echo_peers("127.0.0.3", echo=False)
    with client(static_server) as c:
        c.allocate()
        # Client -> unpermitted peer: dropped.
        c.send_indication(allowed.address, b"no permission yet")
        time.sleep(NO_DATA_WAIT)
        assert allowed.payloads() == [], "data reached a peer without a permission"
        assert c.recv_data(0.1) is None
        # Unpermitted peer -> relayed address: dropped; permitted peer: delivered.
        assert_success(c.create_permission(allowed.address), "CreatePermission")
        stranger.send(b"from a stranger", c.relayed)
        assert c.recv_data(NO_DATA_WAIT) is None, "data from an unpermitted peer was relayed"
        allowed.send(b"from the peer", c.relayed)
        assert c.recv_data(3) == (allowed.address, b"from the peer")
