"""The credential gateway (docs/gateway.md), end to end: the real `turngate` process, its HTTP
API on 127.0.0.1, real TURN clients relaying with the credentials it mints.

One gateway server is shared by the module (`gateway`): static-auth-secret, an HS256
jwt-secret, an RSA and an EC P-256 jwt-public-key-file, an Ed25519 jwt-jwks-file, issuer,
audience, `jwt-required-claim type=webrtc`, `user-quota 5`, an admin token file and loopback
relaying; it is ready when GET /readyz answers 200. Tests that need other settings (rate
limit, admin port, drain, a public-key-only server) start their own. Every test uses its own
user names, so the shared server's state (quota, revocations) never leaks from one test into
another. JWTs are signed by jwtutil.py (`cryptography` only), which can also make bad tokens.

What is checked:
- health, readiness, /metrics and 404 on the API listener;
- a minted credential: every field of the contract, the password's HMAC, then aioice
  allocating with `iceServers[0]` and relaying to an echo peer;
- request options (ttl, roomId), refusals (room, permissions, bad JSON, large body), the
  TURN REST draft endpoint (GET /?service=turn);
- user-quota: five allocations succeed, the sixth gets 486, deleting one makes room;
- the audio bandwidth class (100 kbit/s) enforced on the relay in both directions;
- revocation by user (live allocation stops within 1 s, 403 `revoked`, unlisted, bystander
  untouched), by username with `seconds` (expires), by room (lifted again), DELETE of
  allocations, admin-listening-port, api-denied-ip, drain;
- api-rate-limit 50/60 per client IP and per user, with Retry-After and RateLimit-*, for
  the whole minute, oversized bodies not counted;
- bad tokens: 401, the contract's code, WWW-Authenticate, Cache-Control: no-store, and the
  rejection metrics (per reason, and the token_rejected security event); tokens within the
  rules; RS256/PS256/ES256 (PEM), EdDSA (JWKS, with and without kid), HS384/HS512 minting;
  HS256 keyed with a public key's PEM refused; grants cannot be injected; the 128-byte user
  and room and 509-byte user name limits, and every minted credential can allocate;
- jwt-jwks-url (a JWKS over HTTP on 127.0.0.1): keys used, no fetch storm on unknown kids;
  SIGHUP rotating the jwt-secret and the admin token, and a refused reload changing nothing;
- the admin API refuses anything but its token, and throttles a client after 10 failures
  a minute (the right token included) for the rest of the minute;
- nothing secret (JWTs, jwt-secret, static-auth-secret, admin token, minted passwords) ever
  appears in the server's stdout/stderr at log-level debug (SECRETS collects them).

All traffic stays on loopback (127.0.0.1; 127.0.0.2 as a second client address where the
limit or filter per IP is checked). Every wait is bounded (HTTP and socket timeouts, loops
with a deadline and a count).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import itertools
import json
import re
import secrets
import signal
import socket
import threading
import time
import types
from datetime import datetime, timezone
from http.client import HTTPConnection, HTTPException
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest

import jwtutil
import stun
import turnclient as tc
from conftest import TurnGateFactory, free_port, server_kind

from aioice import turn as aioice_turn

# The subject is not the UDP data path: `make test` runs this module with the first engine only.
RELAY_ENGINE_INDEPENDENT = True

pytestmark = pytest.mark.skipif(server_kind() != "turngate",
                                reason="the credential gateway is TurnGate's own")

REALM = "gateway.test"
ISSUER = "https://issuer.gateway.test/"
AUDIENCE = "turngate-e2e"
STATIC_AUTH_SECRET = "static-" + secrets.token_hex(20)
# At least 64 bytes: RFC 7518 section 3.2 wants an HMAC key as long as the hash (HS512: 64).
JWT_SECRET = "jwt-" + secrets.token_urlsafe(64)
ADMIN_TOKEN = "admin-" + secrets.token_urlsafe(32)
CREDENTIAL_TTL = 3600                                      # the default credential-ttl
USER_QUOTA = 5
AUDIO_KBPS, VIDEO_KBPS = 100, 1000                         # the default bandwidth classes
HTTP_TIMEOUT = 5.0
READY_TIMEOUT = 10.0
STEP_TIMEOUT = 5.0
TOKEN_METRIC = "turngate_gateway_token_rejections_total"

# Everything that must never be logged; extended as tokens are signed and credentials minted.
SECRETS: set = {STATIC_AUTH_SECRET, JWT_SECRET, ADMIN_TOKEN}

_user_counter = itertools.count(1)


def unique_user(prefix: str) -> str:
    return f"{prefix}-{next(_user_counter)}-{secrets.token_hex(3)}"


def remember(secret: str) -> str:
    if secret and len(secret) >= 16:
        SECRETS.add(secret)
    return secret


# --- tokens -------------------------------------------------------------------------

def claims(user: str | None, *, room: str | None = "room-42", permissions=("audio", "video"),
           drop=(), **extra) -> dict:
    """A token's claims that the shared gateway accepts; `extra` replaces or adds claims,
    `drop` removes them."""
    now = int(time.time())
    result = {"iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 600, "type": "webrtc"}
    if user is not None:
        result["sub"] = user
        result["userId"] = user
    if room is not None:
        result["roomId"] = room
    if permissions is not None:
        result["permissions"] = permissions if isinstance(permissions, str) else list(permissions)
    result.update(extra)
    for name in drop:
        result.pop(name, None)
    return result


def signed(claim_set: dict, alg: str = "HS256", key=None, **kwargs) -> str:
    """A JWT (recorded in SECRETS). HS* tokens default to the configured jwt-secret."""
    if key is None:
        key = JWT_SECRET.encode()
    token = jwtutil.sign(claim_set, alg, key, **kwargs)
    remember(token)
    sig = token.rsplit(".", 1)[1]
    remember(sig)   # a truncated token in a log would still show its signature
    return token


# --- HTTP ---------------------------------------------------------------------------

class Reply:
    def __init__(self, method, path, status, headers, body):
        self.method, self.path, self.status, self.headers, self.body = method, path, status, headers, body
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None

    def header(self, name: str) -> str | None:
        return self.headers.get(name)

    def __repr__(self) -> str:
        heads = "; ".join(f"{k}: {v}" for k, v in self.headers.items())
        return f"{self.method} {self.path} -> {self.status} [{heads}] {self.body[:600]!r}"


def http(port: int, method: str, path: str, *, token: str | None = None, authorization: str | None = None,
         body=None, raw_body: bytes | None = None, source: str | None = None, headers=None) -> Reply:
    conn = HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT,
                                      source_address=(source, 0) if source else None)
    try:
        heads = dict(headers or {})
        if token is not None:
            heads["Authorization"] = f"Bearer {token}"
        if authorization is not None:
            heads["Authorization"] = authorization
        data = raw_body
        if body is not None:
            data = json.dumps(body).encode()
            heads["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=heads)
        response = conn.getresponse()
        payload = response.read()
        return Reply(method, path, response.status, response.headers, payload.decode("utf-8", "replace"))
    finally:
        conn.close()


def mint(server, token: str, body=None, source: str | None = None) -> Reply:
    reply = http(server.api_port, "POST", "/v1/turn/credentials", token=token, body=body, source=source)
    if reply.status == 200 and isinstance(reply.json, dict):
        for key in ("password", "credential"):
            if isinstance(reply.json.get(key), str):
                remember(reply.json[key])
    return reply


def mint_ok(server, user: str, **claim_kwargs) -> dict:
    reply = mint(server, signed(claims(user, **claim_kwargs)))
    assert reply.status == 200, f"mint for {user}: {reply!r}"
    return reply.json


def admin(server, method: str, path: str, body=None, token: str = ADMIN_TOKEN) -> Reply:
    return http(server.api_port, method, path, token=token, body=body)


def assert_error(reply: Reply, status: int, code, what: str) -> None:
    codes = {code} if isinstance(code, str) else set(code)
    assert reply.status == status, f"{what}: expected {status} {sorted(codes)}, got {reply!r}"
    assert isinstance(reply.json, dict) and reply.json.get("error") in codes, \
        f"{what}: expected error code {sorted(codes)}, got {reply!r}"
    assert isinstance(reply.json.get("message"), str), f"{what}: error without a message: {reply!r}"


def assert_no_store(reply: Reply, what: str) -> None:
    assert (reply.header("Cache-Control") or "").lower() == "no-store", \
        f"{what}: credential and admin responses carry Cache-Control: no-store; got {reply!r}"


def scrape(port: int) -> dict:
    """The API listener's /metrics as {sample name with labels: value}."""
    reply = http(port, "GET", "/metrics")
    assert reply.status == 200, f"/metrics: {reply!r}"
    assert (reply.header("Content-Type") or "").startswith("text/plain"), f"/metrics: {reply!r}"
    samples = {}
    for line in reply.body.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    return samples


SECURITY_METRIC = "turngate_gateway_security_events_total"


def security_events(samples: dict, event: str) -> float:
    return sum(value for name, value in samples.items()
               if name.startswith(SECURITY_METRIC + "{") and f'event="{event}"' in name)


def rejections(samples: dict) -> dict:
    """{reason: count} of turngate_gateway_token_rejections_total, whatever the label's name."""
    counts = {}
    for name, value in samples.items():
        if name == TOKEN_METRIC or name.startswith(TOKEN_METRIC + "{"):
            labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', name))
            reason = labels.get("reason") or labels.get("code") or labels.get("error") \
                or ",".join(labels.values())
            counts[reason] = counts.get(reason, 0) + value
    return counts


def wait_http_ready(server, port: int, timeout: float = READY_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if not server.alive():
            raise AssertionError(f"turngate exited with {server.proc.returncode}\n{server.logs()}")
        try:
            last = http(port, "GET", "/readyz")
            if last.status == 200:
                return
        except (OSError, HTTPException) as e:
            last = e
        time.sleep(0.05)
    raise AssertionError(f"GET /readyz on port {port} not 200 within {timeout} s (last: {last!r})\n"
                         f"{server.logs()}")


def rest_password(username: str) -> str:
    return base64.b64encode(hmac.new(STATIC_AUTH_SECRET.encode(), username.encode(),
                                     hashlib.sha1).digest()).decode()


def parse_time(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc).timestamp()


def split_username(username: str):
    """("<expiry>", "<user>", {grant: value}) of a minted user name."""
    head, *grants = username.split(";")
    expiry, _, user = head.partition(":")
    return expiry, user, dict(g.split("=", 1) for g in grants)


def turn_address_from_uri(uri: str) -> tuple:
    match = re.fullmatch(r"turn:([0-9.]+):(\d+)\?transport=udp", uri)
    assert match, f"unexpected TURN URI {uri!r}"
    return match.group(1), int(match.group(2))


# --- the shared gateway server --------------------------------------------------------

class _LogView:
    """Puts the module's server in a test's failure report. conftest's teardown skips it
    (no `proc`), so a function-scoped `turngate` fixture never stops the shared server."""

    proc = None

    def __init__(self, server):
        self.server = server
        self.name = server.name

    def logs(self) -> str:
        return self.server.logs()


@pytest.fixture(scope="module")
def gateway(turngate_bin, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("gateway")
    keys = jwtutil.IssuerKeys.generate(workdir)
    admin_file = workdir / "admin-token"
    admin_file.write_text(ADMIN_TOKEN + "\n")   # as `echo TOKEN > file` writes it
    turn_port = free_port("127.0.0.1")
    api_port = free_port("127.0.0.1")
    turn_uri = f"turn:127.0.0.1:{turn_port}?transport=udp"
    lines = [
        f"realm={REALM}",
        "use-auth-secret",
        f"static-auth-secret={STATIC_AUTH_SECRET}",
        "api-listening-ip=127.0.0.1",
        f"api-listening-port={api_port}",
        f"jwt-secret={JWT_SECRET}",
        f"jwt-public-key-file={keys.rsa_pem_path}",
        f"jwt-public-key-file={keys.ec_pem_path}",
        f"jwt-jwks-file={keys.jwks_path}",
        f"jwt-issuer={ISSUER}",
        f"jwt-audience={AUDIENCE}",
        "jwt-required-claim=type=webrtc",
        f"turn-uris={turn_uri}",
        f"user-quota={USER_QUOTA}",
        f"admin-token-file={admin_file}",
        "allow-loopback-peers",
        "relay-ip=127.0.0.1",
        # Far above what the module sends (its requests all come from 127.0.0.1), so that the
        # default 50/60 never refuses a request here; test_rate_limit has its own server.
        "api-rate-limit=10000/60",
    ]
    holder = types.SimpleNamespace()
    factory = TurnGateFactory(turngate_bin, workdir, holder, name_prefix="gateway")
    try:
        server = factory.start(lines, port=turn_port)
        wait_http_ready(server, api_port)
        server.api_port = api_port
        server.turn_uri = turn_uri
        server.keys = keys
        yield server
    finally:
        factory.teardown()


@pytest.fixture(autouse=True)
def _attach_gateway_logs(request):
    if "gateway" in request.fixturenames:
        server = request.getfixturevalue("gateway")
        if not hasattr(request.node, "_turngate_servers"):
            request.node._turngate_servers = []
        request.node._turngate_servers.append(_LogView(server))
    yield


def assert_no_secrets_in_logs(server) -> None:
    text = server.output()
    leaked = []
    for secret in sorted(SECRETS):
        forms = {secret, secret.replace("/", "\\/"), secret.replace("+", "%2B").replace("/", "%2F")}
        if any(form in text for form in forms):
            leaked.append(secret[:12] + "...")
    assert not leaked, (f"{len(leaked)} secret(s) appear in {server.name}'s stdout/stderr "
                        f"(first characters shown): {leaked}")


# --- peers --------------------------------------------------------------------------

class CountingPeer:
    """A UDP peer in a thread that timestamps every datagram (time.monotonic(), size)."""

    def __init__(self, host: str = "127.0.0.1"):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        self.sock.bind((host, 0))
        self.sock.settimeout(0.05)
        self.address = self.sock.getsockname()[:2]
        self.arrivals: list = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data, _ = self.sock.recvfrom(65535)
            except (socket.timeout, OSError):
                continue
            with self._lock:
                self.arrivals.append((time.monotonic(), len(data)))

    def bytes_between(self, start: float, end: float) -> int:
        with self._lock:
            return sum(n for t, n in self.arrivals if start <= t <= end)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


def release(*clients) -> None:
    """Delete the allocations (Refresh LIFETIME 0) and close the sockets, ignoring errors."""
    for client in clients:
        try:
            if client.relayed is not None:
                client.refresh(0)
        except (OSError, AssertionError):
            pass
        client.close()


def echo_round_trip(client: tc.TurnClient, channel: int, payload: bytes, timeout: float = 2.0) -> bool:
    client.send_channel_data(channel, payload)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = client.recv_data(timeout=max(0.01, deadline - time.monotonic()))
        if got is None:
            return False
        if got[1] == payload:
            return True
    return False


def assert_relaying_stops(client: tc.TurnClient, channel: int, peer, since: float, what: str,
                          within: float = 1.0) -> None:
    """Probe the allocation every 50 ms (for at most within + 0.5 s): relaying must stop
    within `within` seconds of `since` (time.monotonic()) and stay stopped for at least
    0.25 s (6 probes in a row not delivered); the peer's datagrams must not reach the client."""
    probes = []
    stopped_since = None
    for index in range(int((within + 0.5) / 0.05) + 1):
        if time.monotonic() > since + within + 0.5:
            break
        payload = f"after {what} {index}".encode()
        client.send_channel_data(channel, payload)
        probes.append((time.monotonic() - since, payload))
        time.sleep(0.05)
        delivered = set(peer.payloads())
        undelivered_tail = list(itertools.takewhile(lambda p: p[1] not in delivered, reversed(probes)))
        if len(undelivered_tail) >= 6:
            stopped_since = undelivered_tail[-1][0]
            break
    time.sleep(0.1)
    delivered = set(peer.payloads())
    timeline = [(round(t, 3), p in delivered) for t, p in probes]
    assert stopped_since is not None and stopped_since <= within, \
        f"the allocation still relays after {what}: (seconds, delivered) {timeline}"
    assert not any(p in delivered for t, p in probes if t >= stopped_since), \
        f"relaying resumed after {what}: {timeline}"
    marker = f"from the peer after {what}".encode()
    peer.send(marker, client.relayed)
    got = client.recv_data(timeout=0.3)
    for _ in range(100):
        if got is None or got[1] == marker:
            break
        got = client.recv_data(timeout=0.3)
    assert got is None, f"the peer's datagram reached the client after {what}"


# === 1 and 10: the listener is up; health; unknown paths ==================================

def test_health_readiness_and_metrics(gateway):
    healthz = http(gateway.api_port, "GET", "/healthz")
    assert healthz.status == 200 and healthz.json == {"status": "ok"}, repr(healthz)
    readyz = http(gateway.api_port, "GET", "/readyz")
    assert readyz.status == 200 and readyz.json == {"status": "ready"}, repr(readyz)
    samples = scrape(gateway.api_port)
    assert any(name.startswith(TOKEN_METRIC) for name in samples), \
        f"{TOKEN_METRIC} is not exported on the API listener's /metrics"
    missing = http(gateway.api_port, "GET", "/v1/no-such-endpoint")
    assert_error(missing, 404, "not_found", "GET of an unknown path")


# === 2: mint over HTTP, check the contract, relay with the credential =====================

async def _aioice_relay(server_address, username, password, peer, count=5):
    class Collector(asyncio.DatagramProtocol):
        def __init__(self):
            self.queue = asyncio.Queue()
            self.lost = asyncio.get_running_loop().create_future()

        def datagram_received(self, data, addr):
            self.queue.put_nowait((data, addr))

        def connection_lost(self, exc):
            if not self.lost.done():
                self.lost.set_result(exc)

    transport, protocol = await asyncio.wait_for(
        aioice_turn.create_turn_endpoint(Collector, server_addr=server_address, username=username,
                                         password=password, transport="udp"), STEP_TIMEOUT)
    try:
        relayed = transport.get_extra_info("sockname")
        for i in range(count):
            payload = f"minted-credential-{i}".encode()
            transport.sendto(payload, peer.address)
            data, addr = await asyncio.wait_for(protocol.queue.get(), STEP_TIMEOUT)
            assert (data, tuple(addr)) == (payload, tuple(peer.address)), f"echo {i}: {data!r} from {addr}"
        return tuple(relayed)
    finally:
        transport.close()   # Refresh LIFETIME 0, then the socket closes
        await asyncio.wait_for(protocol.lost, STEP_TIMEOUT)


def test_mint_contract_and_relay(gateway, echo_peer):
    user, room = unique_user("alice"), "room-42"
    before = time.time()
    reply = mint(gateway, signed(claims(user, room=room, permissions=["audio", "video"])))
    after = time.time()
    assert reply.status == 200, repr(reply)
    assert (reply.header("Content-Type") or "").startswith("application/json"), repr(reply)
    assert_no_store(reply, "a minted credential")
    for name in ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"):
        assert (reply.header(name) or "").strip().isdigit(), f"{name} missing or not a number: {reply!r}"
    body = reply.json
    expected_keys = {"username", "password", "credential", "ttl", "expiresAt", "refreshAfter", "uris",
                     "iceServers", "userId", "roomId", "bandwidthClass", "maxBitrateKbps"}
    assert isinstance(body, dict) and expected_keys <= set(body), \
        f"missing fields {sorted(expected_keys - set(body or {}))}: {reply!r}"

    username, password = body["username"], body["password"]
    expiry, name, grants = split_username(username)
    assert name == user, f"user part of {username!r}"
    assert grants == {"r": room, "bw": str(VIDEO_KBPS)}, f"grants of {username!r}"
    assert expiry.isdigit() and before + CREDENTIAL_TTL - 2 <= int(expiry) <= after + CREDENTIAL_TTL + 2, \
        f"expiry {expiry} is not now + credential-ttl ({CREDENTIAL_TTL})"
    assert password == rest_password(username), "password is not base64(HMAC-SHA1(static-auth-secret, username))"
    assert body["credential"] == password
    assert body["ttl"] == CREDENTIAL_TTL
    assert abs(parse_time(body["expiresAt"]) - int(expiry)) <= 1, f"expiresAt {body['expiresAt']} vs {expiry}"
    refresh_at = int(expiry) - CREDENTIAL_TTL * 0.2
    assert abs(parse_time(body["refreshAfter"]) - refresh_at) <= 2, \
        f"refreshAfter {body['refreshAfter']} is not at 80% of the lifetime"
    assert body["uris"] == [gateway.turn_uri]
    assert body["iceServers"] == [{"urls": [gateway.turn_uri], "username": username, "credential": password}]
    assert body["userId"] == user and body["roomId"] == room
    assert body["bandwidthClass"] == "video" and body["maxBitrateKbps"] == VIDEO_KBPS

    ice = body["iceServers"][0]
    server_address = turn_address_from_uri(ice["urls"][0])
    assert server_address == gateway.address
    relayed = asyncio.run(_aioice_relay(server_address, ice["username"], ice["credential"], echo_peer))
    assert relayed[0] == "127.0.0.1"
    assert set(echo_peer.sources()) == {relayed}, f"peer saw {set(echo_peer.sources())}, relay {relayed}"


def test_mint_request_options_and_refusals(gateway):
    problems = []

    def check(cond, text):
        if not cond:
            problems.append(text)

    user = unique_user("options")
    short = mint(gateway, signed(claims(user)), body={"roomId": "room-42", "ttl": 600})
    check(short.status == 200 and short.json.get("ttl") == 600
          and abs(int(split_username(short.json["username"])[0]) - (time.time() + 600)) <= 3,
          f"ttl 600 in the body must shorten the credential: {short!r}")
    longer = mint(gateway, signed(claims(user)), body={"ttl": CREDENTIAL_TTL * 10})
    check(longer.status == 200 and longer.json.get("ttl") == CREDENTIAL_TTL,
          f"a ttl above credential-ttl can only shorten it (expected ttl {CREDENTIAL_TTL}): {longer!r}")

    other_room = mint(gateway, signed(claims(user, room="room-42")), body={"roomId": "room-43"})
    if other_room.status != 403 or (other_room.json or {}).get("error") != "room_not_allowed":
        problems.append(f"body roomId other than the token's: expected 403 room_not_allowed, got {other_room!r}")

    no_class = mint(gateway, signed(claims(user, permissions=["chat"])))
    if no_class.status != 403 or (no_class.json or {}).get("error") != "no_media_permission":
        problems.append(f"permissions naming no class: expected 403 no_media_permission, got {no_class!r}")

    unlimited = mint(gateway, signed(claims(user, permissions=None)))
    if unlimited.status != 200:
        problems.append(f"a token without permissions must mint: {unlimited!r}")
    else:
        grants = split_username(unlimited.json["username"])[2]
        check("bw" not in grants and unlimited.json.get("maxBitrateKbps") is None,
              f"a token without permissions gets no bandwidth class: {unlimited!r}")

    bad_json = http(gateway.api_port, "POST", "/v1/turn/credentials", token=signed(claims(user)),
                    raw_body=b"{not json", headers={"Content-Type": "application/json"})
    if bad_json.status != 400 or (bad_json.json or {}).get("error") != "bad_request":
        problems.append(f"malformed JSON body: expected 400 bad_request, got {bad_json!r}")

    too_large = http(gateway.api_port, "POST", "/v1/turn/credentials", token=signed(claims(user)),
                     raw_body=json.dumps({"roomId": "room-42", "pad": "x" * 17000}).encode(),
                     headers={"Content-Type": "application/json"})
    if too_large.status != 413 or (too_large.json or {}).get("error") != "body_too_large":
        problems.append(f"a 17 kB body: expected 413 body_too_large, got {too_large!r}")

    assert not problems, "\n".join(problems)


def test_rest_draft_endpoint(gateway):
    user = unique_user("draft")
    token = signed(claims(user))
    reply = http(gateway.api_port, "GET", f"/?service=turn&username={quote(user)}", token=token)
    assert reply.status == 200, repr(reply)
    assert set(reply.json) >= {"username", "password", "ttl", "uris"}, repr(reply)
    remember(reply.json["password"])
    assert split_username(reply.json["username"])[1] == user
    assert reply.json["password"] == rest_password(reply.json["username"])
    assert reply.json["uris"] == [gateway.turn_uri]
    other = http(gateway.api_port, "GET", "/?service=turn&username=someone-else", token=token)
    assert_error(other, 403, "username_mismatch", "username of another user")
    anonymous = http(gateway.api_port, "GET", f"/?service=turn&username={quote(user)}")
    assert_error(anonymous, 401, "missing_token", "no Authorization header")
    assert anonymous.header("WWW-Authenticate") == 'Bearer realm="turngate"', repr(anonymous)


# === 3: the user's quota ===============================================================

def test_quota_sixth_allocation_gets_486(gateway):
    user = unique_user("quota")
    body = mint_ok(gateway, user)
    clients = []
    try:
        for index in range(USER_QUOTA):
            client = tc.TurnClient(gateway.address, body["username"], body["password"])
            clients.append(client)
            msg = client.allocate(check=False)
            assert msg.cls == stun.CLASS_SUCCESS, f"allocation {index + 1} of {USER_QUOTA}: {tc.describe(msg)}"
        sixth = tc.TurnClient(gateway.address, body["username"], body["password"])
        clients.append(sixth)
        msg = sixth.allocate(check=False)
        assert tc.error_code(msg) == 486, f"allocation {USER_QUOTA + 1} of user-quota {USER_QUOTA}: " \
                                          f"expected 486, got {tc.describe(msg)}"
        # Another user is not affected.
        other = mint_ok(gateway, unique_user("quota-other"))
        stranger = tc.TurnClient(gateway.address, other["username"], other["password"])
        clients.append(stranger)
        msg = stranger.allocate(check=False)
        assert msg.cls == stun.CLASS_SUCCESS, f"another user's allocation: {tc.describe(msg)}"
        # Deleting one of the five makes room again.
        deleted = clients[0].refresh(0)
        assert deleted.cls == stun.CLASS_SUCCESS, f"Refresh LIFETIME 0: {tc.describe(deleted)}"
        clients[0].relayed = None
        again = tc.TurnClient(gateway.address, body["username"], body["password"])
        clients.append(again)
        msg = again.allocate(check=False)
        assert msg.cls == stun.CLASS_SUCCESS, f"allocation after one was deleted: {tc.describe(msg)}"
    finally:
        release(*clients)


# === 4: the bandwidth class is enforced in both directions ================================

PACKET = 500                                   # payload bytes per packet
CLASS_RATE = AUDIO_KBPS * 1000 / 8             # 12 500 bytes/s for the audio class
OFFERED_RATE = 2 * CLASS_RATE                  # we offer twice the class rate ...
OFFER_SECONDS = 2.5                            # ... for 2.5 s (62.5 kB, 125 packets)
# Tolerances: the relay may use a token bucket that starts full with up to one second of the
# class rate (coturn's max-bps does, and TurnGate's documented TokenBucket too), so over the
# whole run we allow 1.3 x the class rate (timing jitter, header bytes counted or not) plus
# one second's burst: 1.3 x 31.25 kB + 12.5 kB = 53.1 kB, below the 62.5 kB offered. Once
# the burst is spent (well before STEADY_FROM s at a 2x offer), the rate in the rest of the
# run must be at most 1.3 x the class rate plus two packets. A large fraction must get
# through: at least 70% of the class rate over the run (so nothing relayed fails).
RATE_TOLERANCE = 1.3
BURST_ALLOWANCE = CLASS_RATE * 1.0
STEADY_FROM = 1.5
MIN_FRACTION = 0.7


def paced(send, seconds: float, rate: float, size: int) -> float:
    """Call send() every size/rate seconds for `seconds`; returns the start time."""
    interval = size / rate
    count = int(seconds / interval)
    start = time.monotonic()
    for index in range(count):
        delay = start + index * interval - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        send()
    return start


def check_rate(direction: str, total: int, steady: int) -> list:
    expected = CLASS_RATE * OFFER_SECONDS
    upper = RATE_TOLERANCE * expected + BURST_ALLOWANCE
    steady_upper = RATE_TOLERANCE * CLASS_RATE * (OFFER_SECONDS - STEADY_FROM) + 2 * PACKET
    offered = OFFERED_RATE * OFFER_SECONDS
    problems = []
    if total > upper:
        problems.append(f"{direction}: {total} bytes delivered of {offered:.0f} offered in {OFFER_SECONDS} s, "
                        f"above the class allowance {upper:.0f} ({AUDIO_KBPS} kbit/s x {RATE_TOLERANCE} + burst)")
    if steady > steady_upper:
        problems.append(f"{direction}: {steady} bytes in the last {OFFER_SECONDS - STEADY_FROM} s, above "
                        f"{steady_upper:.0f} ({AUDIO_KBPS} kbit/s x {RATE_TOLERANCE})")
    if total < MIN_FRACTION * expected:
        problems.append(f"{direction}: only {total} bytes delivered, below {MIN_FRACTION:.0%} of the "
                        f"class rate over {OFFER_SECONDS} s ({MIN_FRACTION * expected:.0f})")
    return problems


def test_bandwidth_class_limits_the_relay(gateway):
    user = unique_user("audio")
    body = mint_ok(gateway, user, permissions=["audio"])
    assert body["bandwidthClass"] == "audio" and body["maxBitrateKbps"] == AUDIO_KBPS, repr(body)
    assert split_username(body["username"])[2].get("bw") == str(AUDIO_KBPS), body["username"]

    peer = CountingPeer()
    client = tc.TurnClient(gateway.address, body["username"], body["password"])
    client.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    try:
        client.allocate()
        assert client.channel_bind(0x4001, peer.address).cls == stun.CLASS_SUCCESS
        payload = b"u" * PACKET

        # client -> peer
        start = paced(lambda: client.send_channel_data(0x4001, payload), OFFER_SECONDS, OFFERED_RATE, PACKET)
        time.sleep(0.2)
        end = start + OFFER_SECONDS + 0.2
        up_total = peer.bytes_between(start, end)
        up_steady = peer.bytes_between(start + STEADY_FROM, end)

        # peer -> client (the peer sends to the relayed address; the channel carries it back)
        arrivals = []
        stop_reading = threading.Event()

        def reader():
            while not stop_reading.is_set():
                got = client.recv_data(timeout=0.05)
                if got is not None:
                    arrivals.append((time.monotonic(), len(got[1])))

        thread = threading.Thread(target=reader, daemon=True)
        thread.start()
        try:
            start = paced(lambda: peer.sock.sendto(payload, client.relayed), OFFER_SECONDS, OFFERED_RATE, PACKET)
            time.sleep(0.2)
        finally:
            stop_reading.set()
            thread.join(timeout=2)
        end = start + OFFER_SECONDS + 0.2
        down_total = sum(n for t, n in arrivals if start <= t <= end)
        down_steady = sum(n for t, n in arrivals if start + STEADY_FROM <= t <= end)
    finally:
        release(client)
        peer.close()

    problems = check_rate("client -> peer", up_total, up_steady) + check_rate("peer -> client", down_total, down_steady)
    assert not problems, "\n".join(problems)


# === 5: revocation ends the live allocation and refuses new credentials ====================

def test_revocation(gateway, echo_peer):
    user, room = unique_user("revoked"), "room-rev"
    body = mint_ok(gateway, user, room=room)
    client = tc.TurnClient(gateway.address, body["username"], body["password"])
    # A bystander in the same room whose name starts with the revoked user's: not revoked.
    bystander_body = mint_ok(gateway, user + "-bystander", room=room)
    bystander = tc.TurnClient(gateway.address, bystander_body["username"], bystander_body["password"])
    late_client = None
    try:
        client.allocate()
        bystander.allocate()
        assert client.channel_bind(0x4002, echo_peer.address).cls == stun.CLASS_SUCCESS
        assert bystander.channel_bind(0x4002, echo_peer.address).cls == stun.CLASS_SUCCESS
        assert echo_round_trip(client, 0x4002, b"before revocation"), "no echo before the revocation"

        listed = admin(gateway, "GET", f"/v1/admin/allocations?user={user}")
        assert listed.status == 200, repr(listed)
        entries = listed.json["allocations"]
        assert len(entries) == 1, f"expected the one allocation of {user}: {listed!r}"
        entry = entries[0]
        expected = {"username", "user", "room", "client", "relayed", "transport", "expiresInSeconds", "bandwidthKbps"}
        assert expected <= set(entry), f"missing {sorted(expected - set(entry))}: {entry}"
        assert entry["username"] == body["username"] and entry["user"] == user and entry["room"] == room, entry
        assert str(client.relayed[1]) in json.dumps(entry["relayed"]), f"relayed {entry['relayed']} vs {client.relayed}"
        assert str(client.local_address[1]) in json.dumps(entry["client"]), f"client {entry['client']} vs {client.local_address}"
        assert str(entry["transport"]).lower() == "udp" and entry["bandwidthKbps"] == VIDEO_KBPS, entry
        assert 0 < entry["expiresInSeconds"] <= client.lifetime, entry

        revoke = admin(gateway, "POST", "/v1/admin/revocations", body={"user": user})
        revoked_at = time.monotonic()
        assert revoke.status == 201, repr(revoke)
        assert "revoked" in revoke.json and user in json.dumps(revoke.json["revoked"]), repr(revoke)
        assert revoke.json.get("ended") == 1, f"expected 1 live allocation ended: {revoke!r}"

        assert_relaying_stops(client, 0x4002, echo_peer, revoked_at, "the revocation")
        assert echo_round_trip(bystander, 0x4002, b"bystander after revocation"), \
            "the revocation of one user stopped another user's allocation"

        refused = mint(gateway, signed(claims(user, room=room)))
        assert_error(refused, 403, "revoked", "a new credential for the revoked user")

        listed = admin(gateway, "GET", f"/v1/admin/allocations?user={user}")
        assert listed.status == 200 and listed.json == {"allocations": []}, \
            f"the revoked user's allocation is still listed: {listed!r}"
        revocations = admin(gateway, "GET", "/v1/admin/revocations")
        assert revocations.status == 200 and user in json.dumps(revocations.json.get("revocations")), \
            repr(revocations)

        late_client = tc.TurnClient(gateway.address, body["username"], body["password"])
        msg = late_client.allocate(check=False)
        assert msg.cls == stun.CLASS_ERROR, \
            f"a new Allocate with the revoked user's credential succeeded: {tc.describe(msg)}"
    finally:
        release(client, bystander, *([late_client] if late_client else []))


def test_revocation_of_one_username_expires(gateway):
    # {"username": N, "seconds": 1}: Allocates with N are refused, the same user's other
    # credentials are not, and after the second (bounded polling, 3 s) N works again.
    user = unique_user("one-name")
    body = mint_ok(gateway, user, room="room-a")
    other = mint_ok(gateway, user, room="room-b")
    revoke = admin(gateway, "POST", "/v1/admin/revocations", body={"username": body["username"], "seconds": 1})
    revoked_at = time.monotonic()
    assert revoke.status == 201 and revoke.json.get("ended") == 0, repr(revoke)
    clients = []
    try:
        refused = tc.TurnClient(gateway.address, body["username"], body["password"])
        clients.append(refused)
        msg = refused.allocate(check=False)
        assert msg.cls == stun.CLASS_ERROR, f"Allocate with the revoked user name: {tc.describe(msg)}"
        allowed = tc.TurnClient(gateway.address, other["username"], other["password"])
        clients.append(allowed)
        msg = allowed.allocate(check=False)
        assert msg.cls == stun.CLASS_SUCCESS, f"Allocate with the user's other credential: {tc.describe(msg)}"
        while True:
            listed = admin(gateway, "GET", "/v1/admin/revocations")
            still = body["username"] in json.dumps(listed.json.get("revocations"))
            if not still:
                break
            assert time.monotonic() - revoked_at < 3, f"a 1 s revocation still listed after 3 s: {listed!r}"
            time.sleep(0.1)
        again = tc.TurnClient(gateway.address, body["username"], body["password"])
        clients.append(again)
        msg = again.allocate(check=False)
        assert msg.cls == stun.CLASS_SUCCESS, f"Allocate once the revocation expired: {tc.describe(msg)}"
    finally:
        release(*clients)


def test_admin_ends_allocations_and_lifts_room_revocation(gateway, echo_peer):
    user, room = unique_user("ended"), "room-" + secrets.token_hex(4)
    body = mint_ok(gateway, user, room=room)
    first = tc.TurnClient(gateway.address, body["username"], body["password"])
    second = tc.TurnClient(gateway.address, body["username"], body["password"])
    clients = [first, second]
    try:
        first.allocate()
        second.allocate()
        assert first.channel_bind(0x4004, echo_peer.address).cls == stun.CLASS_SUCCESS
        assert echo_round_trip(first, 0x4004, b"before DELETE"), "no echo before DELETE"
        listed = admin(gateway, "GET", f"/v1/admin/allocations?room={room}")
        assert listed.status == 200 and len(listed.json["allocations"]) == 2, repr(listed)

        ended = admin(gateway, "DELETE", f"/v1/admin/allocations?user={user}")
        ended_at = time.monotonic()
        assert ended.status == 200 and ended.json == {"ended": 2}, repr(ended)
        assert_relaying_stops(first, 0x4004, echo_peer, ended_at, "DELETE /v1/admin/allocations")
        listed = admin(gateway, "GET", f"/v1/admin/allocations?user={user}")
        assert listed.status == 200 and listed.json == {"allocations": []}, repr(listed)
        # Ending is not revoking: the same credential allocates again.
        third = tc.TurnClient(gateway.address, body["username"], body["password"])
        clients.append(third)
        msg = third.allocate(check=False)
        assert msg.cls == stun.CLASS_SUCCESS, f"Allocate after DELETE (no revocation): {tc.describe(msg)}"

        # A room revocation refuses the room's credentials, not other rooms', until lifted.
        member = unique_user("member")
        revoke = admin(gateway, "POST", "/v1/admin/revocations", body={"room": room, "seconds": 60})
        assert revoke.status == 201 and room in json.dumps(revoke.json.get("revoked")), repr(revoke)
        assert revoke.json.get("ended") == 1, f"the room's one live allocation must end: {revoke!r}"
        assert_error(mint(gateway, signed(claims(member, room=room))), 403, "revoked", "a member of the revoked room")
        other_room = mint(gateway, signed(claims(member, room=room + "-other")))
        assert other_room.status == 200, f"another room is not revoked: {other_room!r}"
        listed = admin(gateway, "GET", "/v1/admin/revocations")
        assert listed.status == 200 and room in json.dumps(listed.json.get("revocations")), repr(listed)
        lifted = admin(gateway, "DELETE", f"/v1/admin/revocations?room={room}")
        assert lifted.status == 200 and lifted.json == {"lifted": 1}, repr(lifted)
        again = mint(gateway, signed(claims(member, room=room)))
        assert again.status == 200, f"after the revocation was lifted: {again!r}"
    finally:
        release(*clients)


def start_admin_port_gateway(turngate, tmp_path, extra=()):
    admin_port = free_port("127.0.0.1")
    token_file = tmp_path / "admin-token-separate"
    token_file.write_text(ADMIN_TOKEN + "\n")
    server = start_gateway(turngate, [f"admin-token-file={token_file}", f"admin-listening-port={admin_port}",
                                      *extra])
    server.admin_port = admin_port
    return server


def test_admin_listening_port_and_ip_filter(turngate, tmp_path):
    other_ip = second_loopback_address()
    # 127.0.0.2 denied as itself, 127.0.0.3 through its IPv4-mapped form (matches IPv4 clients).
    denials = ["api-denied-ip=127.0.0.2/32", "api-denied-ip=::ffff:127.0.0.3/128"] if other_ip else []
    server = start_admin_port_gateway(turngate, tmp_path, denials)
    # The admin API is on its own port only.
    on_api = http(server.api_port, "GET", "/v1/admin/allocations", token=ADMIN_TOKEN)
    assert_error(on_api, 404, "not_found", "the admin API on the API listener when admin-listening-port is set")
    on_admin = http(server.admin_port, "GET", "/v1/admin/allocations", token=ADMIN_TOKEN)
    assert on_admin.status == 200 and on_admin.json == {"allocations": []}, repr(on_admin)
    wrong = http(server.admin_port, "GET", "/v1/admin/allocations", token="wrong-token")
    assert_error(wrong, 401, "invalid_admin_token", "a wrong token on the admin port")

    token = signed(claims(unique_user("filtered")))
    if other_ip:
        denied = mint(server, token, source="127.0.0.2")
        assert_error(denied, 403, "ip_denied", "a credential request from api-denied-ip 127.0.0.2/32")
        mapped = mint(server, token, source="127.0.0.3")
        assert_error(mapped, 403, "ip_denied", "a request from 127.0.0.3, denied as ::ffff:127.0.0.3/128")
        allowed = mint(server, token, source="127.0.0.4")
        assert allowed.status == 200, f"127.0.0.4 is not denied: {allowed!r}"
    assert mint(server, token).status == 200
    assert_no_secrets_in_logs(server)


def assert_stops_cleanly_or_runs(server, timeout: float = 5.0) -> None:
    """The contract does not say whether a drained server exits; if it does, it must exit 0
    (as after SIGTERM). Waits at most `timeout` s; a server still running is fine."""
    rc = server.wait_exit(timeout) if server.alive() else server.proc.returncode
    assert rc in (None, 0), f"turngate exited with status {rc} after draining\n{server.logs()}"


def test_drain_with_a_live_allocation(turngate, tmp_path):
    server = start_admin_port_gateway(turngate, tmp_path)
    body = mint(server, signed(claims(unique_user("drain"))))
    assert body.status == 200, repr(body)
    client = tc.TurnClient(server.address, body.json["username"], body.json["password"])
    late = tc.TurnClient(server.address, body.json["username"], body.json["password"])
    try:
        client.allocate()
        drain = http(server.admin_port, "POST", "/v1/admin/drain", token=ADMIN_TOKEN)
        assert drain.status == 202 and drain.json == {"draining": True}, repr(drain)
        readyz = None
        for _ in range(40):                      # at most 2 s
            readyz = http(server.api_port, "GET", "/readyz")
            if readyz.status == 503:
                break
            time.sleep(0.05)
        assert readyz.status == 503 and readyz.json == {"status": "draining"}, f"/readyz while draining: {readyz!r}"
        healthz = http(server.api_port, "GET", "/healthz")
        assert healthz.status == 200 and healthz.json == {"status": "ok"}, repr(healthz)
        msg = late.allocate(check=False)
        assert msg.cls == stun.CLASS_ERROR, f"a new Allocate while draining: {tc.describe(msg)}"
        still = client.refresh(600)
        assert still.cls == stun.CLASS_SUCCESS, f"the live allocation while draining: {tc.describe(still)}"
    finally:
        release(client, late)
    assert_stops_cleanly_or_runs(server)
    assert_no_secrets_in_logs(server)


def test_drain_without_allocations(turngate, tmp_path):
    server = start_admin_port_gateway(turngate, tmp_path)
    try:
        drain = http(server.admin_port, "POST", "/v1/admin/drain", token=ADMIN_TOKEN)
    except (OSError, HTTPException) as e:
        raise AssertionError(f"POST /v1/admin/drain got no answer ({e!r}); server alive: {server.alive()}, "
                             f"exit status {server.proc.poll()}\n{server.logs()}") from e
    assert drain.status == 202 and drain.json == {"draining": True}, repr(drain)
    assert_stops_cleanly_or_runs(server)


# === 6: the rate limit (own server: 50/60) ===============================================

def start_gateway(turngate, extra=()):
    """A gateway server of its own (HS256 secret, issuer, audience) plus `extra` lines."""
    turn_port, api_port = free_port("127.0.0.1"), free_port("127.0.0.1")
    server = turngate.start([
        f"realm={REALM}", "use-auth-secret", f"static-auth-secret={STATIC_AUTH_SECRET}",
        "api-listening-ip=127.0.0.1", f"api-listening-port={api_port}", f"jwt-secret={JWT_SECRET}",
        f"jwt-issuer={ISSUER}", f"jwt-audience={AUDIENCE}",
        f"turn-uris=turn:127.0.0.1:{turn_port}?transport=udp", *extra,
    ], port=turn_port)
    wait_http_ready(server, api_port)
    server.api_port = api_port
    return server


def second_loopback_address() -> str | None:
    """127.0.0.2 when it can be bound (Linux routes all of 127/8 to lo), else None."""
    try:
        with socket.socket() as probe:
            probe.bind(("127.0.0.2", 0))
        return "127.0.0.2"
    except OSError:
        return None


def test_rate_limit_per_ip_and_per_user(turngate):
    server = start_gateway(turngate, ["api-rate-limit=50/60"])
    user_a, user_b, user_c = unique_user("rl-a"), unique_user("rl-b"), unique_user("rl-c")
    token_a, token_b, token_c = (signed(claims(u)) for u in (user_a, user_b, user_c))

    # A Content-Length over 16 KiB is refused before the rate limits count the request.
    for _ in range(5):
        big = http(server.api_port, "POST", "/v1/turn/credentials", token=token_a,
                   raw_body=b"{" + b" " * 17000 + b"}", headers={"Content-Type": "application/json"})
        assert_error(big, 413, "body_too_large", "a 17 kB body")
    started = time.monotonic()
    replies = [mint(server, token_a) for _ in range(50)]
    fifty_first = mint(server, token_a)
    elapsed = time.monotonic() - started
    refused = [r for r in replies if r.status != 200]
    assert not refused, f"{len(refused)} of the first 50 requests refused, first: {refused[0]!r}"
    remaining = [int(r.header("RateLimit-Remaining")) for r in replies]
    assert all(r.header("RateLimit-Limit") == "50" for r in replies), repr(replies[0])
    assert remaining == sorted(remaining, reverse=True) and remaining[0] >= 48, \
        f"RateLimit-Remaining over the 50 requests: {remaining}"
    assert all((r.header("RateLimit-Reset") or "").isdigit() for r in replies), repr(replies[-1])

    assert_error(fifty_first, 429, "rate_limited",
                 f"the 51st request of one user from one IP, {elapsed:.2f} s after the first "
                 f"(5 oversized requests before them must not count)")
    assert_no_store(fifty_first, "a 429")
    retry_after = fifty_first.header("Retry-After") or ""
    assert retry_after.isdigit() and 1 <= int(retry_after) <= 60, f"Retry-After: {fifty_first!r}"
    assert fifty_first.header("RateLimit-Limit") == "50", repr(fifty_first)
    assert fifty_first.header("RateLimit-Remaining") == "0", repr(fifty_first)
    assert (fifty_first.header("RateLimit-Reset") or "").isdigit(), repr(fifty_first)

    # Per client IP: another user from the same address is refused too.
    same_ip = mint(server, token_b)
    assert_error(same_ip, 429, "rate_limited", "another user from the limited IP")
    # Per user: the limited user from another loopback address is refused; a third user from
    # there is not (so the limit is not global).
    other_ip = second_loopback_address()
    if other_ip is None:
        pytest.skip("cannot bind 127.0.0.2: the per-user part needs a second loopback address")
    same_user = mint(server, token_a, source=other_ip)
    assert_error(same_user, 429, "rate_limited", "the limited user from another IP")
    fresh = mint(server, token_c, source=other_ip)
    assert fresh.status == 200, f"a new user from a new IP must not be limited: {fresh!r}"
    assert_no_secrets_in_logs(server)


def test_rate_limit_holds_for_the_whole_window(turngate):
    # "api-rate-limit 50/60": 50 credential requests per client IP and user in 60 s, so the
    # 51st and every later one within the minute is refused. Ask again every 0.25 s for 3 s
    # after the 50 (past the Retry-After of the first 429, which is a few seconds at most
    # under a rate-based limiter): none may succeed.
    server = start_gateway(turngate, ["api-rate-limit=50/60"])
    token = signed(claims(unique_user("rl-window")))
    started = time.monotonic()
    replies = [mint(server, token) for _ in range(50)]
    assert all(r.status == 200 for r in replies), [r for r in replies if r.status != 200][:1]
    accepted, other = [], []
    for _ in range(12):
        reply = mint(server, token)
        if reply.status == 200:
            accepted.append(round(time.monotonic() - started, 2))
        elif reply.status != 429:
            other.append(reply)
        time.sleep(0.25)
    assert not other, f"expected 429: {other[0]!r}"
    assert not accepted, (f"api-rate-limit 50/60 accepted {50 + len(accepted)} requests of one user from one IP "
                          f"within {time.monotonic() - started:.1f} s; the extra ones at seconds {accepted}")


# === 7: bad tokens over HTTP, and their metrics ==========================================

def _bad_tokens(keys) -> dict:
    """name -> (token or None for no Authorization, expected codes)."""
    now = int(time.time())
    other_secret = ("other-" + secrets.token_urlsafe(40)).encode()
    stranger_ec = jwtutil.ec.generate_private_key(jwtutil.ec.SECP256R1())
    stranger_ed = jwtutil.ed25519.Ed25519PrivateKey.generate()
    valid = signed(claims("victim"))
    return {
        "missing_token": (None, {"missing_token"}),
        "expired": (signed(claims("u1", iat=now - 7200, exp=now - 3600)), {"expired"}),
        "not_yet_valid": (signed(claims("u2", nbf=now + 3600, exp=now + 4000)), {"not_yet_valid"}),
        "issued_in_future": (signed(claims("u3", iat=now + 3600, exp=now + 4000)), {"issued_in_future"}),
        "wrong_issuer": (signed(claims("u4", iss="https://evil.example/")), {"wrong_issuer"}),
        "wrong_audience": (signed(claims("u5", aud="someone-else")), {"wrong_audience"}),
        "wrong_signature_hs256": (signed(claims("u6"), key=other_secret), {"bad_signature"}),
        "tampered_payload": (remember(jwtutil.replace_payload(valid, claims("admin"))), {"bad_signature"}),
        "wrong_signature_es256": (signed(claims("u7"), "ES256", stranger_ec), {"bad_signature"}),
        "alg_none": (signed(claims("u8"), "none"), {"unsupported_algorithm"}),
        # HS256 keyed with the configured public key's PEM (the "algorithm confusion" attack):
        # the bytes of the file, and without its final newline.
        "hs256_keyed_with_rsa_pem": (signed(claims("u9"), key=keys.rsa_pem_path.read_bytes()),
                                     {"bad_signature", "unsupported_algorithm"}),
        "hs256_keyed_with_rsa_pem_stripped": (signed(claims("u10"), key=keys.rsa_pem_path.read_bytes().strip()),
                                              {"bad_signature", "unsupported_algorithm"}),
        "hs256_keyed_with_ec_pem": (signed(claims("u11"), key=keys.ec_pem_path.read_bytes()),
                                    {"bad_signature", "unsupported_algorithm"}),
        "malformed_two_parts": ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0", {"malformed_token"}),
        "malformed_not_json": (f"{jwtutil.b64url(b'not json')}.{jwtutil.b64url_json(claims('u12'))}.c2ln",
                               {"malformed_token"}),
        "malformed_garbage": ("not-a-token", {"malformed_token"}),
        "missing_required_claim": (signed(claims("u13", drop=["type"])), {"missing_claim"}),
        "wrong_required_claim": (signed(claims("u14", type="chat")), {"missing_claim"}),
        "missing_exp": (signed(claims("u15", drop=["exp"])), {"missing_claim"}),
        "lifetime_too_long": (signed(claims("u16", iat=now, exp=now + 86400 + 3600)), {"lifetime_too_long"}),
        "no_user": (signed(claims(None)), {"no_user"}),
        "unknown_kid": (signed(claims("u17"), "EdDSA", stranger_ed, kid="no-such-key"), {"unknown_key"}),
        "user_over_128_bytes": (signed(claims("u" * 129)), {"malformed_token"}),
        "user_over_128_bytes_utf8": (signed(claims("\u00e9" * 65)), {"malformed_token"}),
        "room_over_128_bytes": (signed(claims("u18", room="r" * 129)), {"malformed_token"}),
        "permissions_of_wrong_type": (signed(dict(claims("u19"), permissions=42)), {"malformed_token"}),
        "permissions_with_a_number": (signed(dict(claims("u20"), permissions=["video", 3])), {"malformed_token"}),
        "room_of_wrong_type": (signed(dict(claims("u21"), roomId={"id": "room-42"})), {"malformed_token"}),
        "room_not_integral": (signed(dict(claims("u22"), roomId=4.5)), {"malformed_token"}),
        "json_nested_too_deep": (signed(claims("u23", extra=_nested(20))), {"malformed_token"}),
    }


def _nested(depth: int):
    value = "deep"
    for _ in range(depth):
        value = {"a": value}
    return value


BAD_TOKEN_CASES = ["missing_token", "expired", "not_yet_valid", "issued_in_future", "wrong_issuer",
                   "wrong_audience", "wrong_signature_hs256", "tampered_payload", "wrong_signature_es256",
                   "alg_none", "hs256_keyed_with_rsa_pem", "hs256_keyed_with_rsa_pem_stripped",
                   "hs256_keyed_with_ec_pem", "malformed_two_parts", "malformed_not_json",
                   "malformed_garbage", "missing_required_claim", "wrong_required_claim", "missing_exp",
                   "lifetime_too_long", "no_user", "unknown_kid", "user_over_128_bytes",
                   "user_over_128_bytes_utf8", "room_over_128_bytes", "permissions_of_wrong_type",
                   "permissions_with_a_number", "room_of_wrong_type", "room_not_integral",
                   "json_nested_too_deep"]


@pytest.mark.parametrize("case", BAD_TOKEN_CASES)
def test_bad_token_is_refused_and_counted(gateway, case):
    token, codes = _bad_tokens(gateway.keys)[case]
    before_samples = scrape(gateway.api_port)
    reply = mint(gateway, token) if token is not None else \
        http(gateway.api_port, "POST", "/v1/turn/credentials")
    after_samples = scrape(gateway.api_port)
    before, after = rejections(before_samples), rejections(after_samples)
    assert_error(reply, 401, codes, f"token case {case}")
    assert_no_store(reply, f"the 401 of token case {case}")
    code = reply.json["error"]
    challenge = reply.header("WWW-Authenticate")
    if code == "missing_token":
        assert challenge == 'Bearer realm="turngate"', repr(reply)
    else:
        assert challenge == f'Bearer error="invalid_token", error_description="{code}"', repr(reply)
    if token is not None:
        assert token not in reply.body, "the error body repeats the token"
    deltas = {reason: after.get(reason, 0) - before.get(reason, 0)
              for reason in set(before) | set(after) if after.get(reason, 0) != before.get(reason, 0)}
    assert deltas == {code: 1}, \
        f"{TOKEN_METRIC} must count exactly this one rejection under {code!r}; changes: {deltas}"
    events = security_events(after_samples, "token_rejected") - security_events(before_samples, "token_rejected")
    assert events == 1, f'{SECURITY_METRIC}{{event="token_rejected"}} moved by {events}, expected 1'




# === 8: asymmetric keys: RS256/PS256/ES256 from jwt-public-key-file, EdDSA from the JWKS ====

@pytest.mark.parametrize("alg", ["RS256", "PS256", "ES256", "EdDSA", "EdDSA-without-kid", "HS384", "HS512"])
def test_asymmetric_and_other_algorithms_mint(gateway, alg):
    # EdDSA-without-kid: the JWKS key has a kid, the token names none. A kid is optional
    # (RFC 7515 section 4.1.4), and the contract verifies a token without kid against the
    # keys ("a token without kid verifies with no key" is what triggers a JWKS refetch).
    keys = gateway.keys
    key, kid = {"RS256": (keys.rsa, None), "PS256": (keys.rsa, None), "ES256": (keys.ec, None),
                "EdDSA": (keys.ed, keys.ed_kid), "EdDSA-without-kid": (keys.ed, None),
                "HS384": (JWT_SECRET.encode(), None), "HS512": (JWT_SECRET.encode(), None)}[alg]
    user = unique_user(alg.lower())
    reply = mint(gateway, signed(claims(user), alg.split("-")[0], key, kid=kid))
    assert reply.status == 200, f"{alg} token: {reply!r}"
    assert reply.json["userId"] == user and split_username(reply.json["username"])[1] == user
    assert reply.json["password"] == rest_password(reply.json["username"])


@pytest.mark.parametrize("rule", ["aud_list", "exp_within_leeway", "nbf_within_leeway", "iat_within_leeway",
                                  "userId_only", "sub_over_userId", "largest_class", "unknown_and_audio",
                                  "single_string_permission", "integral_room"])
def test_tokens_within_the_rules_mint(gateway, rule):
    now = int(time.time())
    user = unique_user(rule.replace("_", "-"))
    token_claims, expected = {
        "aud_list": (claims(user, aud=["another-service", AUDIENCE]), {}),
        "exp_within_leeway": (claims(user, iat=now - 600, exp=now - 30), {}),     # jwt-leeway 60
        "nbf_within_leeway": (claims(user, nbf=now + 30), {}),
        "iat_within_leeway": (claims(user, iat=now + 30, exp=now + 600), {}),
        "userId_only": (claims(user, drop=["sub"]), {}),
        "sub_over_userId": (dict(claims(user), userId="someone-else"), {}),
        "largest_class": (claims(user, permissions=["audio", "screen", "video"]),
                          {"bandwidthClass": "screen", "maxBitrateKbps": 2500}),
        "unknown_and_audio": (claims(user, permissions=["chat", "audio"]),
                              {"bandwidthClass": "audio", "maxBitrateKbps": AUDIO_KBPS}),
        "single_string_permission": (claims(user, permissions="video"),
                                     {"bandwidthClass": "video", "maxBitrateKbps": VIDEO_KBPS}),
        "integral_room": (dict(claims(user), roomId=42), {"roomId": "42"}),
    }[rule]
    reply = mint(gateway, signed(token_claims))
    assert reply.status == 200, f"{rule}: {reply!r}"
    assert reply.json["userId"] == user and split_username(reply.json["username"])[1] == user, repr(reply)
    for key, value in expected.items():
        assert reply.json[key] == value, f"{rule}: {key} {reply.json[key]!r}, expected {value!r}"


def test_grant_injection_is_encoded(gateway):
    # A user or room holding ";bw=..." must not add a grant: values are percent-encoded.
    user, room = unique_user("eve") + ";bw=100000", "room;bw=100000;r=other"
    body = mint_ok(gateway, user, room=room)
    expiry, name, grants = split_username(body["username"])
    assert set(grants) == {"r", "bw"} and grants["bw"] == str(VIDEO_KBPS), f"grants of {body['username']!r}"
    assert ";" not in name and "=" not in grants["r"], body["username"]
    client = tc.TurnClient(gateway.address, body["username"], body["password"])
    try:
        client.allocate()
        listed = admin(gateway, "GET", "/v1/admin/allocations")
        mine = [a for a in listed.json["allocations"] if a["username"] == body["username"]]
        assert len(mine) == 1 and mine[0]["bandwidthKbps"] == VIDEO_KBPS, f"{mine} of {listed!r}"
        assert mine[0]["user"] == user and mine[0]["room"] == room, mine[0]
    finally:
        release(client)


def test_user_room_and_name_length_limits(gateway):
    # A user and a room are at most 128 bytes (UTF-8) and a minted user name at most 509
    # bytes; longer ones are refused. Whatever is minted (200) must work on Allocate.
    cases = [
        ("user of 128 bytes", claims("u" * 127 + "1"), None, 200, None),
        ("user of 64 two-byte characters", claims("\u00e9" * 63 + "1"), None, 200, None),
        ("room of 128 bytes", claims(unique_user("room128"), room="r" * 128), None, 200, None),
        ("a user needing 385 bytes once percent-encoded", claims(";" * 127 + "1", room="r"), None, 200, None),
        ("body roomId of 129 bytes", claims(unique_user("body-room"), room=None), {"roomId": "b" * 129},
         400, "bad_request"),
        ("a user and a room of 128 ';' each (over 509 bytes once encoded)",
         claims(";" * 127 + "2", room=";" * 128), None, 400, "bad_request"),
    ]
    problems = []
    for label, token_claims, body, status, code in cases:
        reply = mint(gateway, signed(token_claims), body=body)
        if reply.status != status or (code and (reply.json or {}).get("error") != code):
            problems.append(f"{label}: expected {status} {code or ''}, got {reply!r}")
            continue
        if status != 200:
            continue
        username = reply.json["username"]
        if len(username.encode()) > 509:
            problems.append(f"{label}: minted a {len(username.encode())}-byte user name")
        client = tc.TurnClient(gateway.address, username, reply.json["password"])
        try:
            msg = client.allocate(check=False)
            if msg.cls != stun.CLASS_SUCCESS:
                problems.append(f"{label}: minted ({len(username.encode())} bytes) but Allocate fails: "
                                f"{tc.describe(msg)}")
        finally:
            release(client)
    assert not problems, "\n".join(problems)


def test_hs256_keyed_with_the_pem_on_a_public_key_only_server(turngate, tmp_path):
    # The classic algorithm confusion: the server has only an RSA public key (no jwt-secret);
    # an HS256 token whose HMAC key is that key's PEM must be refused.
    rsa_key = jwtutil.rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem_path = tmp_path / "only-rsa.pem"
    pem_path.write_bytes(jwtutil.public_pem(rsa_key))
    turn_port, api_port = free_port("127.0.0.1"), free_port("127.0.0.1")
    server = turngate.start([
        f"realm={REALM}", "use-auth-secret", f"static-auth-secret={STATIC_AUTH_SECRET}",
        "api-listening-ip=127.0.0.1", f"api-listening-port={api_port}", f"jwt-public-key-file={pem_path}",
        f"jwt-issuer={ISSUER}", f"jwt-audience={AUDIENCE}",
    ], port=turn_port)
    wait_http_ready(server, api_port)
    server.api_port = api_port
    good = mint(server, signed(claims(unique_user("rsa-only")), "RS256", rsa_key))
    assert good.status == 200, f"an RS256 token: {good!r}"
    for key in (pem_path.read_bytes(), pem_path.read_bytes().strip()):
        for alg in ("HS256", "HS512"):
            reply = mint(server, signed(claims(unique_user("confused")), alg, key))
            assert_error(reply, 401, {"unsupported_algorithm", "bad_signature"}, f"{alg} keyed with the PEM")


# === JWKS URL and reloading =============================================================

class _JwksHandler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        owner = self.server.owner
        with owner.lock:
            owner.fetches.append(time.monotonic())
            body = json.dumps({"keys": owner.keys}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class JwksServer:
    """A JWKS document over plain HTTP on 127.0.0.1 (allowed for a loopback host)."""

    def __init__(self):
        self.keys: list = []
        self.fetches: list = []
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _JwksHandler)
        self.httpd.owner = self
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/.well-known/jwks.json"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                       daemon=True)
        self.thread.start()

    def fetch_count(self) -> int:
        with self.lock:
            return len(self.fetches)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=2)


@pytest.fixture
def jwks_server():
    server = JwksServer()
    yield server
    server.close()


def test_jwks_url_keys_and_no_fetch_storm(turngate, jwks_server):
    key = jwtutil.ed25519.Ed25519PrivateKey.generate()
    jwks_server.keys = [jwtutil.ed25519_jwk(key, "url-key-1")]
    server = start_gateway(turngate, [f"jwt-jwks-url={jwks_server.url}"])
    assert jwks_server.fetch_count() >= 1, "the JWKS URL was not fetched at start"
    good = mint(server, signed(claims(unique_user("jwks-url")), "EdDSA", key, kid="url-key-1"))
    assert good.status == 200, f"a token signed by the JWKS URL's key: {good!r}"
    # Unknown kids fetch the document again at most once per 30 s, however many there are.
    before = jwks_server.fetch_count()
    for index in range(5):
        stranger = jwtutil.ed25519.Ed25519PrivateKey.generate()
        reply = mint(server, signed(claims(unique_user("jwks-unknown")), "EdDSA", stranger, kid=f"unknown-{index}"))
        assert_error(reply, 401, "unknown_key", f"unknown kid {index}")
    assert jwks_server.fetch_count() - before <= 1, \
        f"{jwks_server.fetch_count() - before} JWKS fetches for 5 unknown kids (at most 1 per 30 s)"


def wait_for_log(server, text: str, after: int, timeout: float = 3.0) -> bool:
    """Whether `text` appears in the server's output after offset `after` within `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in server.output()[after:]:
            return True
        time.sleep(0.05)
    return False


def test_reload_rotates_the_jwt_secret_and_admin_token(turngate, tmp_path):
    server = start_admin_server(turngate, tmp_path)
    old_token = signed(claims(unique_user("before-reload")))
    assert mint(server, old_token).status == 200
    new_secret = remember("rotated-" + secrets.token_urlsafe(64))
    new_admin = remember("admin-rotated-" + secrets.token_urlsafe(32))
    config = server.config_path.read_text()
    server.config_path.write_text(config.replace(f"jwt-secret={JWT_SECRET}", f"jwt-secret={new_secret}"))
    (tmp_path / "admin-token").write_text(new_admin + "\n")
    mark = len(server.output())
    server.proc.send_signal(signal.SIGHUP)
    assert wait_for_log(server, "gateway configuration reloaded", mark), \
        f"no 'gateway configuration reloaded' within 3 s of SIGHUP\n{server.logs()}"
    refused = mint(server, old_token)
    assert_error(refused, 401, "bad_signature", "a token of the secret the reload removed")
    fresh = mint(server, signed(claims(unique_user("after-reload")), key=new_secret.encode()))
    assert fresh.status == 200, f"a token of the new secret: {fresh!r}"
    assert_error(admin(server, "GET", "/v1/admin/allocations"), 401, "invalid_admin_token", "the old admin token")
    assert admin(server, "GET", "/v1/admin/allocations", token=new_admin).status == 200

    # A refused configuration (a jwt-secret under 32 bytes) leaves the running settings alone.
    short_secret = remember(secrets.token_hex(15) + "x")          # 31 bytes
    server.config_path.write_text(config.replace(f"jwt-secret={JWT_SECRET}", f"jwt-secret={short_secret}"))
    mark = len(server.output())
    server.proc.send_signal(signal.SIGHUP)
    assert wait_for_log(server, "gateway_reload_refused", mark), \
        f"no gateway_reload_refused within 3 s of a SIGHUP with a 31-byte jwt-secret\n{server.logs()}"
    assert server.alive()
    still = mint(server, signed(claims(unique_user("after-refused")), key=new_secret.encode()))
    assert still.status == 200, f"after a refused reload the running secret stays: {still!r}"
    short = mint(server, signed(claims(unique_user("short")), key=short_secret.encode()))
    assert_error(short, 401, "bad_signature", "a token of the refused short secret")
    assert_no_secrets_in_logs(server)


# === 10: the admin API refuses anything but its token =====================================

ADMIN_ROUTES = [
    ("GET", "/v1/admin/allocations?user=nobody", None),
    ("DELETE", "/v1/admin/allocations?user=nobody", None),
    ("POST", "/v1/admin/revocations", {"user": "nobody"}),
    ("GET", "/v1/admin/revocations", None),
    ("DELETE", "/v1/admin/revocations?user=nobody", None),
    ("POST", "/v1/admin/drain", None),      # a wrongly accepted drain shows in /readyz
]
ADMIN_FAILURE_LIMIT = 10                    # failed admin authentications per client and minute


def wrong_admin_authorizations() -> dict:
    return {
        "no header": None,
        "wrong token": "Bearer wrong-" + secrets.token_hex(16),
        "token with a suffix": f"Bearer {ADMIN_TOKEN}x",
        "token without its last character": f"Bearer {ADMIN_TOKEN[:-1]}",
        "a user's JWT": f"Bearer {signed(claims(unique_user('not-admin')))}",
        "Basic scheme": "Basic " + base64.b64encode(f"admin:{ADMIN_TOKEN}".encode()).decode(),
        "bare token": ADMIN_TOKEN,
    }


def start_admin_server(turngate, tmp_path, extra=()):
    token_file = tmp_path / "admin-token"
    token_file.write_text(ADMIN_TOKEN + "\n")
    return start_gateway(turngate, [f"admin-token-file={token_file}", *extra])


def test_admin_routes_refuse_wrong_tokens(turngate, tmp_path):
    # Its own server: a client is throttled after 10 failed attempts a minute, so the 13
    # refusals below come from two client addresses (7 from 127.0.0.1, 6 from 127.0.0.2).
    other_ip = second_loopback_address()
    if other_ip is None:
        pytest.skip("cannot bind 127.0.0.2: needed to stay under the admin failure limit")
    server = start_admin_server(turngate, tmp_path)
    healthz = http(server.api_port, "GET", "/healthz")
    assert healthz.status == 200 and healthz.json == {"status": "ok"}, repr(healthz)
    right = admin(server, "GET", "/v1/admin/allocations")
    assert right.status == 200 and right.json == {"allocations": []}, repr(right)
    assert_no_store(right, "an admin answer")

    problems = []
    attempts = [("GET", "/v1/admin/allocations", None, label, auth, None)
                for label, auth in wrong_admin_authorizations().items()]
    attempts += [(method, path, body, "wrong token", "Bearer wrong-" + secrets.token_hex(16), other_ip)
                 for method, path, body in ADMIN_ROUTES]
    for method, path, body, label, authorization, source in attempts:
        reply = http(server.api_port, method, path, authorization=authorization, body=body, source=source)
        if reply.status != 401 or (reply.json or {}).get("error") != "invalid_admin_token":
            problems.append(f"{label}: expected 401 invalid_admin_token, got {reply!r}")
        elif (reply.header("Cache-Control") or "").lower() != "no-store":
            problems.append(f"{label}: a 401 admin answer without Cache-Control: no-store: {reply!r}")
    readyz = http(server.api_port, "GET", "/readyz")
    assert not problems, "\n".join(problems)
    assert readyz.status == 200 and readyz.json == {"status": "ready"}, \
        f"after refused drain requests the server must still be ready: {readyz!r}"
    assert_no_secrets_in_logs(server)


def test_admin_failures_are_throttled(turngate, tmp_path):
    # 10 failed attempts from one client in a minute: then 429 rate_limited with Retry-After,
    # for the right token too (else a guess could still be checked); other clients unaffected.
    server = start_admin_server(turngate, tmp_path)
    codes = [admin(server, "GET", "/v1/admin/allocations", token="wrong-" + secrets.token_hex(8)).status
             for _ in range(ADMIN_FAILURE_LIMIT)]
    assert codes == [401] * ADMIN_FAILURE_LIMIT, f"the first {ADMIN_FAILURE_LIMIT} failures: {codes}"
    throttled = admin(server, "GET", "/v1/admin/allocations", token="wrong-" + secrets.token_hex(8))
    assert_error(throttled, 429, "rate_limited", f"failed admin attempt {ADMIN_FAILURE_LIMIT + 1}")
    assert (throttled.header("Retry-After") or "").isdigit(), repr(throttled)
    assert_no_store(throttled, "a throttled admin answer")
    right = admin(server, "GET", "/v1/admin/allocations")
    assert_error(right, 429, "rate_limited", "the right token from a throttled client")
    drain = admin(server, "POST", "/v1/admin/drain")
    assert_error(drain, 429, "rate_limited", "a drain with the right token from a throttled client")
    other_ip = second_loopback_address()
    if other_ip:
        other = http(server.api_port, "GET", "/v1/admin/allocations", token=ADMIN_TOKEN, source=other_ip)
        assert other.status == 200, f"another client is not throttled: {other!r}"
    minted = mint(server, signed(claims(unique_user("not-throttled"))))
    assert minted.status == 200, f"the throttle is the admin API's only: {minted!r}"


def test_admin_throttle_lasts_the_minute(turngate, tmp_path):
    # "A client with 10 failed attempts in a minute is answered 429 until the minute has
    # passed": after the first 429, wait its Retry-After (bounded: at most 8 s) and try again;
    # still within the minute, the answer must still be 429.
    server = start_admin_server(turngate, tmp_path)
    started = time.monotonic()
    for _ in range(ADMIN_FAILURE_LIMIT):
        admin(server, "GET", "/v1/admin/allocations", token="wrong-" + secrets.token_hex(8))
    throttled = admin(server, "GET", "/v1/admin/allocations", token="wrong-" + secrets.token_hex(8))
    assert_error(throttled, 429, "rate_limited", f"failed admin attempt {ADMIN_FAILURE_LIMIT + 1}")
    retry_after = int(throttled.header("Retry-After") or "0")
    time.sleep(min(retry_after, 7) + 0.3)
    again = admin(server, "GET", "/v1/admin/allocations", token="wrong-" + secrets.token_hex(8))
    elapsed = time.monotonic() - started
    assert elapsed < 60
    assert again.status == 429, (f"{elapsed:.1f} s after the first of {ADMIN_FAILURE_LIMIT} failed attempts "
                                 f"(Retry-After was {retry_after}), attempt {ADMIN_FAILURE_LIMIT + 2} was "
                                 f"checked again: {again!r}")


# === 9: no secret in the logs (keep last: it reads the whole run's output) =================

def test_logs_hold_no_secrets(gateway, echo_peer):
    # Traffic of its own, so that it means something when run alone too.
    user = unique_user("logs")
    body = mint_ok(gateway, user)
    with tc.TurnClient(gateway.address, body["username"], body["password"]) as client:
        client.allocate()
        assert client.channel_bind(0x4003, echo_peer.address).cls == stun.CLASS_SUCCESS
        assert echo_round_trip(client, 0x4003, b"logged?")
        client.refresh(0)
    mint(gateway, signed(claims(user), key=b"x" * 40))
    admin(gateway, "GET", f"/v1/admin/allocations?user={user}")
    admin(gateway, "GET", "/v1/admin/allocations", token="wrong-" + ADMIN_TOKEN)
    time.sleep(0.1)   # let the last log lines reach the files
    assert gateway.output().strip(), "the server wrote nothing at log-level debug: wrong files?"
    assert len(SECRETS) > 10
    assert_no_secrets_in_logs(gateway)
