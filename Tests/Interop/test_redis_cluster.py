"""TurnGate's Redis cluster features, process level: real turngate nodes, a private
redis-server per test (redisproc.py), coturn 4.6.1's own `turnadmin`.

1. `turnadmin` writes a REST shared secret and a static user (coturn's Redis schema); a node
   with `redis-userdb` only (no users or secrets in its file) authenticates a REST credential
   of that secret, and the user added after the node started once the 5 s sync has run; both
   relay to an echo peer.
2. Cluster-wide `user-quota` (2) across two nodes with `redis-lease 3`: two allocations (one
   per node) succeed, the third gets 486 on either node, also after more than one lease (the
   leases are renewed); after SIGKILL of one node, its slot lapses within the lease and a new
   allocation succeeds on the survivor.
3. A revocation posted to node A's admin API ends the user's live allocation on node B (the
   echo stops, Refresh fails) within ~1.5 s, and node B refuses a new Allocate with 403.
4. `redis-statsdb`: a RESP subscriber sees coturn's messages: status "new lifetime=N", interim
   traffic "rcvp=.., rcvb=.., sentp=.., sentb=.." (two reports, ~21 s of traffic at most, per
   interval as coturn's), status "deleted" after Refresh 0 (and the total_traffic), on coturn's
   keys (user segment = the username the client sent, id %018llu).
5. Redis killed mid-test: the allocation keeps relaying, `turngate_redis_up{db="userdb"}`
   drops to 0; redis-server restarted on the same port: the metric returns to 1 by itself and
   a new allocation works. While Redis is down, an Allocate under `user-quota` falls back to
   the node's own count (and the fallback is counted).
6. Redis unreachable at start: exit non-zero naming redis-userdb; with `redis-optional` the
   node starts, and connects once Redis appears.

All on 127.0.0.1; every loop has a bounded count and a deadline.
"""

from __future__ import annotations

import json
import random
import re
import secrets
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request

import pytest

import stun
import jwtutil
import turnclient as tc
from conftest import free_port, server_kind
from redisproc import RedisServer, Subscriber

# The subject is not the UDP data path: `make test` runs this module with the first engine only.
RELAY_ENGINE_INDEPENDENT = True

pytestmark = pytest.mark.skipif(server_kind() != "turngate",
                                reason="TurnGate's Redis cluster features")

REALM = "cluster.test"
CHANNEL = 0x4000
SYNC_WAIT = 8.0          # users/secrets re-read every 5 s
REDIS_UP = 'turngate_redis_up{db="userdb"}'
REVOCATION_CHANNEL = "turngate/revocations"


# --- fixtures and helpers -----------------------------------------------------------

@pytest.fixture
def redis(tmp_path):
    """Factory: `redis()` -> a started private RedisServer; all stopped at teardown."""
    servers = []

    def make() -> RedisServer:
        server = RedisServer(tmp_path)
        servers.append(server)
        return server.start()

    yield make
    for server in servers:
        server.stop()


_port_base = random.randrange(20000, 30000, 2)
_port_block = [0]


def relay_range() -> tuple:
    """A relay port range of its own for every node (200 ports, never shared)."""
    _port_block[0] += 1
    low = _port_base + 200 * (_port_block[0] % 10)   # stays below 32768 (ephemeral ports)
    return low, low + 199


def start_node(turngate, redis_server: RedisServer | None, *, node_id: str, realm: str = REALM,
               secret: str | None = None, extra=(), redis_lines=None, gateway_dir=None,
               probe: str | None = "udp"):
    """A turngate node: relay on 127.0.0.1, Prometheus on its own port, `redis-userdb` (unless
    `redis_lines` replaces it), the REST `secret` in its file when given, the admin API when
    `gateway_dir` is given."""
    low, high = relay_range()
    metrics_port = free_port()
    lines = ["relay-ip=127.0.0.1", "allow-loopback-peers", f"realm={realm}",
             f"min-port={low}", f"max-port={high}", f"node-id={node_id}",
             "prometheus", f"prometheus-port={metrics_port}", "prometheus-address=127.0.0.1"]
    if redis_lines is None:
        redis_lines = [f'redis-userdb="{redis_server.userdb}"']
    lines += redis_lines
    if secret:
        lines += ["use-auth-secret", f"static-auth-secret={secret}"]
    api_port = admin_token = None
    if gateway_dir is not None:
        api_port = free_port()
        admin_token = "admin-" + secrets.token_hex(24)
        token_file = gateway_dir / f"admin-token-{node_id}"
        token_file.write_text(admin_token + "\n")
        lines += ["api-listening-ip=127.0.0.1", f"api-listening-port={api_port}",
                  f"jwt-secret=jwt-{secrets.token_hex(24)}", f"admin-token-file={token_file}"]
    lines += list(extra)
    node = turngate.start(lines, probe=probe)
    node.metrics_port = metrics_port
    node.api_port = api_port
    node.admin_token = admin_token
    node.node_id = node_id
    return node


def http(port: int, method: str, path: str, *, token: str | None = None, body=None) -> tuple:
    """(status, text); HTTP errors are answers."""
    headers = {}
    data = None
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                     headers=headers, data=data)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def metrics(node) -> dict:
    status, text = http(node.metrics_port, "GET", "/metrics")
    assert status == 200, f"/metrics on {node.name}: {status} {text[:300]!r}"
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name.replace(", ", ",")] = float(value)
    return samples


def wait_metric(node, name: str, want: float, timeout: float) -> float:
    """Seconds until `name` == `want` on `node`; fails with the last value after `timeout`."""
    start = time.monotonic()
    last = None
    for _ in range(int(timeout / 0.1) + 2):
        assert node.alive(), f"{node.name} exited with {node.proc.returncode}"
        try:
            last = metrics(node).get(name)
        except OSError as e:
            last = e
        if last == want:
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            break
        time.sleep(0.1)
    raise AssertionError(f"{name} on {node.name} not {want} within {timeout} s (last: {last!r})")


def counter(node, name: str) -> float:
    return metrics(node).get(name, 0.0)


def echo_ok(client: tc.TurnClient, payload: bytes, timeout: float = 1.0) -> bool:
    client.send_channel_data(CHANNEL, payload)
    deadline = time.monotonic() + timeout
    for _ in range(50):
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        got = client.recv_data(timeout=left)
        if got is None:
            return False
        if got[1] == payload:
            return True
    return False


def relaying_client(node, username: str, password: str, peer, lifetime: int | None = None) -> tc.TurnClient:
    """An allocation on `node` with CHANNEL bound to `peer`, checked with one echo."""
    client = tc.TurnClient(node.address, username, password)
    try:
        client.allocate(lifetime=lifetime)
        msg = client.channel_bind(CHANNEL, peer.address)
        assert msg.cls == stun.CLASS_SUCCESS, f"ChannelBind on {node.name}: {tc.describe(msg)}"
        assert echo_ok(client, b"first echo " + username.encode()), \
            f"no echo through {username}'s allocation on {node.name}"
    except BaseException:
        client.close()
        raise
    return client


def try_allocate(node, username: str, password: str) -> tuple:
    """(response, client): the client is returned open so that a success stays allocated."""
    client = tc.TurnClient(node.address, username, password)
    try:
        return client.allocate(check=False), client
    except BaseException:
        client.close()
        raise


def code_of(msg) -> int | None:
    return tc.error_code(msg)


def describe_redis(server: RedisServer) -> str:
    try:
        keys = server.command("KEYS", "*")
    except Exception as e:  # diagnostics only
        keys = repr(e)
    return f"redis keys: {keys}"


# --- 1. turnadmin's secret and user --------------------------------------------------

def turnadmin(*args, port: int, cwd) -> None:
    tool = shutil.which("turnadmin")
    if not tool:
        pytest.fail("turnadmin not found: install Debian's coturn", pytrace=False)
    proc = subprocess.run([tool, *args, "-N", f"ip=127.0.0.1 port={port}"], cwd=str(cwd),
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=15)
    assert proc.returncode == 0, (f"turnadmin {' '.join(args)} exited {proc.returncode}: "
                                  f"{proc.stdout!r} {proc.stderr!r}")


def test_turnadmin_secret_and_user_authenticate(turngate, redis, echo_peer, tmp_path):
    realm = "turnadmin.test"
    secret = "shared-" + secrets.token_hex(12)
    rdb = redis()
    turnadmin("-s", secret, "-r", realm, port=rdb.port, cwd=tmp_path)
    assert rdb.command("SMEMBERS", f"turn/realm/{realm}/secret") == [secret], describe_redis(rdb)

    node = start_node(turngate, rdb, node_id="admin-a", realm=realm)   # no users, no secrets

    # The secret was in Redis before the node started (the first read at start, or 5 s later).
    username, password = tc.rest_credentials(secret, "frank")
    started = time.monotonic()
    msg = None
    for _ in range(int(SYNC_WAIT / 0.5) + 1):
        msg, client = try_allocate(node, username, password)
        client.close()
        if msg.cls == stun.CLASS_SUCCESS or time.monotonic() - started > SYNC_WAIT:
            break
        time.sleep(0.5)
    assert msg.cls == stun.CLASS_SUCCESS, \
        f"REST credential of turnadmin's secret: expected success within {SYNC_WAIT} s, got {tc.describe(msg)}"
    with relaying_client(node, *tc.rest_credentials(secret, "frank"), echo_peer) as client:
        client.refresh(0)

    # A static user written after the node started: picked up by the periodic re-read.
    turnadmin("-a", "-u", "bob", "-p", "bobpass", "-r", realm, port=rdb.port, cwd=tmp_path)
    expected_key = tc.long_term_key("bob", realm, "bobpass").hex()
    assert rdb.command("GET", f"turn/realm/{realm}/user/bob/key") == expected_key, describe_redis(rdb)
    added = time.monotonic()
    for _ in range(int(SYNC_WAIT / 0.5) + 1):
        msg, client = try_allocate(node, "bob", "bobpass")
        client.close()
        if msg.cls == stun.CLASS_SUCCESS or time.monotonic() - added > SYNC_WAIT:
            break
        assert code_of(msg) == 401, f"bob before the sync: expected 401, got {tc.describe(msg)}"
        time.sleep(0.5)
    assert msg.cls == stun.CLASS_SUCCESS, \
        f"turnadmin's user bob: expected success within {SYNC_WAIT} s of `turnadmin -a`, got {tc.describe(msg)}"
    with relaying_client(node, "bob", "bobpass", echo_peer) as client:
        client.refresh(0)
    # A wrong password for bob is still refused.
    msg, client = try_allocate(node, "bob", "not-bobs-password")
    client.close()
    assert code_of(msg) == 401, f"bob with a wrong password: expected 401, got {tc.describe(msg)}"


# --- 2. cluster-wide user quota with leases ------------------------------------------

def test_cluster_user_quota_and_lease_lapse(turngate, redis, echo_peer):
    secret = "quota-" + secrets.token_hex(12)
    rdb = redis()
    common = ["user-quota=2", "redis-lease=3"]
    node_a = start_node(turngate, rdb, node_id="quota-a", secret=secret, extra=common)
    node_b = start_node(turngate, rdb, node_id="quota-b", secret=secret, extra=common)
    clients = []
    try:
        first = relaying_client(node_a, *tc.rest_credentials(secret, "carol", ttl=3600), echo_peer)
        clients.append(first)
        second = relaying_client(node_b, *tc.rest_credentials(secret, "carol", ttl=3601), echo_peer)
        clients.append(second)

        def third_refused(when: str) -> None:
            for node in (node_a, node_b):
                msg, client = try_allocate(node, *tc.rest_credentials(secret, "carol", ttl=3602))
                clients.append(client)
                assert code_of(msg) == 486, \
                    f"third allocation of carol on {node.name} ({when}): expected 486, got {tc.describe(msg)}"

        third_refused("right away")
        for node in (node_a, node_b):
            assert counter(node, "turngate_cluster_quota_refusals_total") >= 1, \
                f"{node.name}: the 486 is not counted in turngate_cluster_quota_refusals_total"
        # Longer than one lease: live allocations' leases are renewed, so still refused.
        time.sleep(4.0)
        third_refused("4 s later, more than the 3 s lease")
        assert echo_ok(first, b"A still relays") and echo_ok(second, b"B still relays")

        # Node B dies without releasing its slot: it lapses within the lease.
        node_b.proc.send_signal(signal.SIGKILL)
        node_b.wait_exit(5)
        killed = time.monotonic()
        timeline = []
        msg = None
        for _ in range(30):
            msg, client = try_allocate(node_a, *tc.rest_credentials(secret, "carol", ttl=3603))
            clients.append(client)
            timeline.append((round(time.monotonic() - killed, 2), code_of(msg) or "ok"))
            if msg.cls == stun.CLASS_SUCCESS or time.monotonic() - killed > 3 + 4:
                break
            time.sleep(0.5)
        assert msg.cls == stun.CLASS_SUCCESS, \
            (f"carol's slot held by the killed node did not lapse within lease (3 s) + 4 s: "
             f"(seconds after SIGKILL, outcome) {timeline}")
        # And the quota holds again on the survivor: 2 live (first + the new one).
        msg, client = try_allocate(node_a, *tc.rest_credentials(secret, "carol", ttl=3604))
        clients.append(client)
        assert code_of(msg) == 486, f"a further allocation on {node_a.name}: expected 486, got {tc.describe(msg)}"
        # Another user is not affected.
        other, client = try_allocate(node_a, *tc.rest_credentials(secret, "someone-else"))
        clients.append(client)
        assert other.cls == stun.CLASS_SUCCESS, f"another user: {tc.describe(other)}"
    finally:
        for client in clients:
            client.close()


# --- 3. revocation across nodes ------------------------------------------------------

def test_revocation_on_one_node_ends_allocation_on_another(turngate, redis, echo_peer, echo_peers, tmp_path):
    secret = "revoke-" + secrets.token_hex(12)
    rdb = redis()
    node_a = start_node(turngate, rdb, node_id="rev-a", secret=secret, gateway_dir=tmp_path)
    node_b = start_node(turngate, rdb, node_id="rev-b", secret=secret)
    # Both nodes subscribed to the revocation channel (bounded wait).
    numsub = None
    for _ in range(50):
        numsub = rdb.command("PUBSUB", "NUMSUB", REVOCATION_CHANNEL)
        if numsub[1] >= 2:
            break
        time.sleep(0.1)
    assert numsub[1] >= 2, f"expected both nodes subscribed to {REVOCATION_CHANNEL}: {numsub}"
    for _ in range(100):
        if http(node_a.api_port, "GET", "/readyz")[0] == 200:
            break
        time.sleep(0.05)

    bystander_peer = echo_peers()
    dave = relaying_client(node_b, *tc.rest_credentials(secret, "dave"), echo_peer)
    bystander = relaying_client(node_b, *tc.rest_credentials(secret, "davey"), bystander_peer)
    late = []
    try:
        status, text = http(node_a.api_port, "POST", "/v1/admin/revocations",
                            token=node_a.admin_token, body={"user": "dave"})
        revoked_at = time.monotonic()
        assert status == 201, f"POST /v1/admin/revocations on {node_a.name}: {status} {text}"

        timeline = []
        stopped_at = None
        for index in range(60):     # a probe every >= 50 ms, for at most 2.5 s
            elapsed = time.monotonic() - revoked_at
            if elapsed > 2.5:
                break
            ok = echo_ok(dave, f"probe {index}".encode(), timeout=0.1)
            timeline.append((round(elapsed, 2), ok))
            if not ok:
                # Confirm: two more probes without echo.
                if not echo_ok(dave, b"confirm 1", timeout=0.15) and not echo_ok(dave, b"confirm 2", timeout=0.15):
                    stopped_at = elapsed
                    break
            time.sleep(0.05)
        assert stopped_at is not None and stopped_at <= 1.5, \
            (f"dave's allocation on {node_b.name} still relayed after a revocation posted to "
             f"{node_a.name}: (seconds, echoed) {timeline}")
        refresh = dave.refresh()
        assert refresh.cls == stun.CLASS_ERROR, \
            f"Refresh of the revoked allocation on {node_b.name}: expected an error, got {tc.describe(refresh)}"

        msg, client = try_allocate(node_b, *tc.rest_credentials(secret, "dave", ttl=1800))
        late.append(client)
        assert code_of(msg) == 403, f"new Allocate for dave on {node_b.name}: expected 403, got {tc.describe(msg)}"
        msg, client = try_allocate(node_a, *tc.rest_credentials(secret, "dave", ttl=1801))
        late.append(client)
        assert code_of(msg) == 403, f"new Allocate for dave on {node_a.name}: expected 403, got {tc.describe(msg)}"
        assert echo_ok(bystander, b"bystander still relays"), \
            "revoking dave stopped another user's (davey's) allocation on the same node"
    finally:
        for client in [dave, bystander, *late]:
            client.close()


# --- 4. statsdb events ---------------------------------------------------------------

TRAFFIC_RE = re.compile(r"^rcvp=(\d+), rcvb=(\d+), sentp=(\d+), sentb=(\d+)$")


def test_statsdb_publishes_coturn_events(turngate, redis, echo_peer):
    """Every check runs and every problem is reported together (each is a separate format
    promise to coturn's subscribers)."""
    secret = "stats-" + secrets.token_hex(12)
    rdb = redis()
    node = start_node(turngate, rdb, node_id="stats-a", secret=secret,
                      redis_lines=[f'redis-userdb="{rdb.userdb}"', f'redis-statsdb="{rdb.userdb}"'])
    subscriber = Subscriber(rdb.port, "turn/realm/*/user/*/allocation/*")
    username, password = tc.rest_credentials(secret, "erin")
    key_re = re.compile(rf"^turn/realm/{re.escape(REALM)}/user/(?P<user>[^/]+)/allocation/(?P<id>\d+)/(?P<kind>\w+)$")
    problems = []
    sent = echoed = sent_bytes = 0
    interim = None
    try:
        with relaying_client(node, username, password, echo_peer, lifetime=1200) as client:
            sent, echoed, sent_bytes = 1, 1, len(b"first echo " + username.encode())
            created = subscriber.wait_for(lambda ch, data: ch.endswith("/status") and data.startswith("new "), 3.0)
            if created is None:
                problems.append(f"no status 'new lifetime=...' published within 3 s of the Allocate "
                                f"(messages so far: {subscriber.snapshot()}; keys: {rdb.command('KEYS', '*')})")
            else:
                lifetime = re.fullmatch(r"new lifetime=(\d+)", created[1])
                # The granted lifetime (RFC 8656 Section 7.2: the request's 1200 s, above the
                # 600 s default and below the 3600 s cap), as the Allocate answer's LIFETIME says.
                if not (lifetime and int(lifetime[1]) == client.lifetime == 1200):
                    problems.append(f"status message {created[1]!r}: expected 'new lifetime={client.lifetime}' "
                                    f"(the granted lifetime)")
                if rdb.command("GET", created[0]) != created[1]:
                    problems.append(f"status key {created[0]!r} not SET to the published value")

            # Traffic until two interim reports with traffic in them (one every 10 s). coturn's
            # interim messages count the interval since the previous one (it resets its counters
            # after each), so their sum never exceeds what was relayed.
            def interims() -> list:
                return [m for m in subscriber.snapshot() if m[0].endswith("/traffic")
                        and (t := TRAFFIC_RE.match(m[1])) is not None and int(t[1]) > 0]

            started = time.monotonic()
            for index in range(400):
                if time.monotonic() - started > 22.5 or len(interims()) >= 2:
                    break
                payload = f"stats packet {index:04d}".encode()
                sent += 1
                sent_bytes += len(payload)
                if echo_ok(client, payload, timeout=0.5):
                    echoed += 1
                time.sleep(0.05)
            reports = interims()
            if not reports:
                problems.append(f"no interim traffic message with rcvp > 0 within 22.5 s of traffic "
                                f"({sent} packets sent, {echoed} echoed): {subscriber.snapshot()}")
            else:
                interim = reports[0]
                rcvp, rcvb, sentp, sentb = map(int, TRAFFIC_RE.match(interim[1]).groups())
                if not (rcvp <= sent and sentp <= echoed and rcvb >= rcvp and sentb >= sentp):
                    problems.append(f"interim {interim[1]!r} vs {sent} sent ({sent_bytes} B), {echoed} echoed")
                if len(reports) < 2:
                    problems.append(f"only one interim traffic report in 22.5 s (every 10 s expected): {reports}")
                summed = sum(int(TRAFFIC_RE.match(m[1])[1]) for m in reports)
                if summed > sent:
                    problems.append(f"interim traffic reports are running totals, not per-interval counts as "
                                    f"coturn's: their rcvp sum to {summed} > {sent} packets sent; "
                                    f"reports {[m[1] for m in reports]}")

            msg = client.refresh(0)
            assert msg.cls == stun.CLASS_SUCCESS, f"Refresh 0: {tc.describe(msg)}"
        deleted = subscriber.wait_for(lambda ch, data: ch.endswith("/status") and data == "deleted", 3.0)
        total = subscriber.wait_for(lambda ch, data: ch.endswith("/total_traffic"), 2.0)
        if deleted is None:
            problems.append(f"no status 'deleted' within 3 s of Refresh 0: {subscriber.snapshot()}")
        elif rdb.command("EXISTS", deleted[0]) != 0:
            problems.append(f"status key {deleted[0]!r} still there after deletion")
        if total is None or not TRAFFIC_RE.match(total[1]):
            problems.append(f"no total_traffic in coturn's format after deletion: {subscriber.snapshot()}")
        else:
            trcvp, trcvb, tsentp, tsentb = map(int, TRAFFIC_RE.match(total[1]).groups())
            if not (trcvp >= sent and trcvb >= sent_bytes and tsentp >= echoed and tsentb >= tsentp):
                problems.append(f"total_traffic {total[1]!r} below what was relayed: {sent} packets "
                                f"({sent_bytes} B) sent, {echoed} echoed")
        if subscriber.errors:
            problems.append(f"subscriber errors: {subscriber.errors}")

        # All messages of the allocation on one coturn key prefix: turn/realm/<realm>/user/
        # <username as the client sent it (ss->username)>/allocation/<%018llu id>/...; for a
        # REST credential that is "<expiry>:<user>".
        channels = sorted({m[0] for m in subscriber.snapshot()})
        prefixes, wrong_user = set(), []
        for channel in channels:
            match = key_re.match(channel)
            if not match:
                problems.append(f"channel {channel!r} is not coturn's turn/realm/<realm>/user/<user>/allocation/<id>/<kind>")
                continue
            prefixes.add(channel.rsplit("/", 1)[0])
            if len(match["id"]) < 18:
                problems.append(f"allocation id not printed as %018llu: {channel!r}")
            if match["user"] != username:
                wrong_user.append(channel)
        if wrong_user:
            problems.append(f"the key's user segment is not the username the client sent ({username!r}), "
                            f"as coturn's ss->username is: {wrong_user}")
        if len(prefixes) > 1:
            problems.append(f"one allocation's messages on several prefixes: {sorted(prefixes)}")
        assert not problems, "statsdb problems:\n- " + "\n- ".join(problems)
    finally:
        subscriber.close()


# --- 5. Redis lost and back ----------------------------------------------------------

def test_redis_outage_and_reconnect(turngate, redis, echo_peer, echo_peers):
    secret = "outage-" + secrets.token_hex(12)
    rdb = redis()
    node = start_node(turngate, rdb, node_id="outage-a", secret=secret, extra=["user-quota=5"])
    wait_metric(node, REDIS_UP, 1.0, 5.0)
    with relaying_client(node, *tc.rest_credentials(secret, "gina"), echo_peer) as client:
        rdb.kill()
        for index in range(5):
            assert echo_ok(client, f"while Redis is down {index}".encode()), \
                f"the allocation stopped relaying when Redis was killed (round trip {index})"
        down_after = wait_metric(node, REDIS_UP, 0.0, 5.0)
        assert node.alive()
        assert echo_ok(client, b"after the metric dropped")

        rdb.start()
        up_after = wait_metric(node, REDIS_UP, 1.0, 8.0)
        assert echo_ok(client, b"after Redis came back")
    with relaying_client(node, *tc.rest_credentials(secret, "gina", ttl=1800), echo_peers()) as fresh:
        fresh.refresh(0)
    # The new allocation went through Redis again: its lease was taken and released.
    assert node.alive()
    print(f"redis_up fell to 0 {down_after:.1f} s after the kill, back to 1 {up_after:.1f} s after restart")


def test_allocation_while_redis_is_down_falls_back_to_node_count(turngate, redis, echo_peer):
    secret = "fallback-" + secrets.token_hex(12)
    rdb = redis()
    node = start_node(turngate, rdb, node_id="fallback-a", secret=secret, extra=["user-quota=1"])
    wait_metric(node, REDIS_UP, 1.0, 5.0)
    rdb.kill()
    wait_metric(node, REDIS_UP, 0.0, 5.0)
    before = counter(node, "turngate_cluster_quota_fallbacks_total")
    started = time.monotonic()
    with tc.TurnClient(node.address, *tc.rest_credentials(secret, "hank"), timeout=4.0) as client:
        msg = client.allocate(check=False)
        took = time.monotonic() - started
        assert msg.cls == stun.CLASS_SUCCESS, \
            f"Allocate under user-quota with Redis down: expected success (per-node fallback), got {tc.describe(msg)}"
        assert took < 3.0, f"Allocate with Redis down took {took:.1f} s"
        after = counter(node, "turngate_cluster_quota_fallbacks_total")
        assert after >= before + 1, f"turngate_cluster_quota_fallbacks_total {before} -> {after}"
        # The node's own count still holds user-quota 1.
        with tc.TurnClient(node.address, *tc.rest_credentials(secret, "hank", ttl=1800), timeout=4.0) as second:
            msg = second.allocate(check=False)
            assert code_of(msg) == 486, f"second allocation of hank on the node: expected 486, got {tc.describe(msg)}"
        client.refresh(0)


# --- 6. Redis unreachable at start ---------------------------------------------------

def test_redis_unreachable_at_start_exits_nonzero(turngate):
    closed = free_port()
    node = start_node(turngate, None, node_id="down-a", secret="s-" + secrets.token_hex(8), probe=None,
                      redis_lines=[f'redis-userdb="ip=127.0.0.1 port={closed} dbname=0 connect_timeout=2"'])
    rc = node.wait_exit(15)
    assert rc is not None, f"turngate kept running with redis-userdb on a closed port\n{node.logs()}"
    assert rc != 0, f"turngate exited 0 with Redis unreachable\n{node.logs()}"
    assert "redis-userdb" in node.output(), f"the exit message does not name redis-userdb\n{node.logs()}"


def test_redis_optional_starts_without_redis(turngate, tmp_path, echo_peer):
    closed = free_port()
    secret = "opt-" + secrets.token_hex(12)
    node = start_node(turngate, None, node_id="opt-a", secret=secret,
                      redis_lines=[f'redis-userdb="ip=127.0.0.1 port={closed} dbname=0 connect_timeout=2"',
                                   "redis-optional"])
    with relaying_client(node, *tc.rest_credentials(secret, "ivy"), echo_peer) as client:
        wait_metric(node, REDIS_UP, 0.0, 5.0)
        # Redis appears later on that port: the node connects by itself.
        rdb = RedisServer(tmp_path, port=closed)
        try:
            rdb.start()
            wait_metric(node, REDIS_UP, 1.0, 8.0)
        finally:
            rdb.stop()
        assert echo_ok(client, b"still relaying")
        client.refresh(0)


def test_gateway_hands_out_the_least_loaded_nodes_uris(turngate, redis, echo_peer):
    """Each node publishes its load and its turn-uris; a node's gateway hands out the URIs of
    the healthy node with the fewest allocations, whichever node it is."""


    server = redis()
    secret = "rest-" + secrets.token_hex(12)
    jwt_secret = "jwt-" + secrets.token_hex(24)
    api_port = free_port()
    node_a = start_node(turngate, server, node_id="node-a", secret=secret,
                        extra=["turn-uris=turn:127.0.0.1:1001?transport=udp", "api-listening-ip=127.0.0.1",
                               f"api-listening-port={api_port}", f"jwt-secret={jwt_secret}"])
    node_b = start_node(turngate, server, node_id="node-b", secret=secret,
                        extra=["turn-uris=turn:127.0.0.1:2002?transport=udp"])

    def minted_uris() -> list:
        now = int(time.time())
        token = jwtutil.sign({"sub": "frank", "iat": now, "exp": now + 300}, "HS256", jwt_secret.encode())
        status, text = http(api_port, "POST", "/v1/turn/credentials", token=token)
        assert status == 200, text
        return json.loads(text)["uris"]

    def wait_for_uris(expected: list, timeout: float = 8.0) -> list:
        deadline = time.monotonic() + timeout
        uris = minted_uris()
        while uris != expected and time.monotonic() < deadline:
            time.sleep(0.3)
            uris = minted_uris()
        return uris

    username, password = tc.rest_credentials(secret, "grace", ttl=600)
    with tc.TurnClient(node_a.address, username, password) as first, \
            tc.TurnClient(node_a.address, username, password) as second:
        first.allocate()
        second.allocate()
        # Node A holds two allocations, node B none: A's gateway sends clients to B.
        assert wait_for_uris(["turn:127.0.0.1:2002?transport=udp"]) == ["turn:127.0.0.1:2002?transport=udp"]
        clients = [tc.TurnClient(node_b.address, username, password) for _ in range(3)]
        try:
            for client in clients:
                client.allocate()
            # Now B holds three: back to A.
            assert wait_for_uris(["turn:127.0.0.1:1001?transport=udp"]) == ["turn:127.0.0.1:1001?transport=udp"]
        finally:
            for client in clients:
                client.close()


def test_cluster_room_quota(turngate, redis):
    """`room-quota 2` on two nodes: the third allocation of a room, by any user, is refused
    with 486 whichever node it lands on; other rooms are not affected."""
    server = redis()
    secret = "rest-" + secrets.token_hex(12)
    nodes = [start_node(turngate, server, node_id=f"room-{name}", secret=secret, extra=["room-quota=2"])
             for name in ("a", "b")]
    clients = []
    try:
        for node, user in ((nodes[0], "u1"), (nodes[1], "u2")):
            username, password = tc.rest_credentials(secret, f"{user};r=blue", ttl=600)
            client = tc.TurnClient(node.address, username, password)
            clients.append(client)
            client.allocate()
        for node in nodes:
            username, password = tc.rest_credentials(secret, "u3;r=blue", ttl=600)
            msg, client = try_allocate(node, username, password)
            clients.append(client)
            assert code_of(msg) == 486, f"third allocation of room blue on {node.node_id}: {tc.describe(msg)}"
        username, password = tc.rest_credentials(secret, "u4;r=green", ttl=600)
        msg, client = try_allocate(nodes[0], username, password)
        clients.append(client)
        assert msg.cls == stun.CLASS_SUCCESS, f"room green: {tc.describe(msg)}"
    finally:
        for client in clients:
            client.close()
