"""coturn's own TURN client, `turnutils_uclient`, relaying through the server under test
to coturn's `turnutils_peer` (a UDP echo server) on 127.0.0.1.

uclient's modes: channels (ChannelBind + ChannelData) by default, `-s` for Send/Data
indications, `-t` for TURN over TCP; `-c` means "no RTCP pair": without it every client
makes an RTP allocation with EVEN-PORT (R bit) and an RTCP allocation with the
RESERVATION-TOKEN it got. uclient exits 0 even at 100% loss, so the tests read its
totals: every message sent must come back.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time

import pytest

import turnclient as tc
from conftest import free_port, turngate_only

USER = "alice"
PASSWORD = "alice-password"
SECRET = "uclient-secret"
MESSAGES = 50           # -n, per client
CLIENTS = 2             # -m
LENGTH = 100            # -l
INTERVAL_MS = 5         # -z
RUN_TIMEOUT = 60


def uclient_tool() -> str:
    tool = shutil.which("turnutils_uclient")
    if not tool:
        pytest.fail("turnutils_uclient not found: install Debian's coturn "
                    "(scripts/install-deps.sh test)", pytrace=False)
    return tool


def run_uclient(server, peer, *flags, credentials=("-u", USER, "-w", PASSWORD),
                messages=MESSAGES, clients=CLIENTS):
    argv = [uclient_tool(), *flags, "-n", str(messages), "-m", str(clients), "-l", str(LENGTH),
            "-z", str(INTERVAL_MS), *credentials, "-e", peer.host, "-r", str(peer.port),
            "-p", str(server.port), server.host]
    try:
        result = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"turnutils_uclient did not finish within {RUN_TIMEOUT} s: {' '.join(argv)}\n"
                    f"{e.stdout}\n{e.stderr}")
    output = result.stdout + result.stderr
    return result.returncode, output, " ".join(argv)


def assert_all_echoed(rc: int, output: str, cmd: str, expected_messages: int) -> None:
    where = f"`{cmd}` (exit {rc}):\n{output[-6000:]}"
    assert rc == 0, f"uclient failed: {where}"
    assert "ERROR" not in output, f"uclient reported an error: {where}"
    # The closing totals: "start_mclient: tot_send_msgs=100, tot_recv_msgs=100"
    # (the per-second progress lines also carry "msz=").
    totals = re.findall(r"start_mclient: tot_send_msgs=(\d+), tot_recv_msgs=(\d+)", output)
    assert totals, f"no closing tot_send_msgs/tot_recv_msgs line: {where}"
    sent, received = map(int, totals[-1])
    assert sent == expected_messages, f"uclient sent {sent} messages, expected {expected_messages}: {where}"
    assert received == sent, f"only {received} of {sent} messages came back: {where}"
    lost = re.findall(r"Total lost packets (\d+)", output)
    assert lost and int(lost[-1]) == 0, f"uclient lost packets: {where}"


MODES = {
    "channels": ["-c"],
    "send-indications": ["-c", "-s"],
}


@pytest.mark.parametrize("mode", list(MODES))
def test_uclient_static_user(turn_server, turnutils_peer, mode):
    server = turn_server.start(users={USER: PASSWORD})
    rc, output, cmd = run_uclient(server, turnutils_peer, *MODES[mode])
    assert_all_echoed(rc, output, cmd, MESSAGES * CLIENTS)


@pytest.mark.parametrize("mode", list(MODES))
def test_uclient_rest_credentials(turn_server, turnutils_peer, mode):
    # The second of two secrets, with a username/password computed here.
    server = turn_server.start(secrets=["another-secret", SECRET])
    username, password = tc.rest_credentials(SECRET, USER, ttl=600)
    rc, output, cmd = run_uclient(server, turnutils_peer, *MODES[mode],
                                  credentials=("-u", username, "-w", password))
    assert_all_echoed(rc, output, cmd, MESSAGES * CLIENTS)


def test_uclient_rest_secret_option(turn_server, turnutils_peer):
    # uclient derives the REST username ("<timestamp>:alice") and password itself with -W.
    server = turn_server.start(secrets=[SECRET])
    rc, output, cmd = run_uclient(server, turnutils_peer, "-c", credentials=("-u", USER, "-W", SECRET))
    assert_all_echoed(rc, output, cmd, MESSAGES * CLIENTS)


def test_uclient_wrong_password_fails(turn_server, turnutils_peer):
    # The control: uclient does notice a refused allocation.
    server = turn_server.start(users={USER: PASSWORD})
    rc, output, _ = run_uclient(server, turnutils_peer, "-c", credentials=("-u", USER, "-w", "wrong"),
                                messages=5, clients=1)
    assert rc != 0 and "Cannot complete Allocation" in output, \
        f"uclient with a wrong password: exit {rc}\n{output[-3000:]}"


def test_uclient_even_port_and_reservation_token(turn_server, turnutils_peer):
    # No -c: uclient's -m counts sessions, paired as RTP and RTCP: the RTP relay is
    # allocated with EVEN-PORT (R bit), the RTCP relay with the RESERVATION-TOKEN from that
    # answer, and must be the next (odd) port. 4 sessions = 2 pairs.
    server = turn_server.start(users={USER: PASSWORD})
    sessions = 4
    rc, output, cmd = run_uclient(server, turnutils_peer, "-v", messages=MESSAGES // 2, clients=sessions)
    assert_all_echoed(rc, output, cmd, (MESSAGES // 2) * sessions)
    relays = [int(port) for port in re.findall(r"Received relay addr: [0-9.]+:(\d+)", output)]
    tokens = [int(rtv) for rtv in re.findall(r"clnet_allocate: rtv=(\d+)", output)]
    assert any(rtv != 0 for rtv in tokens), f"no allocation returned a RESERVATION-TOKEN:\n{output[-6000:]}"
    pairs = [port for port in relays if port % 2 == 0 and port + 1 in relays]
    assert len(pairs) >= sessions // 2, (f"expected {sessions // 2} even/odd relay port pairs (EVEN-PORT + "
                                   f"RESERVATION-TOKEN), relay ports were {relays}:\n{output[-6000:]}")


@pytest.mark.parametrize("mode", list(MODES))
def test_uclient_over_tcp(turn_server, turnutils_peer, mode):
    server = turn_server.start(users={USER: PASSWORD}, probe="tcp")
    rc, output, cmd = run_uclient(server, turnutils_peer, "-t", *MODES[mode])
    assert_all_echoed(rc, output, cmd, MESSAGES * CLIENTS)


def self_signed_certificate(directory):
    """A throwaway certificate and key for 127.0.0.1, made with the openssl tool."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=30)
    return cert, key


class _TLSEndpoint:
    """The server as uclient sees it for TLS: the same host, the TLS port."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port


@turngate_only("coturn's interop configuration runs with no-tls")
@pytest.mark.parametrize("mode", list(MODES))
def test_uclient_over_tls(turn_server, turnutils_peer, tmp_path, mode):
    cert, key = self_signed_certificate(tmp_path)
    tls_port = free_port("127.0.0.1")
    server = turn_server.start(users={USER: PASSWORD}, probe="tcp",
                               options=[f"cert={cert}", f"pkey={key}", f"tls-listening-port={tls_port}"])
    rc, output, cmd = run_uclient(_TLSEndpoint(server.host, tls_port), turnutils_peer, "-t", "-S", *MODES[mode])
    assert_all_echoed(rc, output, cmd, MESSAGES * CLIENTS)


def wait_for_tls(host: str, port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection((host, port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on TLS port {port} after {timeout:.0f} s")


@turngate_only("a TLS-only node: coturn's interop configuration runs with no-tls")
def test_tls_only_node_relays_over_tls_and_refuses_plain_listeners(turn_server, turnutils_peer, tmp_path):
    """Jitsi's and NixOS's layout: no-udp and no-tcp with a certificate leave TLS as the only
    listener (coturn's rule), instead of refusing to start."""
    cert, key = self_signed_certificate(tmp_path)
    tls_port = free_port("127.0.0.1")
    server = turn_server.start(users={USER: PASSWORD}, probe=None, options=[
        "no-udp", "no-tcp", f"cert={cert}", f"pkey={key}", f"tls-listening-port={tls_port}"])
    wait_for_tls(server.host, tls_port)
    assert server.alive(), f"the TLS-only node exited:\n{server.logs()}"
    rc, output, cmd = run_uclient(_TLSEndpoint(server.host, tls_port), turnutils_peer, "-t", "-S", *MODES["channels"])
    assert_all_echoed(rc, output, cmd, MESSAGES * CLIENTS)
    assert not server.probe_udp(timeout=0.5), "no-udp, but the plain UDP port answered a Binding"
    assert not server.probe_tcp(timeout=0.5), "no-tcp, but the plain TCP port answered a Binding"
