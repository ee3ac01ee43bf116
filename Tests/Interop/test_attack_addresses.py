"""Finding 14: one address and range syntax everywhere, and `check-config` accepts exactly
what the server runs.

coturn's range `first-last` works for the gateway's `api-allowed-ip` as it does for the peer
options, in `check-config` and in the running server (where the rule is in force: a client
outside the range gets 403 `ip_denied`, one inside reaches the route); a malformed range or
a zone identifier is refused by both, with its line number. All on 127.0.0.1; every command
and wait is bounded.
"""

from __future__ import annotations

import secrets
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from attack import assert_alive_and_serving
from conftest import free_port, turngate_only

pytestmark = turngate_only("TurnGate's address ranges and check-config")

RUN_TIMEOUT = 20
EXIT_TIMEOUT = 10.0


def check_config(turngate_bin, path) -> subprocess.CompletedProcess:
    return subprocess.run([str(turngate_bin), "check-config", "-c", str(path)], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=RUN_TIMEOUT)


def gateway_lines(api_port: int) -> list:
    return ["use-auth-secret", f"static-auth-secret={secrets.token_hex(16)}", "api-listening-ip=127.0.0.1",
            f"api-listening-port={api_port}", f"jwt-secret=jwt-{secrets.token_hex(24)}"]


def post_credentials(api_port: int) -> tuple:
    """(status, body) of an unauthenticated credential request: 403 when the IP rules refuse
    the client, 401 when they let it through to the token check."""
    request = urllib.request.Request(f"http://127.0.0.1:{api_port}/v1/turn/credentials", method="POST",
                                     data=b"{}", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def wait_for_api(api_port: int, server, timeout: float = 10.0) -> tuple:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        assert server.alive(), server.logs()
        try:
            return post_credentials(api_port)
        except OSError as e:
            last = e
            time.sleep(0.1)
    raise AssertionError(f"gateway on {api_port} did not answer within {timeout} s: {last!r}\n{server.logs()}")


def test_coturn_range_for_the_api_passes_check_config_and_serve(turngate, turngate_bin, write_config):
    outside, inside = "10.0.0.1-10.0.0.9", "127.0.0.1-127.0.0.9"
    for allowed, expected in ((outside, 403), (inside, 401)):
        api_port = free_port()
        lines = gateway_lines(api_port) + [f"api-allowed-ip={allowed}", "denied-peer-ip=192.0.2.1-192.0.2.9"]
        result = check_config(turngate_bin, write_config(["listening-ip=127.0.0.1", *lines]))
        assert result.returncode == 0, f"check-config refused api-allowed-ip={allowed}:\n{result.stderr}"
        server = turngate.start(lines)
        status, body = wait_for_api(api_port, server)
        assert status == expected, \
            f"api-allowed-ip={allowed}: a request from 127.0.0.1 got {status} {body!r}, expected {expected}"
        if expected == 403:
            assert "ip_denied" in body, body
        assert_alive_and_serving(server, tcp=False)
        server.stop()


BAD = [
    ("api-allowed-ip=10.0.0.9-10.0.0.1", "the first address is above the last"),
    ("api-denied-ip=10.0.0.1/8", "bits set after the first 8"),
    ("api-allowed-ip=fe80::1%eth0", "zone identifiers"),
    ("allowed-peer-ip=10.0.0.0-::1", "mixes IPv4 and IPv6"),
    ("denied-peer-ip=peer.example.org", "is not an IPv4 or IPv6 address"),
]


def line_of(path, text: str) -> int:
    """The 1-based number of the line of `path` that is exactly `text`."""
    return Path(path).read_text().splitlines().index(text) + 1


def test_a_bad_range_fails_check_config_and_serve_with_its_line(turngate, turngate_bin, write_config):
    for bad, reason in BAD:
        api_port = free_port()
        lines = gateway_lines(api_port) + ["# the next line is wrong", bad]
        path = write_config(["listening-ip=127.0.0.1", "listening-port=3478", "log-level=info", *lines])
        line = line_of(path, bad)
        result = check_config(turngate_bin, path)
        assert result.returncode == 2, f"check-config accepted {bad!r}:\n{result.stdout}{result.stderr}"
        assert f"line {line}" in result.stderr and reason in result.stderr, \
            f"check-config on {bad!r}: expected 'line {line}' and {reason!r}:\n{result.stderr}"
        server = turngate.start(lines, probe=None)
        # The factory's base lines vary (the interop run may add relay-engine): count in its file.
        line = line_of(server.config_path, bad)
        code = server.wait_exit(EXIT_TIMEOUT)
        assert code not in (None, 0), f"serve ran with {bad!r} (exit {code})\n{server.logs()}"
        output = server.output()
        assert f"line {line}" in output and reason in output, \
            f"serve on {bad!r}: expected 'line {line}' and {reason!r}:\n{server.logs()}"
