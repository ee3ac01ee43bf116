"""A node that knows its Redis users and secrets before it serves (coturn's layout with the
secrets only in Redis): `use-auth-secret` with `redis-userdb` and no `static-auth-secret` starts,
and the first read of users and secrets completes before the listeners open, so a client that
allocates the moment the STUN port answers authenticates on its first try. On 127.0.0.1, with a
private redis-server and coturn's turnadmin writing the entries."""

from __future__ import annotations

import secrets
import time

import stun
import turnclient as tc
from conftest import turngate_only
from test_redis_cluster import redis, start_node, try_allocate, turnadmin  # noqa: F401 (redis is a fixture)


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
