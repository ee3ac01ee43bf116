"""STUN Binding against the real turngate process: coturn's client, Python over UDP/TCP/IPv6."""

from __future__ import annotations

import re
import shutil
import socket
import struct
import subprocess
import time

import pytest

import stun
import turnclient as tc
from conftest import ipv6_loopback_available

NO_ANSWER_WAIT = 0.3


def udp_binding(server, *, fingerprint=False, software=None, timeout=2.0):
    """Binding over UDP from a fresh socket: returns (response, client (ip, port))."""
    req, txid = stun.binding_request(fingerprint=fingerprint, software=software)
    with stun.udp_socket(server.host) as sock:
        msg = stun.udp_transact(sock, server.address, req, txid, timeout=timeout, retries=2)
        client = sock.getsockname()[:2]
    assert msg is not None, f"no answer to a Binding request within {timeout} s"
    return msg, client


def assert_binding_success(msg, client, txid=None):
    assert msg.msg_type == stun.BINDING_SUCCESS, f"expected 0x0101, got {msg!r}"
    assert msg.cls == stun.CLASS_SUCCESS and msg.method == 0x001
    if txid is not None:
        assert msg.transaction_id == txid
    assert msg.has(stun.ATTR_XOR_MAPPED_ADDRESS), f"no XOR-MAPPED-ADDRESS in {msg!r}"
    ip, port = msg.xor_mapped_address()
    assert (ip, port) == (client[0], client[1])


# --- a real client: coturn's turnutils_stunclient ---------------------------

def test_turnutils_stunclient_gets_reflexive_address(server):
    tool = shutil.which("turnutils_stunclient")
    assert tool, "turnutils_stunclient not found: install Debian's coturn (scripts/install-deps.sh test)"
    result = subprocess.run(
        [tool, "-p", str(server.port), "127.0.0.1"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=15,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"turnutils_stunclient exited {result.returncode}:\n{output}"
    # Its output looks like "0: : IPv4. UDP reflexive addr: 127.0.0.1:51441".
    found = re.findall(r"UDP reflexive addr: ([0-9.]+):(\d+)", output)
    assert found, f"no reflexive address in turnutils_stunclient output:\n{output}"
    for ip, port in found:
        assert ip == "127.0.0.1"
        assert 0 < int(port) < 65536
    assert server.alive()


# --- UDP from Python -------------------------------------------------------

def test_udp_binding_success_and_mapped_address(server):
    req, txid = stun.binding_request()
    with stun.udp_socket(server.host) as sock:
        msg = stun.udp_transact(sock, server.address, req, txid, timeout=2.0, retries=2)
        client = sock.getsockname()[:2]
    assert msg is not None, "no answer to a Binding request"
    assert_binding_success(msg, client, txid)
    # The response's own encoding must be strict STUN (parse() checked the framing).
    assert msg.length == len(msg.raw) - stun.HEADER_LEN


def test_udp_bindings_from_several_sockets_each_get_own_address(server):
    for _ in range(5):
        msg, client = udp_binding(server)
        assert_binding_success(msg, client)


def test_udp_repeated_requests_on_one_socket(server):
    with stun.udp_socket(server.host) as sock:
        client = sock.getsockname()[:2]
        for _ in range(20):
            req, txid = stun.binding_request()
            msg = stun.udp_transact(sock, server.address, req, txid, timeout=2.0, retries=2)
            assert msg is not None
            assert_binding_success(msg, client, txid)


def test_fingerprint_in_request_gives_fingerprint_in_response(server):
    msg, client = udp_binding(server, fingerprint=True)
    assert_binding_success(msg, client)
    assert msg.has(stun.ATTR_FINGERPRINT), f"no FINGERPRINT in {msg!r}"
    assert msg.attribute_types()[-1] == stun.ATTR_FINGERPRINT, "FINGERPRINT must be the last attribute"
    assert msg.fingerprint_ok(), "FINGERPRINT CRC in the response is wrong"


def test_no_fingerprint_in_request_gives_none_by_default(server):
    msg, client = udp_binding(server, fingerprint=False)
    assert_binding_success(msg, client)
    assert not msg.has(stun.ATTR_FINGERPRINT), f"unexpected FINGERPRINT in {msg!r}"


def test_fingerprint_config_adds_fingerprint_always(turngate):
    server = turngate.start(["fingerprint"])
    msg, client = udp_binding(server, fingerprint=False)
    assert_binding_success(msg, client)
    assert msg.has(stun.ATTR_FINGERPRINT), f"`fingerprint` configured but none in {msg!r}"
    assert msg.fingerprint_ok()


def test_software_attribute_when_configured(turngate):
    server = turngate.start(["software-name=TurnGateTest"])
    msg, client = udp_binding(server)
    assert_binding_success(msg, client)
    assert msg.software() == "TurnGateTest", f"SOFTWARE is {msg.software()!r} in {msg!r}"


def test_no_software_attribute(turngate):
    server = turngate.start(["no-software-attribute"])
    msg, client = udp_binding(server, fingerprint=True)
    assert_binding_success(msg, client)
    assert not msg.has(stun.ATTR_SOFTWARE), f"unexpected SOFTWARE {msg.software()!r}"
    assert msg.fingerprint_ok()


def test_request_with_software_attribute_is_answered(server):
    # A comprehension-optional attribute in the request must not stop the answer.
    msg, client = udp_binding(server, software="interop-test client", fingerprint=True)
    assert_binding_success(msg, client)


# --- TCP ---------------------------------------------------------------------

def test_tcp_binding(server):
    msg, client = stun.tcp_binding(server.host, server.port)
    assert_binding_success(msg, client)


def test_tcp_several_requests_on_one_connection_framed_by_length(server):
    with stun.tcp_connect(server.host, server.port) as sock:
        client = sock.getsockname()[:2]
        reqs = [stun.binding_request(fingerprint=(i % 2 == 0)) for i in range(3)]
        # All three in one write: the server must split them by their own length.
        sock.sendall(b"".join(r for r, _ in reqs))
        for req, txid in reqs:
            msg = stun.parse(stun.read_stream_message(sock))
            assert_binding_success(msg, client, txid)
        # One request dripped byte by byte.
        req, txid = stun.binding_request(fingerprint=True)
        for i in range(len(req)):
            sock.sendall(req[i:i + 1])
            time.sleep(0.002)
        msg = stun.parse(stun.read_stream_message(sock))
        assert_binding_success(msg, client, txid)
        assert msg.fingerprint_ok()


def test_tcp_only_server_with_no_udp(turngate):
    server = turngate.start(["no-udp"], probe="tcp")
    msg, client = stun.tcp_binding(server.host, server.port)
    assert_binding_success(msg, client)
    req, txid = stun.binding_request()
    with stun.udp_socket(server.host) as sock:
        sock.sendto(req, server.address)
        assert stun.udp_wait_for(sock, txid, NO_ANSWER_WAIT) is None, "no-udp, but UDP answered"


def test_udp_only_server_with_no_tcp(turngate):
    server = turngate.start(["no-tcp"])
    with pytest.raises(OSError):
        with stun.tcp_connect(server.host, server.port, timeout=1.0) as sock:
            sock.sendall(stun.binding_request()[0])
            stun.read_stream_message(sock)


# --- IPv6 ----------------------------------------------------------------------

@pytest.mark.skipif(not ipv6_loopback_available(), reason="this host cannot bind UDP and TCP sockets on ::1")
def test_ipv6_binding_udp_and_tcp(turngate):
    server = turngate.start(host="::1")
    msg, client = udp_binding(server, fingerprint=True)
    assert_binding_success(msg, client)
    value = msg.get(stun.ATTR_XOR_MAPPED_ADDRESS)
    assert value[1] == stun.FAMILY_IPV6 and len(value) == 20
    assert msg.fingerprint_ok()
    msg, client = stun.tcp_binding("::1", server.port)
    assert_binding_success(msg, client)


# --- malformed and garbage ---------------------------------------------------------

def test_malformed_request_gets_400(server):
    txid = stun.new_transaction_id()
    # Recognisable request: right cookie, request class, header length = real body
    # length (8), but the one attribute claims 100 bytes of value.
    broken_attr = struct.pack("!HH", stun.ATTR_SOFTWARE, 100) + b"abcd"
    req = stun.build_message(stun.BINDING_REQUEST, txid, [broken_attr])
    assert len(req) == 28 and struct.unpack_from("!H", req, 2)[0] == 8
    with stun.udp_socket(server.host) as sock:
        msg = stun.udp_transact(sock, server.address, req, txid, timeout=2.0, retries=2)
    assert msg is not None, "no answer to a malformed Binding request (expected 400)"
    assert msg.msg_type == stun.BINDING_ERROR, f"expected 0x0111, got {msg!r}"
    assert msg.cls == stun.CLASS_ERROR
    code, reason = msg.error_code()
    assert code == 400, f"ERROR-CODE {code} {reason!r}"
    assert server.alive()


def test_unknown_comprehension_required_attribute_gets_420(server):
    # RFC 8489 7.3.1: an unknown attribute in 0x0000-0x7FFF in a request means 420
    # with UNKNOWN-ATTRIBUTES naming it; unknown 0x8000-0xFFFF ones are ignored.
    txid = stun.new_transaction_id()
    req = stun.build_message(stun.BINDING_REQUEST, txid, [(0x7ABC, b"\x00" * 4)], fingerprint=True)
    with stun.udp_socket(server.host) as sock:
        msg = stun.udp_transact(sock, server.address, req, txid, timeout=2.0, retries=2)
    assert msg is not None, "no answer to a request with an unknown comprehension-required attribute"
    assert msg.msg_type == stun.BINDING_ERROR, f"expected 0x0111, got {msg!r}"
    code, reason = msg.error_code()
    assert code == 420, f"ERROR-CODE {code} {reason!r}"
    unknown = msg.get(stun.ATTR_UNKNOWN_ATTRIBUTES)
    assert unknown is not None and 0x7ABC in struct.unpack(f"!{len(unknown) // 2}H", unknown), msg

    txid = stun.new_transaction_id()
    req = stun.build_message(stun.BINDING_REQUEST, txid, [(0xFABC, b"\x00" * 4)])
    with stun.udp_socket(server.host) as sock:
        msg = stun.udp_transact(sock, server.address, req, txid, timeout=2.0, retries=2)
        client = sock.getsockname()[:2]
    assert msg is not None
    assert_binding_success(msg, client, txid)


def _garbage_cases():
    rng = __import__("random").Random(8489)
    txid = bytes(range(12))
    good = stun.binding_request(txid)[0]
    return [
        ("random-64", bytes(rng.getrandbits(8) for _ in range(64)), None),
        ("random-20", bytes(rng.getrandbits(8) for _ in range(20)), None),
        ("wrong-cookie", good[:4] + struct.pack("!I", 0x2112A443) + good[8:], txid),
        ("response-class", stun.build_message(stun.BINDING_SUCCESS, txid, []), txid),
        ("error-class", stun.build_message(stun.BINDING_ERROR, txid, []), txid),
        ("indication-class", stun.build_message(stun.BINDING_INDICATION, txid, []), txid),
        ("short-header", good[:19], txid),
        ("top-bits-set", struct.pack("!H", 0xC001) + good[2:], txid),
    ]


@pytest.mark.parametrize("name,data,txid", _garbage_cases(), ids=[c[0] for c in _garbage_cases()])
def test_garbage_gets_no_answer(server, name, data, txid):
    with stun.udp_socket(server.host) as sock:
        sock.sendto(data, server.address)
        sock.settimeout(NO_ANSWER_WAIT)
        with pytest.raises((socket.timeout, ConnectionRefusedError)):
            reply, _ = sock.recvfrom(65535)
            pytest.fail(f"{name}: got an answer {reply.hex()}")
        # The server is still there and answers a good request on the same socket.
        req, good_txid = stun.binding_request()
        msg = stun.udp_transact(sock, server.address, req, good_txid, timeout=2.0, retries=2)
        assert msg is not None and msg.msg_type == stun.BINDING_SUCCESS


def wait_for_tcp_listener(server, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(server.address, timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"no TCP listener on {server.address} after {timeout:.0f} s:\n{server.logs()}")


def test_no_stun_node_is_no_reflector_and_still_relays(turngate):
    """coturn's no-stun: Binding requests get no answer (UDP or TCP), TURN works."""
    server = turngate.start(["no-stun", "realm=no-stun.test", "user=alice:alice-pass"], probe=None)
    wait_for_tcp_listener(server)
    with tc.TurnClient(server.address, "alice", "alice-pass") as client:
        client.allocate()
    req, txid = stun.binding_request()
    with stun.udp_socket(server.host) as sock:
        sock.sendto(req, server.address)
        assert stun.udp_wait_for(sock, txid, NO_ANSWER_WAIT) is None, "no-stun, but a UDP Binding was answered"
    assert not server.probe_tcp(timeout=NO_ANSWER_WAIT), "no-stun, but a TCP Binding was answered"


def test_stun_only_node_answers_binding_and_drops_turn(turngate):
    """coturn's stun-only: a STUN server; Allocate gets no answer, not even a 401."""
    server = turngate.start(["stun-only"])
    with tc.TurnClient(server.address, "alice", "alice-pass", timeout=NO_ANSWER_WAIT) as client:
        with pytest.raises(tc.TurnError):
            client.allocate(check=False)


def test_secure_stun_challenges_strangers_and_answers_users(turngate):
    """coturn's secure-stun: an unauthenticated Binding gets 401, a user's a signed answer."""
    server = turngate.start(["secure-stun", "realm=secure-stun.test", "user=alice:alice-pass"], probe=None)
    wait_for_tcp_listener(server)
    req, txid = stun.binding_request()
    with stun.udp_socket(server.host) as sock:
        sock.sendto(req, server.address)
        msg = stun.udp_wait_for(sock, txid, 2.0)
    assert msg is not None and msg.msg_type == stun.BINDING_ERROR and msg.error_code()[0] == 401, \
        f"an unauthenticated Binding under secure-stun: {msg!r}"
    with tc.TurnClient(server.address, "alice", "alice-pass") as client:
        answer = client.request(stun.BINDING_REQUEST)
        assert answer.msg_type == stun.BINDING_SUCCESS, f"alice's Binding: {tc.describe(answer)}"
        assert answer.has(stun.ATTR_MESSAGE_INTEGRITY), "the answer to alice is not signed"
        assert answer.xor_mapped_address() == client.local_address
