"""Allocation churn: Allocate / Refresh(0) cycles leave nothing behind in the server.

A relay socket's port is picked at random in `min-port`..`max-port`, and another is tried
when the port is taken (RFC 8656 Section 7.2). Every try that fails must close its socket:
a socket left open on a failed bind is a descriptor and a few KiB of memory lost per try,
which a long run of allocations (a busy node, or one client churning on purpose) turns
into `EMFILE` and an ever-growing resident set.

The test holds half of a small relay range, so that about every other port tried is taken,
then runs Allocate / Refresh(0) cycles from a fresh client 5-tuple each (what a churning
client does) and checks that the server's descriptors and resident set come back to where
they were after a warm-up, that no allocation is left, and that the held allocations are
still there.
"""

from __future__ import annotations

import random
import time

import pytest

import attack
import stun
import turnclient as tc
from conftest import free_port, server_kind

pytestmark = pytest.mark.skipif(server_kind() != "turngate", reason="attacks on turngate itself")

USER, PASSWORD = "churn-user", "churn-password"
REALM = "churn.test"
# A small range, half of it held, so that random port picks often find their port taken.
SPAN = 64
HELD = SPAN // 2
WARMUP_CYCLES = 300
CYCLES = 5000
# The measured cycles stop after CYCLES or CYCLE_SECONDS, whichever comes first; fewer than
# MIN_CYCLES in that time fails the test (the server is too slow to measure anything).
CYCLE_SECONDS = 15.0
MIN_CYCLES = 1000
# Descriptors and RSS the server may gain over the measured cycles. A socket left open per
# failed bind gives about one descriptor and several KiB per cycle here.
FD_SLACK = 8
RSS_SLACK_KIB = 4096


def start_churn_server(turngate):
    metrics_port = free_port()
    min_port = random.randrange(20000, 31800, 2)
    lines = ["relay-ip=127.0.0.1", f"min-port={min_port}", f"max-port={min_port + SPAN - 1}",
             f"realm={REALM}", "lt-cred-mech", f"user={USER}:{PASSWORD}",
             f"user-quota={SPAN}", f"total-quota={SPAN}",
             # Every cycle's first Allocate from a new 5-tuple draws a 401; unthrottled here,
             # the challenge limit has its own test.
             "challenge-rate=0",
             "prometheus", f"prometheus-port={metrics_port}", "prometheus-address=127.0.0.1"]
    server = turngate.start(lines, log_level="warning")
    server.metrics_url = f"http://127.0.0.1:{metrics_port}/metrics"
    assert attack.wait_until(lambda: attack.http_get(server.metrics_url)[0] == 200, 10), \
        f"no /metrics on port {metrics_port}\n{server.logs()}"
    return server


def cycle(server) -> None:
    """One Allocate / Refresh(0) from a new client socket (a new 5-tuple)."""
    with tc.TurnClient(server.address, USER, PASSWORD) as client:
        client.allocate()
        response = client.refresh(0)
        assert response.cls == stun.CLASS_SUCCESS, f"Refresh(0): {tc.describe(response)}"


def active_allocations(server) -> float:
    return attack.metric_sum(attack.scrape_metrics(server.metrics_url), "turn_allocations_active")


def test_allocate_refresh_churn_leaves_no_descriptor_or_memory_behind(turngate):
    server = start_churn_server(turngate)
    udp_sockets = attack.udp_listener_sockets(server.port, server.pid)
    held = [tc.TurnClient(server.address, USER, PASSWORD) for _ in range(HELD)]
    try:
        for client in held:
            client.allocate()
        for _ in range(WARMUP_CYCLES):
            cycle(server)
        fds_before = attack.open_files(server.pid)
        rss_before = attack.rss_kib(server.pid)

        deadline = time.monotonic() + CYCLE_SECONDS
        done = 0
        while done < CYCLES and time.monotonic() < deadline:
            cycle(server)
            done += 1
        assert done >= MIN_CYCLES, f"only {done} cycles in {CYCLE_SECONDS} s"

        assert attack.wait_until(lambda: active_allocations(server) == HELD, 5), \
            f"{active_allocations(server)} allocations active after the churn, expected the {HELD} held"
        fds_after = attack.open_files(server.pid)
        rss_after = attack.rss_kib(server.pid)
        assert fds_after <= fds_before + FD_SLACK, (
            f"descriptors {fds_before} -> {fds_after} over {done} cycles: sockets left open")
        assert rss_after <= rss_before + RSS_SLACK_KIB, (
            f"RSS {rss_before} -> {rss_after} KiB over {done} cycles")
        for client in held:
            response = client.refresh()
            assert response.cls == stun.CLASS_SUCCESS, f"held allocation lost: {tc.describe(response)}"
    finally:
        for client in held:
            client.close()
    attack.assert_alive_and_serving(server, udp_sockets=udp_sockets)
