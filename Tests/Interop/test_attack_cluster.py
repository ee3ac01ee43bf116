"""Finding 15: the cluster-wide quota when Redis cannot answer, and lease releases that are
never dropped.

1. `redis-quota-policy`: with Redis killed, `closed` refuses a new allocation under
   `user-quota` with 486 and counts it (turngate_cluster_quota_unavailable_refusals_total),
   although the node's own count would allow it; `open` (the default) admits it on the node's
   own count and counts the fallback.
2. Releases survive an outage: a user's leases are taken, Redis is frozen (SIGSTOP, so that
   commands time out as under a backlog), the allocations end, Redis thaws: every lease is
   given back within seconds, long before `redis-lease` (60 s) could have let it lapse.

A private redis-server per test (redisproc.py); all on 127.0.0.1; every wait is bounded.
"""

from __future__ import annotations

import secrets
import signal
import time

import pytest

import stun
import turnclient as tc
from attack import assert_alive_and_serving
from conftest import server_kind
from test_redis_cluster import REDIS_UP, code_of, counter, redis, start_node, try_allocate, wait_metric  # noqa: F401

# The subject is not the UDP data path: `make test` runs this module with the first engine only.
RELAY_ENGINE_INDEPENDENT = True

pytestmark = pytest.mark.skipif(server_kind() != "turngate", reason="TurnGate's Redis cluster features")

UNAVAILABLE = "turngate_cluster_quota_unavailable_refusals_total"
FALLBACKS = "turngate_cluster_quota_fallbacks_total"
PENDING = "turngate_cluster_lease_releases_pending"


@pytest.mark.parametrize("policy", ["closed", "open"])
def test_quota_policy_decides_while_redis_is_down(turngate, redis, policy):
    secret = "policy-" + secrets.token_hex(12)
    rdb = redis()
    node = start_node(turngate, rdb, node_id=f"policy-{policy}", secret=secret,
                      extra=["user-quota=2", f"redis-quota-policy={policy}"])
    clients = []
    try:
        wait_metric(node, REDIS_UP, 1.0, 5.0)
        msg, client = try_allocate(node, *tc.rest_credentials(secret, "ivan"))
        clients.append(client)
        assert msg.cls == stun.CLASS_SUCCESS, f"first allocation with Redis up: {tc.describe(msg)}"
        rdb.kill()
        wait_metric(node, REDIS_UP, 0.0, 5.0)
        before = {name: counter(node, name) for name in (UNAVAILABLE, FALLBACKS)}
        started = time.monotonic()
        msg, client = try_allocate(node, *tc.rest_credentials(secret, "ivan", ttl=1800))
        clients.append(client)
        took = time.monotonic() - started
        assert took < 3.0, f"Allocate with Redis down took {took:.1f} s"
        after = {name: counter(node, name) for name in (UNAVAILABLE, FALLBACKS)}
        if policy == "closed":
            assert code_of(msg) in (486, 508), \
                f"redis-quota-policy=closed, Redis down: expected 486/508, got {tc.describe(msg)}"
            assert after[UNAVAILABLE] >= before[UNAVAILABLE] + 1, f"{UNAVAILABLE}: {before} -> {after}"
            assert after[FALLBACKS] == before[FALLBACKS], f"{FALLBACKS} counted a refusal: {before} -> {after}"
        else:
            assert msg.cls == stun.CLASS_SUCCESS, \
                f"redis-quota-policy=open, Redis down: expected success on the node's count, got {tc.describe(msg)}"
            assert after[FALLBACKS] >= before[FALLBACKS] + 1, f"{FALLBACKS}: {before} -> {after}"
            assert after[UNAVAILABLE] == before[UNAVAILABLE], f"{UNAVAILABLE}: {before} -> {after}"
        assert_alive_and_serving(node, tcp=False)
    finally:
        for client in clients:
            client.close()


def test_lease_releases_survive_a_frozen_redis(turngate, redis):
    secret = "release-" + secrets.token_hex(12)
    rdb = redis()
    node = start_node(turngate, rdb, node_id="release-a", secret=secret,
                      extra=["user-quota=10", "redis-lease=60"])
    key = "turngate/quota/user/judy"
    allocations = 4
    clients = []
    thawed = False
    try:
        wait_metric(node, REDIS_UP, 1.0, 5.0)
        for index in range(allocations):
            msg, client = try_allocate(node, *tc.rest_credentials(secret, "judy", ttl=3600 + index))
            clients.append(client)
            assert msg.cls == stun.CLASS_SUCCESS, f"allocation {index}: {tc.describe(msg)}"
        assert rdb.command("ZCARD", key) == allocations, rdb.command("KEYS", "*")

        rdb.proc.send_signal(signal.SIGSTOP)
        for client in clients:
            response = client.refresh(0)
            assert response.cls == stun.CLASS_SUCCESS, f"Refresh 0: {tc.describe(response)}"
        time.sleep(3.0)   # longer than the 2 s command timeout: the first release has failed
        rdb.proc.send_signal(signal.SIGCONT)
        thawed = True

        deadline = time.monotonic() + 15.0
        held = None
        while time.monotonic() < deadline:
            held = rdb.command("ZCARD", key)
            if held == 0:
                break
            time.sleep(0.2)
        assert held == 0, (f"{held} of {allocations} leases still held 15 s after Redis came back "
                           f"(redis-lease 60 s): releases were dropped")
        wait_metric(node, PENDING, 0.0, 5.0)
        assert_alive_and_serving(node, tcp=False)
    finally:
        if not thawed and rdb.alive():
            rdb.proc.send_signal(signal.SIGCONT)
        for client in clients:
            client.close()
