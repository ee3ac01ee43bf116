"""TCP allocations (RFC 6062): TURN relaying to TCP peers, against the real server.

Python-driven: Allocate with REQUESTED-TRANSPORT TCP on a TCP control connection,
Connect to a threaded TCP echo peer on 127.0.0.1, ConnectionBind on a second connection,
then raw bytes both ways; a peer connecting to the relayed address after CreatePermission
(ConnectionAttempt, ConnectionBind, data); the refusals (400 over UDP, 442 with
`no-tcp-relay`, 446, 447, a peer without permission closed at once) and the end of the
data connections when the control connection closes.

coturn's client: `turnutils_uclient -T` (TCP relay; implies -t, -y, -c, and ignores -e/-r:
its clients connect to each other's relayed addresses, so no outside peer is involved);
uclient exits 0 even at 100% loss, so the totals are read. (Its `-P` mode, a plain TCP
peer connecting to a relayed address, loses half its messages against coturn 4.6 too, so
the peer-initiated path is tested by the Python client instead.)
"""

from __future__ import annotations

import os
import socket
import socketserver
import struct
import subprocess
import threading
import time

import pytest

import stun
import turnclient as tc
from conftest import turngate_only
from test_turn_uclient import assert_all_echoed, uclient_tool

USER = "alice"
PASSWORD = "alice-password"

# RFC 6062 section 6.
CONNECT = 0x00A
CONNECTION_BIND = 0x00B
CONNECTION_ATTEMPT = 0x00C
ATTR_CONNECTION_ID = 0x002A
PROTO_TCP = 6

IO_TIMEOUT = 5.0
RUN_TIMEOUT = 60


# --- a TCP echo peer ---------------------------------------------------------------

class _EchoHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.request.settimeout(30)
        self.server.connections.append(self.client_address)
        while True:
            try:
                data = self.request.recv(65536)
            except OSError:
                return
            if not data:
                try:
                    self.request.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                return
            self.request.sendall(data)


class TcpEchoPeer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str = "127.0.0.1"):
        super().__init__((host, 0), _EchoHandler)
        self.connections: list = []
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    @property
    def address(self) -> tuple:
        return self.server_address[:2]

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def tcp_echo_peer():
    peer = TcpEchoPeer()
    try:
        yield peer
    finally:
        peer.stop()


# --- helpers -------------------------------------------------------------------------

def connection_id(cid: int):
    return (ATTR_CONNECTION_ID, struct.pack("!I", cid))


def allocate_tcp(server) -> tc.TurnClient:
    control = tc.TurnClient(server.address, USER, PASSWORD, transport="tcp", timeout=IO_TIMEOUT)
    msg = control.request(tc.ALLOCATE, [tc.requested_transport(PROTO_TCP)])
    assert msg.cls == stun.CLASS_SUCCESS, f"TCP Allocate failed: {tc.describe(msg)}"
    control.relayed = stun.decode_xor_address(msg.get(tc.ATTR_XOR_RELAYED_ADDRESS), msg.transaction_id)
    return control


def connect(control: tc.TurnClient, peer: tuple) -> stun.StunMessage:
    return control.request(CONNECT, [tc.xor_peer_address(*peer)], timeout=15)


def bind_data_connection(server, control: tc.TurnClient, cid: int) -> tuple:
    """A new connection to the server, bound to `cid`: (socket, bytes already read past the response)."""
    data = tc.TurnClient(server.address, USER, PASSWORD, transport="tcp", timeout=IO_TIMEOUT)
    # The credentials (and nonce) learnt on the control connection (RFC 6062 section 4.3).
    data.realm, data.nonce, data.key = control.realm, control.nonce, control.key
    msg = data.request(CONNECTION_BIND, [connection_id(cid)])
    assert msg.cls == stun.CLASS_SUCCESS, f"ConnectionBind failed: {tc.describe(msg)}"
    assert tc.verify_integrity(msg.raw, control.key), "ConnectionBind response not signed with the user's key"
    return data.sock, data._stream_buf


def recv_exactly(sock: socket.socket, n: int, already: bytes = b"") -> bytes:
    out = bytearray(already)
    deadline = time.monotonic() + IO_TIMEOUT
    while len(out) < n:
        left = deadline - time.monotonic()
        assert left > 0, f"only {len(out)} of {n} bytes arrived within {IO_TIMEOUT} s"
        sock.settimeout(left)
        chunk = sock.recv(65536)
        assert chunk, f"connection closed after {len(out)} of {n} bytes"
        out += chunk
    assert len(out) == n, f"{len(out) - n} bytes more than expected"
    return bytes(out)


def wait_closed(sock: socket.socket, timeout: float = IO_TIMEOUT) -> bool:
    """True when the other side closes (EOF or reset) within `timeout`; data is discarded."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            if not sock.recv(65536):
                return True
        except socket.timeout:
            return False
        except (ConnectionResetError, ConnectionAbortedError):
            return True
    return False


def next_indication(control: tc.TurnClient, method: int, timeout: float = IO_TIMEOUT) -> stun.StunMessage:
    deadline = time.monotonic() + timeout
    while True:
        frame = control._read_frame(deadline)
        assert frame is not None, f"no indication 0x{method:03x} within {timeout} s"
        msg = stun.parse(frame)
        if msg.msg_type == tc.message_type(method, stun.CLASS_INDICATION):
            return msg


# --- Python-driven -------------------------------------------------------------------

def test_connect_bind_and_echo(turn_server, tcp_echo_peer):
    server = turn_server.start(users={USER: PASSWORD}, probe="tcp")
    control = allocate_tcp(server)
    try:
        assert control.relayed[0] == server.relay_ip
        assert server.min_port <= control.relayed[1] <= server.max_port

        msg = connect(control, tcp_echo_peer.address)
        assert msg.cls == stun.CLASS_SUCCESS, f"Connect failed: {tc.describe(msg)}"
        cid = struct.unpack("!I", msg.get(ATTR_CONNECTION_ID))[0]

        # The relay connected from its relayed transport address (RFC 6062 section 5.2).
        deadline = time.monotonic() + IO_TIMEOUT
        while not tcp_echo_peer.connections and time.monotonic() < deadline:
            time.sleep(0.01)
        assert tcp_echo_peer.connections == [tuple(control.relayed)]

        again = connect(control, tcp_echo_peer.address)
        assert tc.error_code(again) == 446, tc.describe(again)

        sock, early = bind_data_connection(server, control, cid)
        try:
            assert early == b""
            for size in (1, 20, 100, 1400, 4096, 65536):
                payload = tc.random_payload(size)
                sock.sendall(payload)
                assert recv_exactly(sock, size) == payload
            # A bulk transfer larger than the socket buffers: backpressure, no loss.
            blob = os.urandom(4 * 1024 * 1024)
            sender = threading.Thread(target=sock.sendall, args=(blob,), daemon=True)
            sender.start()
            assert recv_exactly(sock, len(blob)) == blob
            sender.join(timeout=IO_TIMEOUT)
            # The control connection closing ends the allocation and its data connections.
            control.close()
            assert wait_closed(sock), "data connection still open after the control connection closed"
        finally:
            sock.close()
    finally:
        control.close()


def test_peer_connects_after_permission(turn_server):
    server = turn_server.start(users={USER: PASSWORD}, probe="tcp")
    control = allocate_tcp(server)
    try:
        # Without a permission the relay closes the peer's connection at once.
        with socket.create_connection(tuple(control.relayed), timeout=IO_TIMEOUT) as refused:
            assert wait_closed(refused), "a peer without permission was not closed"

        msg = control.create_permission("127.0.0.1")
        assert msg.cls == stun.CLASS_SUCCESS, tc.describe(msg)
        peer = socket.create_connection(tuple(control.relayed), timeout=IO_TIMEOUT)
        try:
            peer.sendall(b"sent before the bind")
            attempt = next_indication(control, CONNECTION_ATTEMPT)
            cid = struct.unpack("!I", attempt.get(ATTR_CONNECTION_ID))[0]
            peer_address = stun.decode_xor_address(attempt.get(tc.ATTR_XOR_PEER_ADDRESS), attempt.transaction_id)
            assert peer_address == peer.getsockname()[:2]

            sock, early = bind_data_connection(server, control, cid)
            try:
                # Data the peer sent before the bind was kept (RFC 6062 section 5.3).
                assert recv_exactly(sock, 20, early) == b"sent before the bind"
                sock.sendall(b"client to peer")
                assert recv_exactly(peer, 14) == b"client to peer"
                peer.sendall(b"peer to client")
                assert recv_exactly(sock, 14) == b"peer to client"
                if server.kind != "turngate":
                    return  # coturn closes both sides at the first FIN instead of half-closing.
                # A half-close crosses the relay; the other direction still works.
                peer.shutdown(socket.SHUT_WR)
                assert wait_closed(sock)
                sock.sendall(b"after the peer's FIN")
                assert recv_exactly(peer, 20) == b"after the peer's FIN"
                sock.close()
                assert wait_closed(peer)
            finally:
                sock.close()
        finally:
            peer.close()
    finally:
        control.close()


@turngate_only("coturn resets the data connection instead of answering 400 or 441")
def test_connection_bind_checks(turn_server, tcp_echo_peer):
    server = turn_server.start(users={USER: PASSWORD, "bob": "bob-password"}, probe="tcp")
    control = allocate_tcp(server)
    try:
        msg = connect(control, tcp_echo_peer.address)
        assert msg.cls == stun.CLASS_SUCCESS, tc.describe(msg)
        cid = struct.unpack("!I", msg.get(ATTR_CONNECTION_ID))[0]
        with tc.TurnClient(server.address, USER, PASSWORD, transport="tcp", timeout=IO_TIMEOUT) as data:
            unknown = data.request(CONNECTION_BIND, [connection_id(cid ^ 0xFFFFFFFF)])
            assert tc.error_code(unknown) == 400, tc.describe(unknown)
        with tc.TurnClient(server.address, "bob", "bob-password", transport="tcp", timeout=IO_TIMEOUT) as data:
            other_user = data.request(CONNECTION_BIND, [connection_id(cid)])
            assert tc.error_code(other_user) == 441, tc.describe(other_user)
        sock, _ = bind_data_connection(server, control, cid)
        sock.close()
    finally:
        control.close()


def test_allocate_tcp_over_udp_gets_400(turn_server):
    server = turn_server.start(users={USER: PASSWORD})
    with tc.TurnClient(server.address, USER, PASSWORD, timeout=IO_TIMEOUT) as client:
        msg = client.request(tc.ALLOCATE, [tc.requested_transport(PROTO_TCP)])
        assert tc.error_code(msg) == 400, tc.describe(msg)


def test_no_tcp_relay_gets_442(turn_server):
    server = turn_server.start(users={USER: PASSWORD}, options=["no-tcp-relay"], probe="tcp")
    with tc.TurnClient(server.address, USER, PASSWORD, transport="tcp", timeout=IO_TIMEOUT) as client:
        msg = client.request(tc.ALLOCATE, [tc.requested_transport(PROTO_TCP)])
        assert tc.error_code(msg) == 442, tc.describe(msg)


def test_connect_to_a_closed_port_gets_447(turn_server):
    server = turn_server.start(users={USER: PASSWORD}, probe="tcp")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    control = allocate_tcp(server)
    try:
        msg = connect(control, ("127.0.0.1", closed_port))
        assert tc.error_code(msg) == 447, tc.describe(msg)
    finally:
        control.close()


# --- coturn's client -------------------------------------------------------------------

UCLIENT_MESSAGES = 20
UCLIENT_CLIENTS = 2
UCLIENT_LENGTH = 100


def test_uclient_tcp_relay(turn_server, tcp_echo_peer):
    server = turn_server.start(users={USER: PASSWORD}, probe="tcp")
    # -T implies -t (TCP to the server), -y (client to client) and -c, and ignores -e/-r;
    # they are given anyway, pointing at the echo peer.
    argv = [uclient_tool(), "-T", "-t", "-n", str(UCLIENT_MESSAGES), "-m", str(UCLIENT_CLIENTS),
            "-l", str(UCLIENT_LENGTH), "-z", "5", "-u", USER, "-w", PASSWORD,
            "-e", tcp_echo_peer.address[0], "-r", str(tcp_echo_peer.address[1]),
            "-p", str(server.port), server.host]
    cmd = " ".join(argv)
    try:
        result = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"turnutils_uclient did not finish within {RUN_TIMEOUT} s: {cmd}\n{e.stdout}\n{e.stderr}")
    output = result.stdout + result.stderr
    assert_all_echoed(result.returncode, output, cmd, UCLIENT_MESSAGES * UCLIENT_CLIENTS)
