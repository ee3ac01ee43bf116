"""Taking a node out of a fleet: drains, readiness and the readiness metric.

1. `drain-min-allocations=1`: after SIGUSR1 a node holding two allocations stays up; once one
   is deleted it exits 0 on its own.
2. `drain-on-sigterm`: SIGTERM starts a drain; the node stays up, `/readyz` answers 503
   `{"status": "draining"}`, a new Allocate gets 508, the live allocation relays on, and the
   node exits 0 when it is deleted. SIGINT still stops it at once; without the flag SIGTERM
   stops it at once (exit 0 both times, allocations left).
3. `drain-timeout=2`: a drain with an allocation left ends after about 2 s, exit 0.
4. A TURN TCP listener closed under the server (`ss -K` from outside, so accept() fails):
   `/readyz` answers 503 `{"status": "listener_down"}`, the node keeps serving for about
   5 s so load balancers see it, then exits 1.
5. `turn_readiness{state}` on the Prometheus endpoint: 1 for the current state, 0 for the
   others (`ready` after start, `draining` after SIGUSR1).

All traffic is on 127.0.0.1; every wait is bounded (a deadline, a poll interval).
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import time
from http.client import HTTPException

import pytest

import stun
import turnclient as tc
from conftest import free_port, server_kind
from test_metrics import relay_round_trips, scrape
from test_operations import (CHANNEL, allocated_client, assert_allocate_code, http_get, new_secret,
                             relay_lines, rest_credential, signal_and_wait, wait_http)

# The subject is not the UDP data path: `make test` runs this module with the first engine only.
RELAY_ENGINE_INDEPENDENT = True

pytestmark = pytest.mark.skipif(server_kind() != "turngate",
                                reason="drain settings, /readyz and turn_readiness are TurnGate's own")

EXIT_WAIT = 5.0
PROMPT_STOP = 3.0       # "at once": well under the factory's 5 s
READINESS_STATES = ("starting", "ready", "draining", "listener_down", "redis_unreachable")


def start_node(turngate, extra=(), *, gateway: bool = False, metrics: bool = False):
    """A node with REST-secret auth (`node.secret`), optionally the gateway (`node.api_port`)
    and the Prometheus endpoint (`node.metrics_port`), ready on each."""
    secret = new_secret("fleet")
    lines = relay_lines(secret) + list(extra)
    api_port = metrics_port = None
    if gateway:
        api_port = free_port()
        lines += ["api-listening-ip=127.0.0.1", f"api-listening-port={api_port}",
                  f"jwt-secret={new_secret('jwt')}"]
    if metrics:
        metrics_port = free_port()
        lines += ["prometheus", f"prometheus-port={metrics_port}", "prometheus-address=127.0.0.1"]
    server = turngate.start(lines)
    server.secret, server.api_port, server.metrics_port = secret, api_port, metrics_port
    if gateway:
        wait_http(server, api_port, "/readyz")
    if metrics:
        wait_http(server, metrics_port, "/metrics")
    return server


def client_of(server, peer, user: str = "alice"):
    return allocated_client(server, *rest_credential(server.secret, user), peer)


def readyz(server) -> tuple:
    """(status, parsed JSON or the raw body) of GET /readyz; (None, error) when no answer."""
    try:
        status, body = http_get(server.api_port, "/readyz")
    except (OSError, HTTPException) as e:
        return None, repr(e)
    try:
        return status, json.loads(body)
    except ValueError:
        return status, body


def wait_readyz(server, status: int, body: dict, timeout: float = 2.0) -> tuple:
    """Polls /readyz every 50 ms until it answers `status` `body`, the node exits, or `timeout`."""
    deadline = time.monotonic() + timeout
    last = readyz(server)
    while last != (status, body) and server.alive() and time.monotonic() < deadline:
        time.sleep(0.05)
        last = readyz(server)
    return last


def assert_exits(server, code: int, within: float, what: str) -> float:
    """Waits up to `within` s for the exit; asserts its status; returns the seconds waited."""
    started = time.monotonic()
    rc = server.wait_exit(within)
    assert rc is not None, f"{what}: still running {within} s later\n{server.logs()}"
    assert rc == code, f"{what}: exit status {rc}, expected {code}\n{server.logs()}"
    return time.monotonic() - started


def stop_now(server) -> None:
    """After a failure: SIGINT, so the factory's SIGTERM does not start a drain."""
    if server.alive():
        server.proc.send_signal(signal.SIGINT)
        server.wait_exit(EXIT_WAIT)


# --- 1. drain-min-allocations ------------------------------------------------------------

def test_drain_exits_at_the_minimum_number_of_allocations(turngate, echo_peer):
    server = start_node(turngate, ["drain-min-allocations=1"])
    with client_of(server, echo_peer, "alice") as first, client_of(server, echo_peer, "bob") as second:
        signal_and_wait(server, signal.SIGUSR1, "draining")
        time.sleep(1.5)
        assert server.alive(), f"exited during the drain while holding 2 allocations (minimum 1)\n{server.logs()}"
        relay_round_trips(second, CHANNEL, 2)
        msg = first.refresh(0)
        assert msg.cls == stun.CLASS_SUCCESS, f"Refresh LIFETIME 0: {tc.describe(msg)}"
        assert_exits(server, 0, EXIT_WAIT, "draining with 1 allocation left (drain-min-allocations=1)")


# --- 2. drain-on-sigterm --------------------------------------------------------------------

def test_sigterm_drains_with_drain_on_sigterm(turngate, echo_peer):
    server = start_node(turngate, ["drain-on-sigterm"], gateway=True)
    try:
        with client_of(server, echo_peer) as client:
            relay_round_trips(client, CHANNEL, 2)
            signal_and_wait(server, signal.SIGTERM, "draining")
            time.sleep(1.0)
            assert server.alive(), f"SIGTERM with drain-on-sigterm stopped the node\n{server.logs()}"
            answer = wait_readyz(server, 503, {"status": "draining"})
            assert answer == (503, {"status": "draining"}), f"/readyz while draining: {answer!r}"
            assert_allocate_code(server, *rest_credential(server.secret, "late"), 508,
                                 "a new Allocate while draining after SIGTERM")
            relay_round_trips(client, CHANNEL, 3)
            msg = client.refresh(0)
            assert msg.cls == stun.CLASS_SUCCESS, f"Refresh LIFETIME 0: {tc.describe(msg)}"
        assert_exits(server, 0, EXIT_WAIT, "SIGTERM drain after the last allocation was deleted")
    finally:
        stop_now(server)


@pytest.mark.parametrize("flag, sig", [("drain-on-sigterm", signal.SIGINT), (None, signal.SIGTERM)],
                         ids=["sigint-with-drain-on-sigterm", "sigterm-without-drain-on-sigterm"])
def test_stops_at_once_with_an_allocation_left(turngate, echo_peer, flag, sig):
    server = start_node(turngate, [flag] if flag else [])
    with client_of(server, echo_peer):
        rc = server.stop(sig, timeout=EXIT_WAIT)
        assert rc == 0, f"exit status {rc} after {sig.name}\n{server.logs()}"
        assert server.stop_seconds < PROMPT_STOP, \
            f"{sig.name} took {server.stop_seconds:.1f} s: it must stop at once, not drain\n{server.logs()}"


# --- 3. drain-timeout -------------------------------------------------------------------------

def test_drain_timeout_ends_a_drain_with_allocations_left(turngate, echo_peer):
    server = start_node(turngate, ["drain-timeout=2"])
    with client_of(server, echo_peer):
        started = time.monotonic()
        signal_and_wait(server, signal.SIGUSR1, "draining")
        rc = server.wait_exit(8.0)
        elapsed = time.monotonic() - started
        assert rc is not None, f"drain-timeout=2 with an allocation left: still running after 8 s\n{server.logs()}"
        assert rc == 0, f"exit status {rc} at the drain timeout\n{server.logs()}"
        assert 1.5 <= elapsed <= 6.0, f"exited {elapsed:.1f} s after SIGUSR1, expected about 2 s (drain-timeout=2)"


# --- 4. a listener closed under the server ------------------------------------------------------

def listening(port: int) -> bool:
    rows = subprocess.run(["ss", "-Htln", f"sport = :{port}"], capture_output=True, text=True,
                          timeout=10, check=True).stdout
    return bool(rows.strip())


def test_lost_listener_reports_listener_down_then_exits_1(turngate):
    if not shutil.which("ss"):
        pytest.skip("ss (iproute2) is needed to close the listener from outside")
    server = start_node(turngate, gateway=True)
    assert listening(server.port), f"no TCP listener on {server.port}\n{server.logs()}"
    killed = subprocess.run(["ss", "-K", "-t", "state", "listening", f"sport = :{server.port}"],
                            capture_output=True, text=True, timeout=10)
    killed_at = time.monotonic()
    if killed.returncode != 0 or listening(server.port):
        pytest.skip(f"ss -K could not close the listener (root and CONFIG_INET_DIAG_DESTROY needed): "
                    f"{killed.returncode} {killed.stderr.strip()}")

    answers = []
    while server.alive() and time.monotonic() - killed_at < 5.0:
        answer = readyz(server)
        if not answers or answers[-1] != answer:
            answers.append(answer)
        if answer[0] == 503:
            break
        time.sleep(0.05)
    assert answers and answers[-1] == (503, {"status": "listener_down"}), \
        f"/readyz after the TCP listener was closed (each change in order): {answers!r}\n{server.logs()}"
    assert server.probe_udp(timeout=1.0), \
        f"the node stopped answering UDP right after reporting listener_down\n{server.logs()}"
    rc = server.wait_exit(max(0.1, 10.0 - (time.monotonic() - killed_at)))
    gone = time.monotonic() - killed_at
    assert rc is not None, f"still running 10 s after its TCP listener was closed\n{server.logs()}"
    assert rc == 1, f"exit status {rc} after losing a listener, expected 1\n{server.logs()}"
    assert gone >= 3.0, f"exited {gone:.1f} s after the listener closed: load balancers need about 5 s"


# --- 5. turn_readiness --------------------------------------------------------------------------

def readiness(port: int) -> dict:
    """{state: value} of the turn_readiness gauges."""
    states = {}
    for name, value in scrape(port).items():
        if name.startswith("turn_readiness{"):
            match = re.search(r'state="([^"]*)"', name)
            assert match, f"turn_readiness without a state label: {name}"
            states[match.group(1)] = value
    return states


def wait_readiness(port: int, state: str, timeout: float = 3.0) -> dict:
    deadline = time.monotonic() + timeout
    states = readiness(port)
    while states.get(state) != 1 and time.monotonic() < deadline:
        time.sleep(0.1)
        states = readiness(port)
    return states


def assert_only(states: dict, current: str, what: str) -> None:
    expected = {state: (1.0 if state == current else 0.0) for state in READINESS_STATES}
    assert states == expected, f"turn_readiness {what}: {states}, expected {expected}"


def test_readiness_metric_follows_the_drain(turngate, echo_peer):
    server = start_node(turngate, metrics=True)
    assert_only(wait_readiness(server.metrics_port, "ready"), "ready", "after start")
    with client_of(server, echo_peer):
        signal_and_wait(server, signal.SIGUSR1, "draining")
        assert_only(wait_readiness(server.metrics_port, "draining"), "draining", "after SIGUSR1")
        assert server.alive()
