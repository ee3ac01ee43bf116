"""Attacks on the log: forged lines and floods of log lines.

- A JWT whose `sub` holds "\\nFORGED level=error", sent to the gateway: the credential is
  refused (400 `control_character`) and the log holds no forged line.
- REST user names with a raw newline or a `%0A` in the user, correctly signed with the
  shared secret: refused as bad credentials (401), and every line of the log is one record.
- 2,000 requests with a wrong MESSAGE-INTEGRITY from 80 source addresses: the refusal log is
  sampled (at most a line a second per reason, with `turn.suppressed` counting the rest),
  while `turn_auth_failures_total` counts every one.

Every test ends with the node checked whole (`attack.assert_alive_and_serving`) and reads the
log after SIGTERM, which must also have written the last lines.
"""

from __future__ import annotations

import re
import secrets
import socket
import time

import pytest

import attack
import jwtutil
import stun
import turnclient as tc
from conftest import free_port, server_kind

pytestmark = pytest.mark.skipif(server_kind() != "turngate", reason="attacks on turngate itself")

REALM = "logs.test"
USER, PASSWORD = "log-user", "log-password"
FORGED = "FORGED level=error"
# A text log record: time, level, label.
RECORD = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z (trace|debug|info|notice|warning|error|critical) \S")

# 2,000 in all, from enough source addresses that each stays within the default per-source
# challenge burst (40), so every forged request is answered and refused.
FLOOD_SOURCES = 80
FLOOD_PER_SOURCE = 25


def start(turngate, *, log_level: str = "debug", gateway: bool = False):
    """A turngate with a static user, a REST secret, Prometheus and, with `gateway`, the HTTP
    gateway with an HS256 jwt-secret."""
    metrics_port = free_port()
    server_secret = secrets.token_hex(20)
    lines = [f"realm={REALM}", "lt-cred-mech", f"user={USER}:{PASSWORD}", "use-auth-secret",
             f"static-auth-secret={server_secret}", "relay-ip=127.0.0.1", "prometheus",
             f"prometheus-port={metrics_port}", "prometheus-address=127.0.0.1"]
    jwt_secret = secrets.token_hex(32)
    api_port = None
    if gateway:
        api_port = free_port()
        lines += ["api-listening-ip=127.0.0.1", f"api-listening-port={api_port}", f"jwt-secret={jwt_secret}"]
    server = turngate.start(lines, log_level=log_level)
    server.secret = server_secret
    server.jwt_secret = jwt_secret.encode()
    server.api_port = api_port
    server.metrics_url = f"http://127.0.0.1:{metrics_port}/metrics"
    assert attack.wait_until(lambda: attack.http_get(server.metrics_url)[0] == 200, 10), \
        f"no /metrics on port {metrics_port}\n{server.logs()}"
    if gateway:
        url = f"http://127.0.0.1:{api_port}/readyz"
        assert attack.wait_until(lambda: attack.readyz(url)[0] == 200, 10), f"/readyz: {attack.readyz(url)}\n{server.logs()}"
    server.udp_sockets = attack.udp_listener_sockets(server.port, server.pid)
    return server


def stopped_log(server) -> list:
    """The log's lines (stdout) after SIGTERM, which must exit 0."""
    assert server.stop() == 0, f"turngate did not exit cleanly\n{server.logs()}"
    return server.stdout_path.read_text(encoding="utf-8", errors="replace").splitlines()


def assert_one_record_per_line(lines: list) -> None:
    assert lines, "the log is empty"
    for line in lines:
        assert RECORD.match(line), f"a log line that is not a record (a forged or broken line): {line!r}"
        assert not line.startswith("FORGED")


def post_credentials(port: int, token: str) -> tuple:
    import http.client
    import json
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("POST", "/v1/turn/credentials", body=b"",
                           headers={"Authorization": f"Bearer {token}", "Content-Length": "0"})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    try:
        return response.status, json.loads(body)
    except ValueError:
        return response.status, body


def rest_allocate(server, username: str, password: str) -> int | None:
    """The error code of an Allocate with these REST credentials (None on success)."""
    with tc.TurnClient(server.address, username, password) as client:
        return tc.error_code(client.request(tc.ALLOCATE, [tc.requested_transport()]))


def test_gateway_refuses_a_jwt_user_with_a_newline(turngate):
    server = start(turngate, gateway=True)
    now = int(time.time())
    token = jwtutil.sign({"sub": f"alice\n{FORGED}", "iat": now, "exp": now + 600}, "HS256", server.jwt_secret)
    status, body = post_credentials(server.api_port, token)
    assert status == 400 and isinstance(body, dict) and body.get("error") == "control_character", \
        f"a JWT user with a newline was not refused with 400 control_character: {status} {body!r}"
    printable = jwtutil.sign({"sub": "alice = \"quoted\"", "iat": now, "exp": now + 600}, "HS256", server.jwt_secret)
    status, body = post_credentials(server.api_port, printable)
    assert status == 200, f"a printable user with spaces, = and quotes was refused: {status} {body!r}"
    username, password = body["username"], body["password"]
    assert rest_allocate(server, username, password) is None, "the minted credential does not allocate"
    attack.assert_alive_and_serving(server, udp_sockets=server.udp_sockets)
    lines = stopped_log(server)
    assert_one_record_per_line(lines)
    created = [line for line in lines if "allocation created" in line or "turn.username=" in line]
    assert any('"' in line for line in created), \
        f"the allocation's user name with spaces was not quoted in the log: {created!r}"


@pytest.mark.parametrize("user", [f"alice\n{FORGED}", f"alice%0A{FORGED}", f"alice;r=room%0D%0A{FORGED}"])
def test_rest_user_with_a_newline_is_refused_and_the_log_stays_one_line_per_record(turngate, user):
    server = start(turngate)
    username, password = tc.rest_credentials(server.secret, user=user)
    assert rest_allocate(server, username, password) == 401, \
        f"a REST user name with a control character was not refused with 401: {username!r}"
    good_username, good_password = tc.rest_credentials(server.secret, user="alice")
    assert rest_allocate(server, good_username, good_password) is None
    attack.assert_alive_and_serving(server, udp_sockets=server.udp_sockets)
    assert_one_record_per_line(stopped_log(server))


def forged_requests(server, source: str, count: int) -> int:
    """`count` Allocates signed with a wrong password from `source`; the number of 401s."""
    client = tc.TurnClient(server.address, USER, "not-the-password")
    client.sock.close()
    client.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.sock.settimeout(1.0)
    client.sock.bind((source, 0))
    client.sock.connect(server.address)
    try:
        if tc.error_code(client.ensure_challenge()) != 401 or client.nonce is None:
            return 0
        for _ in range(count):
            data, _ = client.build_request(tc.ALLOCATE, [tc.requested_transport()])
            client.send_raw(data)
        refused = 0
        client.sock.settimeout(0.3)
        while refused < count:
            try:
                reply = stun.parse(client.sock.recv(4096))
            except (socket.timeout, OSError):
                break
            if reply.cls == stun.CLASS_ERROR and reply.error_code()[0] == 401:
                refused += 1
        return refused
    finally:
        client.close()


def test_a_flood_of_forged_requests_logs_a_handful_of_sampled_lines(turngate):
    server = start(turngate, log_level="info")
    before = attack.metric_sum(attack.scrape_metrics(server.metrics_url), "turn_auth_failures_total", 'reason="bad_mac"')
    started = time.monotonic()
    answered = sum(forged_requests(server, f"127.0.0.{10 + index}", FLOOD_PER_SOURCE) for index in range(FLOOD_SOURCES))
    flood_seconds = time.monotonic() - started
    time.sleep(1.1)
    answered += forged_requests(server, "127.0.0.9", 1)
    counted = attack.metric_sum(attack.scrape_metrics(server.metrics_url), "turn_auth_failures_total", 'reason="bad_mac"') - before
    assert answered >= FLOOD_SOURCES * FLOOD_PER_SOURCE * 9 // 10, f"only {answered} forged requests were answered with 401"
    assert counted >= answered, f"the metric counted {counted} bad MACs for {answered} 401 answers"
    attack.assert_alive_and_serving(server, udp_sockets=server.udp_sockets)
    lines = stopped_log(server)
    assert_one_record_per_line(lines)
    refused = [line for line in lines if "request refused" in line and "turn.reason=bad_mac" in line]
    suppressed = sum(int(match) for line in refused for match in re.findall(r"turn\.suppressed=(\d+)", line))
    allowed = 2 + int(flood_seconds) + 1
    assert 1 <= len(refused) <= allowed, \
        f"{len(refused)} refusal lines for {counted:.0f} forged requests in {flood_seconds:.1f} s (at most {allowed}):\n" \
        + "\n".join(refused[:20])
    assert len(refused) + suppressed == counted, \
        f"{len(refused)} lines + {suppressed} suppressed != {counted:.0f} counted refusals"
    assert len(lines) <= 60, f"{len(lines)} log lines for a flood of forged requests at info level"
