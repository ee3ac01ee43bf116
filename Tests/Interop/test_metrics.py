"""The Prometheus endpoint (`prometheus`, `prometheus-port`, `prometheus-address`): metrics are
live, so traffic counters move while an allocation is still relaying, and requests are counted
by method and outcome with bounded labels only."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request

import pytest

import stun
import turnclient as tc
from conftest import free_port, server_kind

USER, PASSWORD = "metrics-user", "metrics-password"

pytestmark = pytest.mark.skipif(server_kind() != "turngate", reason="TurnGate's own metric names")


def scrape(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        text = response.read().decode()
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    return samples


@pytest.fixture
def metrics_server(turn_server):
    port = free_port("127.0.0.1")
    server = turn_server.start(users={USER: PASSWORD},
                               options=["prometheus", f"prometheus-port={port}", "prometheus-address=127.0.0.1"])
    server.metrics_port = port
    return server


def relay_round_trips(client: tc.TurnClient, channel: int, count: int) -> None:
    for index in range(count):
        payload = f"packet {index}".encode()
        client.send_channel_data(channel, payload)
        got = client.recv_data(timeout=2)
        assert got is not None and got[1] == payload, f"echo {index} came back as {got!r}"


def scrape_until(port: int, done, timeout: float = 3.0) -> dict:
    """Scrapes until `done(metrics)` holds or `timeout` passes; returns the last scrape."""
    deadline = time.monotonic() + timeout
    while True:
        metrics = scrape(port)
        if done(metrics) or time.monotonic() > deadline:
            return metrics
        time.sleep(0.1)


def scrape_settled(port: int) -> dict:
    """A scrape after the relay's once-a-second update has taken in earlier traffic."""
    time.sleep(1.2)
    return scrape(port)


def test_traffic_counters_move_while_the_allocation_lives(metrics_server, echo_peer):
    with tc.TurnClient(metrics_server.address, USER, PASSWORD) as client:
        client.allocate()
        assert client.channel_bind(0x4000, echo_peer.address).cls == stun.CLASS_SUCCESS
        before = scrape_settled(metrics_server.metrics_port)
        relay_round_trips(client, 0x4000, 10)
        # The relay adds its traffic to the counters once a second.
        during = scrape_until(metrics_server.metrics_port,
                              lambda m: m.get("turn_total_traffic_peer_rcvp", 0) - before.get("turn_total_traffic_peer_rcvp", 0) >= 10)
        assert during["turn_total_traffic_peer_sentp"] - before.get("turn_total_traffic_peer_sentp", 0) == 10
        assert during["turn_total_traffic_peer_rcvp"] - before.get("turn_total_traffic_peer_rcvp", 0) == 10
        assert during["turn_total_traffic_peer_sentb"] > before.get("turn_total_traffic_peer_sentb", 0)
        assert during["turn_allocations_active"] == 1
        relay_round_trips(client, 0x4000, 5)
        later = scrape_until(metrics_server.metrics_port,
                             lambda m: m.get("turn_total_traffic_peer_sentp", 0) - during["turn_total_traffic_peer_sentp"] >= 5)
        assert later["turn_total_traffic_peer_sentp"] - during["turn_total_traffic_peer_sentp"] == 5
    assert during['turn_requests_total{method="allocate",outcome="success"}'] >= 1
    assert during['turn_requests_total{method="allocate",outcome="401"}'] >= 1
    assert during['turn_requests_total{method="channel_bind",outcome="success"}'] >= 1


def test_labels_never_hold_users_or_addresses(metrics_server, echo_peer):
    with tc.TurnClient(metrics_server.address, USER, PASSWORD) as client:
        client.allocate()
        client.create_permission(echo_peer.address[0])
    text = urllib.request.urlopen(f"http://127.0.0.1:{metrics_server.metrics_port}/metrics", timeout=5).read().decode()
    assert USER not in text
    assert not re.search(r"\d+\.\d+\.\d+\.\d+", text), "an IPv4 address appears in the metrics"
    assert str(echo_peer.address[1]) not in re.findall(r'"([^"]*)"', text)


def test_other_paths_and_methods_are_refused(metrics_server):
    with pytest.raises(urllib.error.HTTPError) as not_found:
        urllib.request.urlopen(f"http://127.0.0.1:{metrics_server.metrics_port}/", timeout=5)
    assert not_found.value.code == 404
    request = urllib.request.Request(f"http://127.0.0.1:{metrics_server.metrics_port}/metrics", data=b"x", method="POST")
    with pytest.raises(urllib.error.HTTPError) as not_allowed:
        urllib.request.urlopen(request, timeout=5)
    assert not_allowed.value.code == 405


def test_prometheus_path_moves_the_metrics(turn_server):
    """coturn 4.17's prometheus-path: the metrics at that path, 404 at /metrics."""
    port = free_port("127.0.0.1")
    turn_server.start(users={USER: PASSWORD}, options=[
        "prometheus", f"prometheus-port={port}", "prometheus-address=127.0.0.1", "prometheus-path=/turn/stats"])
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/turn/stats", timeout=5).read().decode()
    assert "turn_relay_engines" in text, f"no metrics at prometheus-path:\n{text[:500]}"
    with pytest.raises(urllib.error.HTTPError) as not_found:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5)
    assert not_found.value.code == 404


def test_coturn_401_counters(metrics_server):
    """coturn 4.17's turn_unauthenticated_401_* counters count the 401 challenges sent."""
    before = scrape(metrics_server.metrics_port)
    with tc.TurnClient(metrics_server.address, USER, "wrong-password") as client:
        msg = client.allocate(check=False)
    assert tc.error_code(msg) == 401, f"a wrong password: {tc.describe(msg)}"
    after = scrape_until(metrics_server.metrics_port,
                         lambda m: m.get("turn_unauthenticated_401_responses", 0) >= before.get("turn_unauthenticated_401_responses", 0) + 2)
    for name in ("turn_unauthenticated_401_requests", "turn_unauthenticated_401_responses"):
        assert after.get(name, 0) >= before.get(name, 0) + 2, f"{name}: {before.get(name)} -> {after.get(name)}"
    assert "turn_unauthenticated_401_dropped_responses" in after
