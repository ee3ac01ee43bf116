"""A node's readiness while a required Redis is down, and the API's HTTPS certificate renewed
without a restart.

1. `redis-userdb` on a private redis-server (redisproc.py), without `redis-optional`: `/readyz`
   answers 200 `{"status": "ready"}` after start; Redis killed: 503
   `{"status": "redis_unreachable"}` within 5 s and `turn_readiness{state="redis_unreachable"}`
   is 1 (the others 0); redis-server started again on the same port: 200 again within 15 s (the
   client reconnects with a backoff of at most 5 s). `/healthz` answers 200 all along. With
   `redis-optional`, Redis down (`turngate_redis_up` 0) leaves `/readyz` at 200 for 3 s.
2. The gateway over HTTPS (`api-cert`, `api-pkey`):
   - `cert-reload-interval=1`: both files replaced (renamed over the old paths): within 5 s a
     new TLS connection gets the new certificate; a connection opened before keeps its own and
     answers a second `GET /healthz` on the same socket (HTTP/1.1 keep-alive) with 200;
   - `cert-reload-interval=0`: replaced files are not loaded by themselves; SIGUSR2 loads them
     at once;
   - a garbage certificate file is refused (`API certificate reload refused`), the old
     certificate is served on, and a good pair written afterwards is loaded.

All on 127.0.0.1; every wait is bounded (a deadline and a poll interval, socket and HTTP
timeouts).
"""

from __future__ import annotations

import json
import os
import signal
import time
from http.client import HTTPException

import pytest

from conftest import free_port, server_kind
from redisproc import RedisServer
from test_fleet_certs import new_pair, pem_digest, replace_pair
from test_fleet_drain import assert_only, readiness, readyz, start_node, wait_readiness
from test_metrics import scrape
from test_operations import http_get, new_secret, relay_lines, signal_and_wait, wait_for_log
from test_tls_reload import certificate_digest, served_digest, tls_connect, wait_for_digest

# The subject is not the UDP data path: `make test` runs this module with the first engine only.
RELAY_ENGINE_INDEPENDENT = True

pytestmark = pytest.mark.skipif(server_kind() != "turngate",
                                reason="/readyz, turn_readiness and the gateway's HTTPS are TurnGate's own")

READY = (200, {"status": "ready"})
UNREACHABLE = (503, {"status": "redis_unreachable"})
HEALTHY = (200, {"status": "ok"})
REDIS_UP = 'turngate_redis_up{db="userdb"}'
REFUSED = "API certificate reload refused"
DOWN_WITHIN = 5.0        # Redis is pinged every second
BACK_WITHIN = 15.0       # reconnect backoff: 100 ms doubling up to 5 s, plus the 1 s ping
OPTIONAL_HOLD = 3.0


@pytest.fixture
def redis_server(tmp_path):
    """A private redis-server on a free port (started), stopped at teardown."""
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


def poll(fetch, done, timeout: float, interval: float = 0.05):
    """Calls `fetch()` every `interval` s until `done(value)` or `timeout`; the last value."""
    deadline = time.monotonic() + timeout
    value = fetch()
    while not done(value) and time.monotonic() < deadline:
        time.sleep(interval)
        value = fetch()
    return value


def healthz(node) -> tuple:
    try:
        status, body = http_get(node.api_port, "/healthz")
        return status, json.loads(body)
    except (OSError, HTTPException, ValueError) as e:
        return None, repr(e)


def watch_readyz(node, want: tuple, timeout: float) -> tuple:
    """Polls /readyz (and /healthz beside it) until /readyz answers `want` or `timeout`;
    returns (last /readyz answer, every /healthz answer that was not 200 ok)."""
    unhealthy = []

    def fetch():
        health = healthz(node)
        if health != HEALTHY:
            unhealthy.append(health)
        return readyz(node)

    return poll(fetch, lambda answer: answer == want or not node.alive(), timeout), unhealthy


def redis_node(turngate, redis_server, *extra):
    return start_node(turngate, [f'redis-userdb="{redis_server.userdb}"', *extra], gateway=True, metrics=True)


# --- 1. /readyz and a required Redis ------------------------------------------------------------

def test_readyz_reports_a_required_redis_down_and_back(turngate, redis_server):
    node = redis_node(turngate, redis_server)
    answer = readyz(node)
    assert answer == READY, f"/readyz after start with Redis up: {answer!r}\n{node.logs()}"
    assert_only(wait_readiness(node.metrics_port, "ready"), "ready", "after start with Redis up")

    redis_server.kill()
    answer, unhealthy = watch_readyz(node, UNREACHABLE, DOWN_WITHIN)
    assert answer == UNREACHABLE, \
        f"/readyz {DOWN_WITHIN:.0f} s after the required Redis was killed: {answer!r}\n{node.logs()}"
    assert_only(wait_readiness(node.metrics_port, "redis_unreachable"), "redis_unreachable",
                "with the required Redis down")
    assert node.alive(), f"the node exited when Redis went down\n{node.logs()}"

    redis_server.start()
    back, unhealthy_later = watch_readyz(node, READY, BACK_WITHIN)
    assert back == READY, \
        f"/readyz {BACK_WITHIN:.0f} s after redis-server was started again on its port: {back!r}\n{node.logs()}"
    assert_only(wait_readiness(node.metrics_port, "ready"), "ready", "after Redis came back")
    assert not unhealthy + unhealthy_later, \
        f"/healthz must answer 200 whatever Redis does; it answered {unhealthy + unhealthy_later!r}"
    assert healthz(node) == HEALTHY


def test_readyz_stays_ready_without_an_optional_redis(turngate, redis_server):
    node = redis_node(turngate, redis_server, "redis-optional")
    assert poll(lambda: scrape(node.metrics_port).get(REDIS_UP), lambda up: up == 1, DOWN_WITHIN, 0.1) == 1, \
        f"{REDIS_UP} never reached 1 with Redis up\n{node.logs()}"
    redis_server.kill()
    # The node must have seen the outage, or a 200 below would prove nothing.
    up = poll(lambda: scrape(node.metrics_port).get(REDIS_UP), lambda up: up == 0, DOWN_WITHIN, 0.1)
    assert up == 0, f"{REDIS_UP} is {up} {DOWN_WITHIN:.0f} s after Redis was killed\n{node.logs()}"
    deadline = time.monotonic() + OPTIONAL_HOLD
    while time.monotonic() < deadline:
        answer = readyz(node)
        health = healthz(node)
        assert answer == READY, f"/readyz with redis-optional and Redis down: {answer!r}\n{node.logs()}"
        assert health == HEALTHY, f"/healthz with redis-optional and Redis down: {health!r}"
        time.sleep(0.1)
    assert readiness(node.metrics_port).get("redis_unreachable") == 0, \
        f"turn_readiness with redis-optional and Redis down: {readiness(node.metrics_port)}"


# --- 2. the API's HTTPS certificate ----------------------------------------------------------------

def http_over(connection, path: str) -> tuple:
    """GET `path` on an open (TLS) connection, keeping it open (HTTP/1.1): (status, JSON body).
    The socket's timeout bounds every read."""
    connection.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(4096)
        if not chunk:
            raise ConnectionError(f"the server closed the connection; received {data!r}")
        data += chunk
        assert len(data) < 65536, f"no end of the response head in {len(data)} bytes"
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    lengths = [int(line.split(":", 1)[1]) for line in lines[1:] if line.lower().startswith("content-length:")]
    assert lengths, f"GET {path}: a response without Content-Length: {head!r}"
    while len(body) < lengths[0]:
        chunk = connection.recv(4096)
        if not chunk:
            raise ConnectionError(f"the server closed the connection inside the body; received {body!r}")
        body += chunk
    return int(lines[0].split()[1]), json.loads(body[:lengths[0]])


def https_get(port: int, path: str) -> tuple:
    with tls_connect(port) as connection:
        return http_over(connection, path)


def start_https(turngate, cert, key, interval: int):
    """A gateway node serving HTTPS with `cert` and `key` (`node.api_port`), ready on it."""
    api_port = free_port()
    lines = relay_lines(new_secret("fleet")) + [
        "api-listening-ip=127.0.0.1", f"api-listening-port={api_port}", f"jwt-secret={new_secret('jwt')}",
        f"api-cert={cert}", f"api-pkey={key}", f"cert-reload-interval={interval}"]
    node = turngate.start(lines)
    node.api_port = api_port

    def fetch():
        try:
            return https_get(api_port, "/readyz")
        except (OSError, ValueError) as e:
            return None, repr(e)

    answer = poll(fetch, lambda answer: answer == READY or not node.alive(), 10.0)
    assert answer == READY, f"GET https://127.0.0.1:{api_port}/readyz: {answer!r}\n{node.logs()}"
    return node


def test_api_certificate_files_replaced_are_served_and_open_connections_stay(turngate, tmp_path):
    cert, key = new_pair(tmp_path / "live")
    node = start_https(turngate, cert, key, interval=1)
    old = tls_connect(node.api_port)
    try:
        old_digest = certificate_digest(old)
        assert old_digest == pem_digest(cert), "the API does not serve api-cert's certificate"
        assert http_over(old, "/healthz") == HEALTHY, "GET /healthz over HTTPS before the reload"
        new_digest = replace_pair(tmp_path, cert, key)
        assert new_digest != old_digest
        served = wait_for_digest(node.api_port, new_digest)
        assert served == new_digest, (
            f"new TLS connections to the API still get the old certificate 5 s after the files were "
            f"replaced\n{node.logs()}")
        try:
            answer = http_over(old, "/healthz")
        except OSError as e:
            answer = (None, repr(e))
        assert answer == HEALTHY, \
            f"a second GET /healthz on the connection opened before the reload: {answer!r}\n{node.logs()}"
    finally:
        old.close()
    assert node.alive()


def test_sigusr2_reloads_the_api_certificate_at_once(turngate, tmp_path):
    cert, key = new_pair(tmp_path / "live")
    old_digest = pem_digest(cert)
    node = start_https(turngate, cert, key, interval=0)
    new_digest = replace_pair(tmp_path, cert, key)
    time.sleep(1.2)   # longer than the shortest poll: cert-reload-interval=0 must not poll at all
    assert served_digest(node.api_port) == old_digest, \
        f"cert-reload-interval=0 but the replaced API certificate was loaded without a signal\n{node.logs()}"
    signal_and_wait(node, signal.SIGUSR2, "API certificate reloaded")
    assert served_digest(node.api_port) == new_digest, \
        f"the first TLS connection after SIGUSR2's reload got the old API certificate\n{node.logs()}"
    assert https_get(node.api_port, "/healthz") == HEALTHY


def test_broken_api_certificate_is_refused_and_the_old_one_stays(turngate, tmp_path):
    cert, key = new_pair(tmp_path / "live")
    old_digest = pem_digest(cert)
    node = start_https(turngate, cert, key, interval=1)
    before = node.output().count(REFUSED)
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n")
    os.replace(garbage, cert)
    wait_for_log(node, REFUSED, before)
    assert node.alive(), f"the node exited on a broken API certificate\n{node.logs()}"
    assert served_digest(node.api_port) == old_digest, \
        f"after the refused reload the API no longer serves the old certificate\n{node.logs()}"
    assert https_get(node.api_port, "/healthz") == HEALTHY, "GET /healthz over HTTPS after the refused reload"
    # The watcher keeps trying: a good pair written afterwards is loaded.
    new_digest = replace_pair(tmp_path, cert, key)
    assert wait_for_digest(node.api_port, new_digest) == new_digest, \
        f"a good pair written after the refused one was not loaded within 5 s\n{node.logs()}"
