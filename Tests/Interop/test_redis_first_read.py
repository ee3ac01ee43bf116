"""A node that knows its Redis users and secrets before it serves (coturn's layout with the
secrets only in Redis): `use-auth-secret` with `redis-userdb` and no `static-auth-secret` starts,
and the first read of users and secrets completes before the listeners open, so a client that
allocates the moment the STUN port answers authenticates on its first try. A user or secret
added while the node runs is looked up in Redis before the 401 is final, so it authenticates at
once rather than after the next 5 s read, and a flood of unknown names is held to the lookup cap.
On 127.0.0.1, with a private redis-server and coturn's turnadmin writing the entries."""

from __future__ import annotations

import secrets
import time

import stun
import turnclient as tc
from conftest import turngate_only
from test_redis_cluster import counter, redis, start_node, try_allocate, turnadmin  # noqa: F401 (redis is a fixture)

# The subject is not the UDP data path: `make test` runs this module with the first engine only.
RELAY_ENGINE_INDEPENDENT = True


@turngate_only("TurnGate's first Redis read before the listeners open")
def test_redis_only_secret_and_user_authenticate_on_the_first_try(turngate, redis, tmp_path):  # noqa: F811
    realm = "first-read.test"
    secret = "shared-" + secrets.token_hex(12)
    rdb = redis()
    turnadmin("-s", secret, "-r", realm, port=rdb.port, cwd=tmp_path)
    turnadmin("-a", "-u", "carol", "-p", "carolpass", "-r", realm, port=rdb.port, cwd=tmp_path)

    node = start_node(turngate, rdb, node_id="first-read", realm=realm, extra=["use-auth-secret", "lt-cred-mech"])
    answered = time.monotonic()
    rest_user, rest_password = tc.rest_credentials(secret, "dave")
    for username, password in ((rest_user, rest_password), ("carol", "carolpass")):
        msg, client = try_allocate(node, username, password)
        client.close()
        assert msg.cls == stun.CLASS_SUCCESS, \
            f"{username}, allocating as soon as the node answered: expected success on the first try, got {tc.describe(msg)}"
    assert time.monotonic() - answered < 2.0, "the two allocations took too long to count as at once"
    logs = node.logs()
    applied, listening = logs.find("users and secrets from Redis applied"), logs.find(": listening ")
    assert 0 <= applied < listening, f"the first Redis read did not complete before the listeners opened:\n{logs}"


def lookups(node, outcome: str) -> float:
    return counter(node, f'turngate_redis_credential_lookups_total{{outcome="{outcome}"}}')


@turngate_only("TurnGate's lookup of a credential the relay lacks")
def test_users_and_secrets_added_while_running_authenticate_at_once(turngate, redis, tmp_path):  # noqa: F811
    realm = "lookup.test"
    rdb = redis()
    turnadmin("-s", "first-" + secrets.token_hex(8), "-r", realm, port=rdb.port, cwd=tmp_path)
    node = start_node(turngate, rdb, node_id="lookup", realm=realm, extra=["use-auth-secret", "lt-cred-mech"])
    started = time.monotonic()
    # Three users, each allocating right after turnadmin wrote it: at most one periodic read
    # (every 5 s) can fall between, so at least two must have been found by a lookup.
    for index in range(3):
        name, password = f"fresh{index}", secrets.token_hex(8)
        turnadmin("-a", "-u", name, "-p", password, "-r", realm, port=rdb.port, cwd=tmp_path)
        msg, client = try_allocate(node, name, password)
        client.close()
        assert msg.cls == stun.CLASS_SUCCESS, f"{name}, allocating right after turnadmin added it: {tc.describe(msg)}"
    secret = "added-" + secrets.token_hex(8)
    turnadmin("-s", secret, "-r", realm, port=rdb.port, cwd=tmp_path)
    rest_user, rest_password = tc.rest_credentials(secret, "frank")
    msg, client = try_allocate(node, rest_user, rest_password)
    client.close()
    assert msg.cls == stun.CLASS_SUCCESS, f"a REST user of a secret added while running: {tc.describe(msg)}"
    elapsed = time.monotonic() - started
    assert elapsed < 4.5, f"the four allocations took {elapsed:.1f} s: too slow to tell lookups from the periodic read"
    assert lookups(node, "found") >= 3, f"expected lookups to find the new users and secret:\n{node.logs()[-3000:]}"


@turngate_only("TurnGate's negative cache and cap on credential lookups")
def test_unknown_users_are_looked_up_once_and_within_the_cap(turngate, redis, tmp_path):  # noqa: F811
    realm = "lookup-flood.test"
    rdb = redis()
    turnadmin("-a", "-u", "known", "-p", "knownpass", "-r", realm, port=rdb.port, cwd=tmp_path)
    node = start_node(turngate, rdb, node_id="lookup-flood", realm=realm, extra=["lt-cred-mech"])

    for _ in range(20):
        msg, client = try_allocate(node, "nobody", "whatever")
        client.close()
        assert tc.error_code(msg) == 401, f"an unknown user: {tc.describe(msg)}"
    assert lookups(node, "absent") == 1, "twenty refusals of one unknown name within 5 s must cost one lookup"

    started = time.monotonic()
    flood = 150
    for index in range(flood):
        msg, client = try_allocate(node, f"stranger{index}", "whatever")
        client.close()
        assert tc.error_code(msg) == 401, f"stranger{index}: {tc.describe(msg)}"
    seconds = time.monotonic() - started
    looked_up = lookups(node, "absent") - 1
    assert looked_up <= 50 * (int(seconds) + 1), \
        f"{looked_up:.0f} lookups for {flood} unknown names in {seconds:.1f} s: over the cap of 50 a second"
    msg, client = try_allocate(node, "known", "knownpass")
    client.close()
    assert msg.cls == stun.CLASS_SUCCESS, f"a known user after the flood: {tc.describe(msg)}"
