"""coturn 4.17.1's test scripts (`examples/run_tests*.sh`), scenario by scenario, run against turngate.

Each scenario starts turngate with the command line (or, for run_tests_conf.sh, the config file)
that coturn's script gives its `turnserver`, unchanged except for what a shared test machine
needs: listeners pinned to 127.0.0.1 (`--listening-ip`, `--relay-ip`) on free ports instead of
coturn's defaults (3478, 5349), and this test's own certificate instead of coturn's
examples/ca. The clients are Debian's coturn 4.6.1 tools, aimed at those ports and at a
`turnutils_peer` on a free port. Where a script reads coturn's own log lines, the test checks
the TurnGate behaviour that line stands for, on the wire.

Not run, with the reason at each skip:
- DTLS clients (`turnutils_uclient -S` over UDP): TurnGate has no DTLS yet; the servers started
  with `--dtls` / `--no-dtls` must still start and relay over UDP, TCP and TLS.
- the "threaded" client variants (`--listener-threads`, `--sender-threads`): options of coturn
  4.17's client, which 4.6.1 lacks; they exercise the client (the `-Y packet` load smoke runs as
  a plain 4-client load, test_run_tests_udp_load).
- MOBILITY-TICKET (`--mobility`, uclient `-M`): TurnGate does not implement it.
- multiplex-peer's shared relay socket and its peer cap: TurnGate keeps one relay address per
  allocation, as the RFCs say.
The RFC 5780, stateless Binding, Prometheus and 401 rate-limit scripts: test_coturn_scripts_listener.py.
"""

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
from conftest import RELAY_ENGINE, START_TIMEOUT, free_port, server_kind
from test_turn_uclient import self_signed_certificate, wait_for_tls

pytestmark = pytest.mark.skipif(server_kind() != "turngate", reason="coturn's scripts, run against turngate")

SECRET, REALM = "secret", "north.gov"
LOOPBACK = ["--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1"]
RUN_TIMEOUT = 60
DTLS_SKIP = pytest.mark.skip(reason="DTLS is not implemented in TurnGate yet (uclient -S over UDP)")
THREADED_SKIP = pytest.mark.skip(reason="coturn 4.17's client options (--listener-threads, --sender-threads): "
                                        "not in the 4.6.1 client; the same server scenario runs unthreaded")
MOBILITY_SKIP = pytest.mark.skip(reason="MOBILITY-TICKET (RFC 8016, --mobility) is not supported by TurnGate "
                                        "(recognised, not supported: see test_mobility_is_recognised_not_supported)")


def tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        pytest.fail(f"{name} not found: install Debian's coturn (scripts/install-deps.sh test)", pytrace=False)
    return path


def wait_turn_ready(server, timeout: float = START_TIMEOUT) -> None:
    """Until an unauthenticated Allocate over UDP is answered (Binding may be off or challenged)."""
    deadline = time.monotonic() + timeout
    with stun.udp_socket("127.0.0.1", 0.2) as sock:
        while time.monotonic() < deadline:
            if not server.alive():
                raise AssertionError(f"turngate exited with {server.proc.returncode}\n{server.logs()}")
            txid = stun.new_transaction_id()
            request = stun.build_message(tc.message_type(tc.ALLOCATE, stun.CLASS_REQUEST), txid,
                                         [tc.requested_transport()])
            if stun.udp_transact(sock, server.address, request, txid, timeout=0.2) is not None:
                return
    raise AssertionError(f"turngate did not answer an Allocate within {timeout:.0f} s\n{server.logs()}")


def start(turngate, args=(), lines=(), *, port: int | None = None, ready: bool = True):
    """turngate with coturn's `args` on its command line and `lines` in its -c file."""
    port = port or free_port()
    config = ([f"relay-engine={RELAY_ENGINE}"] if RELAY_ENGINE else []) + list(lines)
    server = turngate.start(config, host="127.0.0.1", port=port, base_config=False, probe=None,
                            extra_args=list(args))
    if ready:
        wait_turn_ready(server)
    return server


def certificate(tmp_path):
    """The test's self-signed certificate and key (made once per test)."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    return (cert, key) if cert.exists() else self_signed_certificate(tmp_path)


def pinned(port: int, tls_port: int | None = None) -> list:
    return [*LOOPBACK, f"--listening-port={port}"] + ([f"--tls-listening-port={tls_port}"] if tls_port else [])


def uclient(port: int, peer, *flags, creds=("-u", "user", "-W", SECRET), timeout: float = RUN_TIMEOUT):
    """coturn's `run_uclient`: `turnutils_uclient FLAGS -e 127.0.0.1 -X -g -u user -W secret 127.0.0.1`."""
    argv = [tool("turnutils_uclient"), *flags, "-e", "127.0.0.1", "-r", str(peer.port), "-p", str(port),
            "-X", "-g", *creds, "127.0.0.1"]
    try:
        result = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"`{' '.join(argv)}` did not finish within {timeout} s:\n{e.stdout}\n{e.stderr}")
    return result.stdout + result.stderr, " ".join(argv)


def assert_relayed(run, total_bytes: int = 1000) -> None:
    output, cmd = run
    line = f"start_mclient: tot_send_bytes ~ {total_bytes}, tot_recv_bytes ~ {total_bytes}"
    assert line in output, f"no `{line}` from `{cmd}`:\n{output[-4000:]}"


def assert_warned(text: str, *options: str) -> None:
    for option in options:
        assert f"option '{option}' is recognised, not supported" in text, f"no warning for --{option}:\n{text[-4000:]}"


# Transports of coturn's run_uclient calls: uclient flags, and whether the TLS port is the target.
TRANSPORTS = {"TCP": (["-t"], False), "TLS": (["-t", "-S"], True), "UDP": ([], False), "DTLS": (["-S"], False)}
TRANSPORT_PARAMS = [pytest.param(name, marks=DTLS_SKIP if name == "DTLS" else (), id=name) for name in TRANSPORTS]


def run_transport(server, tls_port: int, peer, transport: str, *extra, total_bytes: int = 1000) -> None:
    flags, secure = TRANSPORTS[transport]
    if secure:
        wait_for_tls("127.0.0.1", tls_port)
    assert_relayed(uclient(tls_port if secure else server.port, peer, *flags, *extra), total_bytes)


# --- run_tests.sh and run_tests_conf.sh ---------------------------------------------------

def start_run_tests_server(turngate, tmp_path, script: str):
    """run_tests.sh's command line, or run_tests_conf.sh's turnserver.conf (Linux: udp-recvmmsg)."""
    cert, key = certificate(tmp_path)
    port, tls_port = free_port(), free_port()
    if script == "run_tests.sh":
        server = start(turngate, ["--use-auth-secret", "--sock-buf-size=1048576", "--static-auth-secret=secret",
                                  "--realm=north.gov", "--allow-loopback-peers", "--log-file=stdout", "--dtls",
                                  "--udp-recvmmsg", "--cert", str(cert), "--pkey", str(key), *pinned(port, tls_port)],
                       port=port)
    else:
        server = start(turngate, lines=["use-auth-secret", "static-auth-secret=secret", "realm=north.gov",
                                        "allow-loopback-peers", "sock-buf-size=1048576", "dtls", f"cert={cert}",
                                        f"pkey={key}", "log-file=stdout", "udp-recvmmsg", "listening-ip=127.0.0.1",
                                        "relay-ip=127.0.0.1", f"listening-port={port}",
                                        f"tls-listening-port={tls_port}"], port=port)
    return server, tls_port


@pytest.mark.parametrize("script", ["run_tests.sh", "run_tests_conf.sh"])
@pytest.mark.parametrize("transport", TRANSPORT_PARAMS)
def test_run_tests_relays(turngate, tmp_path, turnutils_peer, script, transport):
    server, tls_port = start_run_tests_server(turngate, tmp_path, script)
    run_transport(server, tls_port, turnutils_peer, transport)
    assert_warned(server.output(), "dtls", "udp-recvmmsg")


@pytest.mark.parametrize("script", ["run_tests.sh", "run_tests_conf.sh"])
@pytest.mark.parametrize("transport", list(TRANSPORTS))
@THREADED_SKIP
def test_run_tests_threaded_clients(script, transport):
    pass


@pytest.mark.parametrize("script", ["run_tests.sh", "run_tests_conf.sh"])
def test_run_tests_udp_load(turngate, tmp_path, turnutils_peer, script):
    """The scripts' Linux load smoke: `-Y packet -m 4 -l 100 -c -e 127.0.0.1 -g --listener-threads 1
    --sender-threads 2` for 6 s, non-zero send and receive rates. 4.6.1's uclient has no -Y packet
    nor thread options: the same load on the server (4 clients, 100-byte messages, no RTCP pair)
    runs as a bounded -n 100 run, and every message must come back."""
    server, _ = start_run_tests_server(turngate, tmp_path, script)
    output, cmd = uclient(server.port, turnutils_peer, "-m", "4", "-l", "100", "-c", "-n", "100")
    totals = re.findall(r"start_mclient: tot_send_msgs=(\d+), tot_recv_msgs=(\d+)", output)
    assert totals and int(totals[-1][0]) == 400 and int(totals[-1][1]) == 400, f"`{cmd}`:\n{output[-4000:]}"


# --- run_tests_dtls_default.sh -----------------------------------------------------------

DTLS_FLAGS = {"default": [], "dtls": ["--dtls"], "no-dtls": ["--no-dtls"], "no-dtls=false": ["--no-dtls=false"]}


@pytest.mark.parametrize("case", list(DTLS_FLAGS))
def test_dtls_default_server_starts_and_relays(turngate, tmp_path, turnutils_peer, case):
    """Each of the script's four servers starts with its command line; its DTLS client checks are
    skipped below. TurnGate warns about a DTLS option instead of coturn's deprecation notice."""
    cert, key = certificate(tmp_path)
    port, tls_port = free_port(), free_port()
    server = start(turngate, ["--use-auth-secret", "--static-auth-secret=secret", "--realm=north.gov",
                              "--allow-loopback-peers", "--no-cli", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1",
                              f"--listening-port={port}", "--cert", str(cert), "--pkey", str(key), "--log-file=stdout",
                              f"--tls-listening-port={tls_port}", *DTLS_FLAGS[case]], port=port)
    if case != "default":
        assert_warned(server.output(), case.split("=")[0])
    run_transport(server, tls_port, turnutils_peer, "UDP")
    run_transport(server, tls_port, turnutils_peer, "TLS")


@pytest.mark.parametrize("case", list(DTLS_FLAGS))
@DTLS_SKIP
def test_dtls_default_dtls_client(case):
    pass


# --- run_tests_expiry.sh ------------------------------------------------------------------

def test_expiry_reaps_permission_and_channel_mid_session(turngate, tmp_path, echo_peer):
    """--permission-lifetime=4 --channel-lifetime=4: the script runs uclient for 18 s and looks for
    coturn's "lifetime updated" / "deleted" log lines. TurnGate logs neither, so the same lifecycle
    is checked on the wire: relaying works, stops once the 4 s have passed without a refresh, and a
    new ChannelBind on the same allocation relays again (server alive)."""
    cert, key = certificate(tmp_path)
    port = free_port()
    server = start(turngate, ["--verbose", "--use-auth-secret", "--static-auth-secret=secret", "--realm=north.gov",
                              "--allow-loopback-peers", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", "--no-tls",
                              "--permission-lifetime=4", "--channel-lifetime=4", "--log-file=stdout",
                              "--cert", str(cert), "--pkey", str(key), f"--listening-port={port}"], port=port)
    with tc.TurnClient(server.address, *tc.rest_credentials(SECRET, "user")) as client:
        client.allocate()
        assert client.channel_bind(0x4000, echo_peer.address).cls == stun.CLASS_SUCCESS
        client.send_channel_data(0x4000, b"before expiry")
        assert client.recv_data(timeout=2) == (echo_peer.address, b"before expiry")
        time.sleep(5.5)
        client.send_channel_data(0x4000, b"after channel expiry")
        client.send_indication(echo_peer.address, b"after permission expiry")
        assert client.recv_data(timeout=1.5) is None, "relayed after the 4 s permission/channel lifetime"
        assert b"after permission expiry" not in echo_peer.payloads(), "a Send indication reached the peer"
        # The same channel and peer bind again (another number would wait 5 minutes, RFC 8656 Section 12).
        msg = client.channel_bind(0x4000, echo_peer.address)
        assert msg.cls == stun.CLASS_SUCCESS, f"ChannelBind again after expiry: {tc.describe(msg)}"
        client.send_channel_data(0x4000, b"rebound")
        assert client.recv_data(timeout=2) == (echo_peer.address, b"rebound")
    assert server.alive()


# --- run_tests_mobile.sh, run_tests_mobility_quota.sh, run_tests_mobility_resume_flood.sh ---

def test_mobility_is_recognised_not_supported(turngate, turngate_bin, tmp_path, turnutils_peer):
    """What `turngate check-config` says of --mobility (the reason the mobility scenarios are
    skipped); a server given run_tests_mobile.sh's command line still relays without -M."""
    cert, key = certificate(tmp_path)
    port, tls_port = free_port(), free_port()
    args = ["--use-auth-secret", "--sock-buf-size=1048576", "--static-auth-secret=secret", "--realm=north.gov",
            "--allow-loopback-peers", "--mobility", "--log-file=stdout", "--relay-threads=1", "--udp-recvmmsg",
            "--cert", str(cert), "--pkey", str(key), *pinned(port, tls_port)]
    config = tmp_path / "empty.conf"
    config.write_text("")
    check = subprocess.run([str(turngate_bin), "check-config", "-c", str(config), *args],
                           capture_output=True, text=True, timeout=30)
    assert_warned(check.stdout + check.stderr, "mobility")
    server = start(turngate, args, port=port)
    assert_warned(server.output(), "mobility")
    run_transport(server, tls_port, turnutils_peer, "UDP")


@pytest.mark.parametrize("scenario", [
    "run_tests_mobile.sh: mobile turn client UDP (-M)", "run_tests_mobile.sh: mobile turn client TCP (-M -t)",
    "run_tests_mobile.sh: mobility handoff marker", "run_tests_mobile.sh: threaded -M clients",
    "run_tests_mobility_quota.sh: quota kept across the mobility disconnect, resume under quota=1",
    "run_tests_mobility_resume_flood.sh: superseded pending resumes torn down"])
@MOBILITY_SKIP
def test_mobility_scenarios(scenario):
    pass


# --- run_tests_multiplex_peer.sh ----------------------------------------------------------

def start_multiplex(turngate, tmp_path, *extra):
    cert, key = certificate(tmp_path)
    port, tls_port = free_port(), free_port()
    log = tmp_path / f"turnserver-multiplex-peer-{port}.log"
    server = start(turngate, ["--use-auth-secret", "--sock-buf-size=1048576", "--static-auth-secret=secret",
                              "--realm=north.gov", "-L", "127.0.0.1", "-E", "127.0.0.1", "--allow-loopback-peers",
                              "--multiplex-peer", "--multiplex-peer-port=35000", "--udp-recvmmsg", *extra, "-v",
                              "--dtls", "--cert", str(cert), "--pkey", str(key), "--simple-log", "--log-file", str(log),
                              f"--listening-port={port}", f"--tls-listening-port={tls_port}"], port=port)
    return server, tls_port, log


@pytest.mark.parametrize("transport", TRANSPORT_PARAMS)
def test_multiplex_peer_relays(turngate, tmp_path, turnutils_peer, transport):
    """multiplex-peer is recognised and ignored: `-c` clients relay 500 bytes each way."""
    server, tls_port, log = start_multiplex(turngate, tmp_path)
    run_transport(server, tls_port, turnutils_peer, transport, "-c", total_bytes=500)
    assert_warned(server.output() + (log.read_text() if log.exists() else ""), "multiplex-peer")


def test_multiplex_peer_max_peers_4_relays(turngate, tmp_path, turnutils_peer):
    server, tls_port, _ = start_multiplex(turngate, tmp_path, "--multiplex-peer-max-peers=4")
    run_transport(server, tls_port, turnutils_peer, "UDP", "-c", total_bytes=500)


@pytest.mark.skip(reason="multiplex-peer's shared relay socket and its peer-endpoint cap (508 past "
                         "--multiplex-peer-max-peers=1) are coturn's own mode: TurnGate keeps one relay address per "
                         "allocation, as the RFCs say; the option is recognised and ignored")
def test_multiplex_peer_max_peers_1_refuses_second_endpoint():
    pass


# --- run_tests_stateless_nonce.sh ---------------------------------------------------------

def start_nonce_server(turngate, tmp_path, secret: str = "fleet-nonce-secret"):
    cert, key = certificate(tmp_path)
    port, tls_port = free_port(), free_port()
    server = start(turngate, ["--use-auth-secret", "--sock-buf-size=1048576", "--static-auth-secret=secret",
                              "--realm=north.gov", "--allow-loopback-peers", f"--stateless-nonce-secret={secret}",
                              "--log-file=stdout", "--dtls", "--relay-threads=1", "--udp-recvmmsg", "--cert", str(cert),
                              "--pkey", str(key), *pinned(port, tls_port)], port=port)
    return server, tls_port


@pytest.mark.parametrize("transport", TRANSPORT_PARAMS)
def test_stateless_nonce_relays(turngate, tmp_path, turnutils_peer, transport):
    server, tls_port = start_nonce_server(turngate, tmp_path)
    run_transport(server, tls_port, turnutils_peer, transport)


@pytest.mark.parametrize("transport", ["UDP", "TCP"])
@THREADED_SKIP
def test_stateless_nonce_threaded_clients(transport):
    pass


@pytest.mark.parametrize("same_secret", [True, False], ids=["same-secret", "other-secret"])
def test_stateless_nonce_secret_is_the_nonce_key(turngate, tmp_path, same_secret):
    """The script checks coturn's "key derived from the configured secret" log line; here two nodes
    given one --stateless-nonce-secret accept each other's nonces, and a node with another secret
    answers 438 (the nonce is bound to the client address, so one socket talks to both)."""
    node_a, _ = start_nonce_server(turngate, tmp_path)
    node_b, _ = start_nonce_server(turngate, tmp_path, "fleet-nonce-secret" if same_secret else "another-nonce-secret")
    with tc.TurnClient(node_a.address, *tc.rest_credentials(SECRET, "user"), retry_stale=False) as client:
        assert tc.error_code(client.ensure_challenge()) == 401
        client.sock.connect(node_b.address)
        client.server = node_b.address
        msg = client.allocate(check=False)
    if same_secret:
        assert msg.cls == stun.CLASS_SUCCESS, f"node B refused node A's nonce (same secret): {tc.describe(msg)}"
    else:
        assert tc.error_code(msg) == 438, f"node B, another secret, with node A's nonce: {tc.describe(msg)}"


def forged_allocate(client, method=tc.ALLOCATE, *, user=True, realm=None, nonce=None, transport=True):
    attrs = ([(stun.ATTR_USERNAME, b"user")] if user else []) + [(stun.ATTR_REALM, realm or REALM.encode())]
    attrs += [(stun.ATTR_NONCE, nonce)] if nonce else []
    attrs += [tc.requested_transport()] if transport else []
    attrs += [(stun.ATTR_MESSAGE_INTEGRITY, b"\0" * 20)]
    txid = stun.new_transaction_id()
    client.send_raw(stun.build_message(tc.message_type(method, stun.CLASS_REQUEST), txid, attrs))
    msg = client.wait_response(txid, timeout=3)
    assert msg is not None, f"no answer to a forged request {attrs}"
    return tc.error_code(msg)


def test_stateless_nonce_forged_message_integrity(turngate, tmp_path):
    """stateless_nonce_forged_mi.py: forged MESSAGE-INTEGRITY is refused with coturn's codes, or
    where coturn's are its own, RFC 8489's: a realm mismatch is a 401 (coturn: 437 / 441), and an
    unauthenticated CONNECTION-BIND may be challenged (401) before RFC 6062's 400 for UDP."""
    server, _ = start_nonce_server(turngate, tmp_path)
    with tc.TurnClient(server.address) as client:
        challenge = client.ensure_challenge()
        issued = challenge.get(stun.ATTR_NONCE)
        assert tc.error_code(challenge) == 401 and issued and challenge.get(stun.ATTR_REALM) == REALM.encode()
        got = {
            "unissued nonce": (forged_allocate(client, nonce=b"deadbeefdeadbeefdeadbeef"), {438}),
            "wrong realm (ALLOCATE)": (forged_allocate(client, realm=b"wrong.realm", nonce=issued, transport=False),
                                       {437, 401}),
            "wrong realm (REFRESH)": (forged_allocate(client, tc.REFRESH, realm=b"wrong.realm", nonce=issued,
                                                      transport=False), {441, 401}),
            "no NONCE": (forged_allocate(client), {400}),
            "no USERNAME": (forged_allocate(client, user=False, nonce=issued, transport=False), {400}),
            "issued nonce": (forged_allocate(client, nonce=issued), {401}),
        }
        txid = stun.new_transaction_id()
        client.send_raw(stun.build_message(tc.message_type(0x00B, stun.CLASS_REQUEST), txid, [(0x002A, b"\0\0\0\1")]))
        got["CONNECTION-BIND over UDP"] = (tc.error_code(client.wait_response(txid, timeout=3)), {400, 401})
    wrong = {label: codes for label, codes in got.items() if codes[0] not in codes[1]}
    assert not wrong, f"(got, expected) answers: {wrong}"


def test_stateless_nonce_false_still_challenges(turngate):
    """`--stateless-nonce=false` starts and challenges. coturn then hands out its 16-character
    stored nonce; TurnGate's nonces are always stateless, so the length is not checked."""
    port = free_port()
    server = start(turngate, ["--use-auth-secret", "--static-auth-secret=secret", "--realm=north.gov",
                              "--allow-loopback-peers", "--stateless-nonce=false", f"--listening-port={port}",
                              "--no-cli", "--log-file=stdout", *LOOPBACK], port=port)
    with tc.TurnClient(server.address) as client:
        msg = client.ensure_challenge()
    assert tc.error_code(msg) == 401 and msg.get(stun.ATTR_NONCE), tc.describe(msg)
