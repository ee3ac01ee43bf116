"""coturn 4.17.1's scripts about what the listeners answer, scenario by scenario, run against
turngate (see test_coturn_scripts.py for the conventions): run_tests_rfc5780.sh,
run_tests_stateless_binding.sh, run_tests_prom.sh and run_tests_ratelimit_401.sh.

run_tests_rfc5780.sh listens on 127.0.0.1 and 127.0.0.2 at a free port P, with P+1 (the
alternate port) free too. run_tests_prom.sh's servers get its COMMON_ARGS (`-L 127.0.0.1
-E 127.0.0.1 --no-tls --log-file=stdout`) and a free --listening-port; the exporter is kept on
127.0.0.1 (coturn's default is every address), on a free port where the script uses 8080 or
8081; the script's wget checks become urllib requests. run_tests_ratelimit_401.sh reads coturn's
"401 rate-limit exceeded from" log line, which TurnGate does not write: its servers also get a
Prometheus endpoint, and the dropped 401s are read from
`turn_unauthenticated_401_dropped_responses`.
"""

from __future__ import annotations

import http.client
import re
import signal
import socket
import ssl
import struct
import subprocess
import time
import urllib.request

import pytest

import stun
import turnclient as tc
from conftest import START_TIMEOUT, free_port, server_kind
from test_coturn_scripts import certificate, start, tool

pytestmark = pytest.mark.skipif(server_kind() != "turngate", reason="coturn's scripts, run against turngate")

COMMON_ARGS = ["-L", "127.0.0.1", "-E", "127.0.0.1", "--no-tls", "--log-file=stdout"]
POLL_TIMEOUT = 30
EXPOSITION = re.compile(r"TYPE|HELP|counter|gauge")
ATTR_CHANGE_REQUEST, ATTR_PADDING, ATTR_RESPONSE_PORT = 0x0003, 0x0026, 0x0027
ATTR_PRIORITY, ATTR_RESPONSE_ORIGIN, ATTR_OTHER_ADDRESS = 0x0024, 0x802B, 0x802C


def fetch(url: str) -> str | None:
    """The body of a 2xx answer to GET `url` (HTTPS without certificate checks), else None."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    try:
        with urllib.request.urlopen(url, timeout=3, context=context) as response:
            return response.read().decode("utf-8", errors="replace")
    except (OSError, ValueError, http.client.HTTPException):  # URLError, HTTPError, SSLError are OSErrors
        return None


def poll(url: str, done=lambda body: bool(EXPOSITION.search(body)), timeout: float = POLL_TIMEOUT) -> str | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = fetch(url)
        if body is not None and done(body):
            return body
        time.sleep(0.2)
    return None


def start_prom(turngate, *args, ready: bool = True):
    port = free_port()
    return start(turngate, [*COMMON_ARGS, f"--listening-port={port}", *args], port=port, ready=ready)


def metric(body: str, name: str) -> float | None:
    found = re.search(rf"^{name}(?:_total)? ([0-9.e+]+)$", body or "", re.M)
    return float(found.group(1)) if found else None


# --- run_tests_rfc5780.sh -----------------------------------------------------------------

def free_port_pair(attempts: int = 50) -> int:
    """A port P with P and P+1 free for UDP and TCP on 127.0.0.1 and 127.0.0.2."""
    for _ in range(attempts):
        port = free_port()
        try:
            for host in ("127.0.0.1", "127.0.0.2"):
                for candidate in (port, port + 1):
                    for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
                        with socket.socket(socket.AF_INET, kind) as s:
                            s.bind((host, candidate))
        except OSError:
            continue
        return port
    raise RuntimeError("no free port pair on 127.0.0.1 and 127.0.0.2")


@pytest.fixture
def rfc5780_server(turngate):
    """The script's server on 127.0.0.1 and 127.0.0.2; a free listening port P instead of 3478, so
    that the alternate port P+1 (coturn's alt-listening-port default) is free too."""
    port = free_port_pair()
    return start(turngate, ["--use-auth-secret", "--static-auth-secret=secret", "--realm=north.gov",
                            "--allow-loopback-peers", "--rfc5780", "--no-cli", "--no-tls", "--listening-ip=127.0.0.1",
                            "--listening-ip=127.0.0.2", "--min-port=49152", "--max-port=49300", "--log-file=stdout",
                            f"--listening-port={port}"], port=port)


def test_rfc5780_stunclient(rfc5780_server):
    """`turnutils_stunclient -f`: a plain Binding, then CHANGE-REQUEST with RESPONSE-PORT (the answer
    awaited on that port, with no timeout), then CHANGE-REQUEST with PADDING; the script runs it to
    its end, then wants "RFC 5780 response" and "Other addr:"."""
    port = rfc5780_server.port
    argv = [tool("turnutils_stunclient"), "-f", "-p", str(port), "127.0.0.1"]
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"stunclient still waits for an answer after 20 s:\n{(e.stdout or b'').decode()}")
    output = result.stdout + result.stderr
    assert "RFC 5780 response" in output and "Other addr:" in output, f"stunclient:\n{output}"
    assert re.search(rf"Other addr: :? ?127\.0\.0\.2:{port + 1}\b", output), f"OTHER-ADDRESS is not 127.0.0.2:{port + 1}:\n{output}"


def test_rfc5780_response_port_and_padding(rfc5780_server):
    """stunclient's second and third probes: RESPONSE-PORT sends the answer to that port (from the
    other address and port), and a request with PADDING is answered."""
    change_both = (ATTR_CHANGE_REQUEST, struct.pack("!I", 0x06))
    with stun.udp_socket("127.0.0.1", 2.0) as sock, stun.udp_socket("127.0.0.1", 2.0) as other:
        txid = stun.new_transaction_id()
        response_port = (ATTR_RESPONSE_PORT, struct.pack("!HH", other.getsockname()[1], 0))
        sock.sendto(stun.build_message(stun.BINDING_REQUEST, txid, [response_port, change_both]), rfc5780_server.address)
        msg = stun.udp_wait_for(other, txid, 2.0)
        assert msg is not None and msg.msg_type == stun.BINDING_SUCCESS, f"RESPONSE-PORT: {msg and tc.describe(msg)}"
        txid = stun.new_transaction_id()
        sock.sendto(stun.build_message(stun.BINDING_REQUEST, txid, [change_both, (ATTR_PADDING, bytes(1400))]),
                    rfc5780_server.address)
        msg = stun.udp_wait_for(sock, txid, 2.0)
        assert msg is not None and msg.msg_type == stun.BINDING_SUCCESS, f"PADDING: {msg and tc.describe(msg)}"


@pytest.mark.parametrize("flags,source", [(0x00, (0, 0)), (0x02, (0, 1)), (0x04, (1, 0)), (0x06, (1, 1))],
                         ids=["none", "change-port", "change-ip", "change-both"])
def test_rfc5780_change_request(rfc5780_server, flags, source):
    """OTHER-ADDRESS and RESPONSE-ORIGIN in the answer, sent from the socket CHANGE-REQUEST names."""
    port = rfc5780_server.port
    want = (("127.0.0.1", "127.0.0.2")[source[0]], port + source[1])
    txid = stun.new_transaction_id()
    attrs = [(ATTR_CHANGE_REQUEST, struct.pack("!I", flags))] if flags else []
    with stun.udp_socket("127.0.0.1", 2.0) as sock:
        sock.sendto(stun.build_message(stun.BINDING_REQUEST, txid, attrs), ("127.0.0.1", port))
        data, origin = sock.recvfrom(2048)
    msg = stun.parse(data)
    assert msg.msg_type == stun.BINDING_SUCCESS and msg.transaction_id == txid, repr(msg)
    assert origin[:2] == want, f"answer came from {origin}, expected {want}"
    assert msg.has(ATTR_OTHER_ADDRESS) and msg.has(ATTR_RESPONSE_ORIGIN), f"no OTHER-ADDRESS/RESPONSE-ORIGIN: {msg!r}"
    assert stun.decode_mapped_address(msg.get(ATTR_OTHER_ADDRESS)) == ("127.0.0.2", port + 1)
    assert stun.decode_mapped_address(msg.get(ATTR_RESPONSE_ORIGIN)) == want


# --- run_tests_stateless_binding.sh -------------------------------------------------------

def start_binding_server(turngate, *extra):
    port = free_port()
    return start(turngate, ["--use-auth-secret", "--static-auth-secret=secret", "--realm=north.gov",
                            "--allow-loopback-peers", "--no-cli", "--no-tls", "--listening-ip=127.0.0.1",
                            "--relay-ip=127.0.0.1", f"--listening-port={port}", "--log-file=stdout", *extra], port=port)


def binding(sock, server, attrs=(), *, fingerprint=False):
    txid = stun.new_transaction_id()
    msg = stun.udp_transact(sock, server.address, stun.build_message(stun.BINDING_REQUEST, txid, attrs,
                                                                     fingerprint=fingerprint), txid, timeout=2)
    assert msg is not None, f"no answer to a Binding with {attrs}"
    return msg


def test_stateless_binding_wire_shapes(turngate):
    """stateless_binding_probe.py's `wire` mode, with the server's default configuration."""
    server = start_binding_server(turngate)
    problems = []
    with stun.udp_socket("127.0.0.1", 2.0) as sock:
        msg = binding(sock, server)
        if msg.msg_type != stun.BINDING_SUCCESS or msg.xor_mapped_address()[1] != sock.getsockname()[1]:
            problems.append(f"plain Binding: {msg!r}")
        msg = binding(sock, server, [(stun.ATTR_USERNAME, b"remote:local"), (ATTR_PRIORITY, b"\x7f\0\0\0"),
                                     (stun.ATTR_MESSAGE_INTEGRITY, b"\0" * 20)], fingerprint=True)
        if msg.msg_type != stun.BINDING_SUCCESS or not msg.has(stun.ATTR_XOR_MAPPED_ADDRESS) or not msg.fingerprint_ok():
            problems.append(f"ICE-style Binding (USERNAME/PRIORITY/MESSAGE-INTEGRITY/FINGERPRINT): {tc.describe(msg)}")
        msg = binding(sock, server, [(0x0033, b"xy"), (0x0034, b"zw")])
        if tc.error_code(msg) != 420 or msg.get(stun.ATTR_UNKNOWN_ATTRIBUTES) != b"\x00\x33\x00\x34":
            problems.append(f"unknown comprehension-required attributes, want 420 + UNKNOWN-ATTRIBUTES: {tc.describe(msg)}")
        msg = binding(sock, server, [(0x8033, b"xy")])
        if msg.msg_type != stun.BINDING_SUCCESS:
            problems.append(f"unknown comprehension-optional attribute, want success: {tc.describe(msg)}")
        msg = binding(sock, server, [(ATTR_CHANGE_REQUEST, b"\0\0\0\x04")])
        if tc.error_code(msg) != 420:
            problems.append(f"CHANGE-REQUEST (change IP) without --rfc5780, want 420: {tc.describe(msg)}")
        # coturn ignores RESPONSE-PORT and PADDING without --rfc5780 (success, sent to the source);
        # TurnGate answers them like CHANGE-REQUEST, 420, as RFC 5780 Section 6.1 has a server
        # without NAT behaviour discovery do. Either is accepted; silence or another error is not.
        for label, attr in (("RESPONSE-PORT", (ATTR_RESPONSE_PORT, b"\x30\x39\0\0")), ("PADDING", (ATTR_PADDING, b""))):
            msg = binding(sock, server, [attr])
            if msg.msg_type != stun.BINDING_SUCCESS and tc.error_code(msg) != 420:
                problems.append(f"{label}, want success (coturn) or 420 (RFC 5780): {tc.describe(msg)}")
    assert not problems, "\n".join(problems)


def test_stateless_binding_no_stun_is_silent(turngate):
    server = start_binding_server(turngate, "--no-stun")
    assert not server.probe_udp(timeout=2.0), "--no-stun, but a Binding request was answered"


def test_stateless_binding_secure_stun_challenges(turngate):
    server = start_binding_server(turngate, "--secure-stun")
    with stun.udp_socket("127.0.0.1", 3.0) as sock:
        msg = binding(sock, server)
    assert tc.error_code(msg) == 401, f"--secure-stun, unauthenticated Binding: {tc.describe(msg)}"


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return int(next(line for line in status if line.startswith("VmRSS:")).split()[1])


def binding_flood(server, count: int, batch: int = 200) -> int:
    """One Binding per source port (sockets kept open per batch of 200); returns the replies."""
    replied, message = 0, stun.binding_request()[0]
    for start_index in range(0, count, batch):
        socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(min(batch, count - start_index))]
        try:
            for sock in socks:
                sock.settimeout(0.2)
                sock.sendto(message, server.address)
            for sock in socks:
                try:
                    sock.recvfrom(2048)
                    replied += 1
                except socket.timeout:
                    pass
        finally:
            for sock in socks:
                sock.close()
    return replied


def test_stateless_binding_flood_does_not_grow_memory(turngate):
    """2000 Bindings from distinct source ports after a 200 warm-up: RSS grows less than 16 MiB."""
    server = start_binding_server(turngate)
    binding_flood(server, 200)
    time.sleep(1)
    before = rss_kb(server.pid)
    replied = binding_flood(server, 2000)
    time.sleep(2)
    growth = rss_kb(server.pid) - before
    assert replied >= 1900, f"only {replied} of 2000 Bindings answered"
    assert growth < 16384, f"RSS grew by {growth} KiB for 2000 Bindings (limit 16384 KiB)"


# --- run_tests_prom.sh --------------------------------------------------------------------

def test_prom_without_prometheus_no_endpoint(turngate):
    """"Running without prometheus": nothing answers. --prometheus-port alone names the port to
    look at (coturn's default 9641 may be taken on a shared machine); it does not enable it."""
    metrics_port = free_port()
    server = start_prom(turngate, f"--prometheus-port={metrics_port}")
    assert server.alive()
    assert fetch(f"http://127.0.0.1:{metrics_port}/metrics") is None, "metrics served without --prometheus"


def test_prom_defaults(turngate):
    """--prometheus: the default port 9641 and path /metrics (the exporter kept on 127.0.0.1)."""
    try:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 9641))
    except OSError:
        pytest.skip("port 9641 (coturn's default prometheus-port) is in use on this machine")
    start_prom(turngate, "--prometheus", "--prometheus-address=127.0.0.1")
    assert poll("http://127.0.0.1:9641/metrics"), "no metrics at the default port and path"


def test_prom_custom_address_and_port(turngate):
    metrics_port = free_port()
    start_prom(turngate, "--prometheus", "--prometheus-address=127.0.0.1", f"--prometheus-port={metrics_port}")
    assert poll(f"http://127.0.0.1:{metrics_port}/metrics"), "no metrics at --prometheus-address/--prometheus-port"


def test_prom_custom_path(turngate):
    metrics_port = free_port()
    start_prom(turngate, "--prometheus", "--prometheus-path=/coturn/metrics", "--prometheus-address=127.0.0.1",
               f"--prometheus-port={metrics_port}")
    assert poll(f"http://127.0.0.1:{metrics_port}/coturn/metrics"), "no metrics at --prometheus-path"


@pytest.mark.parametrize("source", ["prometheus-cert", "inherited-cert"])
def test_prom_tls(turngate, tmp_path, source):
    """--prometheus-tls (implies --prometheus) with --prometheus-cert/--prometheus-key, or with the
    server's --cert/--pkey: metrics over HTTPS, and plain HTTP on that port is not answered."""
    cert, key = certificate(tmp_path)
    metrics_port = free_port()
    pair = ([f"--prometheus-cert={cert}", f"--prometheus-key={key}"] if source == "prometheus-cert"
            else [f"--cert={cert}", f"--pkey={key}"])
    start_prom(turngate, "--prometheus-tls", *pair, "--prometheus-address=127.0.0.1", f"--prometheus-port={metrics_port}")
    assert poll(f"https://127.0.0.1:{metrics_port}/metrics"), "no metrics over HTTPS"
    assert fetch(f"http://127.0.0.1:{metrics_port}/metrics") is None, "plaintext HTTP accepted on the TLS endpoint"


def test_prom_tls_unreadable_cert_endpoint_not_started(turngate):
    """An unreadable --prometheus-cert: the script waits for coturn's decision ("could not read
    certificate", ...) and wants no HTTPS answer. TurnGate may refuse to start (exit != 0) or run
    without the endpoint; either way its output names the certificate, and nothing answers."""
    metrics_port = free_port()
    server = start_prom(turngate, "--prometheus-tls", "--prometheus-cert=/nonexistent/cert.pem",
                        "--prometheus-key=/nonexistent/key.pem", "--prometheus-address=127.0.0.1",
                        f"--prometheus-port={metrics_port}", ready=False)
    deadline = time.monotonic() + START_TIMEOUT
    while server.alive() and "/nonexistent/cert.pem" not in server.output() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "/nonexistent/cert.pem" in server.output(), f"nothing names the unreadable certificate:\n{server.logs()}"
    if server.alive():
        time.sleep(1)
    else:
        assert server.proc.returncode != 0, f"exited 0 with an unreadable certificate:\n{server.logs()}"
    for scheme in ("https", "http"):
        assert fetch(f"{scheme}://127.0.0.1:{metrics_port}/metrics") is None, f"the endpoint answered {scheme}"


def bad_credentials_client(port: int, run_for: float) -> None:
    """coturn's bad-credentials client, stopped after `run_for` seconds like `timeout 1s`."""
    proc = subprocess.Popen([tool("turnutils_uclient"), "-e", "127.0.0.1", "-X", "-g", "-u", "baduser", "-W",
                             "wrongsecret", "-p", str(port), "127.0.0.1"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=run_for)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def flood_until(server, metrics_port: int, done) -> str:
    """The script's loop: short-lived bad-credentials clients until a scrape satisfies `done`
    (at most POLL_TIMEOUT seconds); returns the last scrape."""
    deadline, body = time.monotonic() + POLL_TIMEOUT, ""
    while time.monotonic() < deadline:
        bad_credentials_client(server.port, 1.0)
        body = fetch(f"http://127.0.0.1:{metrics_port}/metrics") or ""
        if done(body):
            break
    return body


def start_401_server(turngate):
    metrics_port, port = free_port(), free_port()
    server = start(turngate, [*COMMON_ARGS, "--prometheus", "--prometheus-address=127.0.0.1",
                              f"--prometheus-port={metrics_port}", "--use-auth-secret", "--static-auth-secret=secret",
                              "--realm=north.gov", "--allow-loopback-peers", "--no-cli", f"--listening-port={port}",
                              "--unauthorized-ratelimit", "--unauthorized-ratelimit-rps=1"], port=port)
    assert poll(f"http://127.0.0.1:{metrics_port}/metrics")
    return server, metrics_port


COUNTERS_401 = ("turn_unauthenticated_401_requests", "turn_unauthenticated_401_responses",
                "turn_unauthenticated_401_dropped_responses")
BUCKET_GAUGES = ("turn_ratelimit_occupied_buckets", "turn_ratelimit_total_buckets")


def test_prom_401_mitigation_counters(turngate):
    server, metrics_port = start_401_server(turngate)
    body = flood_until(server, metrics_port, lambda b: all((metric(b, name) or 0) > 0 for name in COUNTERS_401))
    assert all((metric(body, name) or 0) > 0 for name in COUNTERS_401), \
        f"{[(name, metric(body, name)) for name in COUNTERS_401]}\n{body[-3000:]}"


def test_prom_401_ratelimit_bucket_gauges(turngate):
    """The same scrape's turn_ratelimit_occupied_buckets (live buckets of the 401 limiter, one for
    the single bad-credentials source) and turn_ratelimit_total_buckets (the table size)."""
    server, metrics_port = start_401_server(turngate)
    body = flood_until(server, metrics_port, lambda b: all((metric(b, name) or 0) > 0 for name in BUCKET_GAUGES))
    assert all((metric(body, name) or 0) > 0 for name in BUCKET_GAUGES), \
        f"{[(name, metric(body, name)) for name in BUCKET_GAUGES]}\n{body[-3000:]}"


# --- run_tests_ratelimit_401.sh -----------------------------------------------------------

def start_ratelimit_server(turngate, *args, prometheus: bool = True):
    port, metrics_port = free_port(), free_port()
    extra = ["--prometheus", "--prometheus-address=127.0.0.1", f"--prometheus-port={metrics_port}"] if prometheus else []
    server = start(turngate, ["--use-auth-secret", "--static-auth-secret=secret", "--realm=north.gov",
                              "--allow-loopback-peers", "--no-cli", "--no-tls", "--listening-ip=127.0.0.1",
                              "--relay-ip=127.0.0.1", f"--listening-port={port}", "--log-file=stdout", *args, *extra],
                   port=port)
    if prometheus:
        assert poll(f"http://127.0.0.1:{metrics_port}/metrics")
    return server, metrics_port


@pytest.mark.parametrize("rps,limited", [("1", True), ("100000", False)], ids=["positive", "negative-high-threshold"])
def test_ratelimit_401_bad_client(turngate, rps, limited):
    """One bounded bad-credentials uclient run (coturn's script allows 15 s; its retries draw
    dozens of 401s within the first second, so 4 s is plenty), then 1 s: with rps=1 some 401s
    are dropped, with rps=100000 none."""
    server, metrics_port = start_ratelimit_server(turngate, "--unauthorized-ratelimit", f"--unauthorized-ratelimit-rps={rps}")
    bad_credentials_client(server.port, 4.0)
    time.sleep(1)
    body = poll(f"http://127.0.0.1:{metrics_port}/metrics",
                lambda b: (metric(b, "turn_unauthenticated_401_responses") or 0) > 0, timeout=5) or ""
    dropped = metric(body, "turn_unauthenticated_401_dropped_responses")
    assert (metric(body, "turn_unauthenticated_401_responses") or 0) > 0, f"no 401 answered at all:\n{body[-3000:]}"
    assert (dropped > 0) if limited else (dropped == 0), f"rps={rps}: {dropped} 401s dropped\n{body[-3000:]}"


def forged_mi_flood(address: tuple, count: int) -> int:
    """stateless_nonce_forged_mi.py's `flood`: a 401 challenge, then `count` Allocates with a forged
    nonce and MESSAGE-INTEGRITY as fast as possible; returns how many were answered."""
    with tc.TurnClient(address) as client:
        assert tc.error_code(client.ensure_challenge()) == 401
        attrs = [(stun.ATTR_USERNAME, b"user"), (stun.ATTR_REALM, b"north.gov"),
                 (stun.ATTR_NONCE, b"deadbeefdeadbeefdeadbeef"), tc.requested_transport(),
                 (stun.ATTR_MESSAGE_INTEGRITY, b"\0" * 20)]
        for _ in range(count):
            client.send_raw(stun.build_message(tc.message_type(tc.ALLOCATE, stun.CLASS_REQUEST),
                                               stun.new_transaction_id(), attrs))
        replied = 0
        client.sock.settimeout(0.5)
        while replied < count:
            try:
                client.sock.recv(4096)
            except (socket.timeout, ConnectionRefusedError):
                break
            replied += 1
    return replied


@pytest.mark.parametrize("rps,limited", [("1", True), ("100000", False)], ids=["positive", "negative-high-threshold"])
def test_ratelimit_forged_message_integrity(turngate, rps, limited):
    """--stateless-nonce-secret with the limit: 50 forged-MESSAGE-INTEGRITY Allocates draw 438s from
    the same per-source budget as 401s; rps=1 answers fewer than 50, rps=100000 all 50. (coturn's
    "unauthorized-response rate-limit exceeded" log line is its own.)"""
    server, _ = start_ratelimit_server(turngate, "--stateless-nonce-secret=fleet-nonce-secret",
                                       "--unauthorized-ratelimit", f"--unauthorized-ratelimit-rps={rps}",
                                       prometheus=False)
    replied = forged_mi_flood(server.address, 50)
    assert (replied < 50) if limited else (replied == 50), f"rps={rps}: {replied} of 50 forged requests answered"
