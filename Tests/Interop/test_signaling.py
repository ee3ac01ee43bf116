"""Signaling on the gateway (docs/signaling.md), end to end: the real `turngate` process, a
plain WebSocket client on `/v1/signal` and python-socketio's client on `/socket.io/`.

What is checked:
- two peers authenticate into one room (with both framings): `authenticated` carries the
  server's `peerId`, the peers already there and `iceServers` with a TURN credential minted
  for the user and room (URIs of `turn-uris`, the password's HMAC); the first sees
  `peer-joined`; an offer, an answer and candidates go by `signal` with `to` and without
  (broadcast), unchanged, from the right `from`; the one left sees `peer-left`;
- a broadcast reaches every other peer and not the sender; a directed signal only its target;
- a Socket.IO peer and a plain WebSocket peer in one room signal each other; a refused
  Socket.IO join gets the `error` event and the server's disconnect;
- the upgrade's HTTP rules: Engine.IO polling is 400 `websocket_only`, an `Origin` not in
  `api-cors-origin` is 403 `origin_not_allowed` (on both paths), `no-signaling` makes both
  paths 404;
- `signal-room-max-peers=2`: the third peer gets `room_full` and close 4403, the slot frees
  when a peer leaves; `turngate_signal_connections`, `turngate_signal_rooms` and
  `turngate_signal_rejections_total{reason="room_full"}` on the Prometheus endpoint;
- `security-log-file` receives one JSON object per line for a refused join, and nothing of a
  join and signal that succeeded.

All on 127.0.0.1; every read has a timeout (signalclient.STEP) and every test a bound.
"""

from __future__ import annotations

import json
import time
from datetime import datetime

import pytest

from conftest import server_kind
from signalclient import (Peers, WsPeer, assert_serving, attach_logs, http, metric, module_server,
                          refused_after_upgrade, rest_password, run, scrape, start_signal_server, token, unique, upgrade_status,
                          wait_metric)

# The subject is not the UDP data path: `make test` runs this module with the first engine only.
RELAY_ENGINE_INDEPENDENT = True

pytestmark = pytest.mark.skipif(server_kind() != "turngate", reason="signaling is TurnGate's own")

APP_ORIGIN = "http://app.signal.test"
FRAMINGS = ["websocket", "socket.io"]
SIO_PATH = "/socket.io/?EIO=4&transport=websocket"
OFFER = {"type": "offer", "sdp": "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"}
ANSWER = {"type": "answer", "sdp": "v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"}
CANDIDATES = [{"candidate": f"candidate:{i} 1 udp 2113937151 127.0.0.1 {50000 + i} typ host",
               "sdpMid": "0", "sdpMLineIndex": 0} for i in range(2)]
ANY_JSON = ["text", 1, 2.5, True, None, {"nested": {"ü": "✓", "list": []}}]


@pytest.fixture(scope="module")
def sig(turngate_bin, tmp_path_factory):
    with module_server(turngate_bin, tmp_path_factory.mktemp("signal"), [f"api-cors-origin={APP_ORIGIN}"]) as server:
        yield server


@pytest.fixture(autouse=True)
def _logs(request):
    if "sig" in request.fixturenames:
        attach_logs(request, request.getfixturevalue("sig"))


def check_authenticated(server, message: dict, user: str, room: str, peers: list) -> None:
    assert message.get("userId") == user and message.get("roomId") == room, f"authenticated: {message}"
    assert isinstance(message.get("peerId"), str) and len(message["peerId"]) >= 8, f"peerId: {message}"
    listed = [{"peerId": p.get("peerId"), "userId": p.get("userId")} for p in message.get("peers", [])]
    key = lambda p: p["peerId"]  # noqa: E731
    assert sorted(listed, key=key) == sorted(peers, key=key), f"peers {message.get('peers')}, expected {peers}"
    ice = message.get("iceServers")
    assert isinstance(ice, list) and len(ice) == 1, f"iceServers: {message}"
    assert ice[0].get("urls") == [server.turn_uri], f"iceServers urls (turn-uris is {server.turn_uri}): {ice}"
    username, credential = ice[0].get("username"), ice[0].get("credential")
    head, *grants = username.split(";")
    expiry, _, name = head.partition(":")
    now = time.time()
    assert name == user and f"r={room}" in grants, f"minted user name {username!r} for {user} in {room}"
    assert now + 3000 < int(expiry) <= now + 3700, f"expiry {expiry}: credential-ttl is 3600"
    assert credential == rest_password(username), f"credential is not base64(HMAC-SHA1(secret, {username!r}))"


async def pair_flow(server, framing_a: str, framing_b: str) -> None:
    room, alice, bob = unique("room"), unique("alice"), unique("bob")
    async with Peers(server.api_port) as peers:
        a = await peers.open("a", framing_a)
        check_authenticated(server, await a.authenticate(token(alice, room), room), alice, room, [])
        b = await peers.open("b", framing_b)
        # roomId left out: the token's claim names the room.
        check_authenticated(server, await b.authenticate(token(bob, room)), bob, room,
                            [{"peerId": a.peer_id, "userId": alice}])
        assert a.peer_id != b.peer_id
        joined = await a.expect("peer-joined", peerId=b.peer_id)
        assert joined.get("userId") == bob, f"peer-joined: {joined}"

        await a.signal(OFFER, to=b.peer_id)
        assert (await b.expect("signal"))["data"] == OFFER
        await b.signal(ANSWER, to=a.peer_id)
        got = await a.expect("signal")
        assert got.get("from") == b.peer_id and got["data"] == ANSWER, f"answer: {got}"
        for candidate in CANDIDATES:
            await a.signal(candidate, to=b.peer_id)
        for candidate in CANDIDATES:   # in order, each from a
            got = await b.expect("signal")
            assert got.get("from") == a.peer_id and got["data"] == candidate, f"candidate: {got}"
        for value in ANY_JSON:         # without `to`: the room's other peers
            await b.signal(value)
            got = await a.expect("signal")
            assert got.get("from") == b.peer_id and got["data"] == value, f"broadcast {value!r}: {got}"
        await b.quiet(0.3, "signal")   # never its own broadcast

        await a.close()
        await b.expect("peer-left", peerId=a.peer_id)


@pytest.mark.parametrize("framing", FRAMINGS)
def test_two_peers_join_signal_and_leave(sig, framing):
    run(pair_flow(sig, framing, framing))


def test_socketio_and_websocket_peers_share_a_room(sig):
    run(pair_flow(sig, "socket.io", "websocket"))
    run(pair_flow(sig, "websocket", "socket.io"))


def test_broadcast_reaches_every_other_peer_and_directed_only_its_target(sig):
    async def body():
        room = unique("room")
        async with Peers(sig.api_port) as peers:
            a = await peers.join("a", room)
            b = await peers.join("b", room, framing="socket.io")
            c = await peers.join("c", room)
            assert {p["peerId"] for p in c.authenticated["peers"]} == {a.peer_id, b.peer_id}
            await c.signal({"to": "all"})
            for peer in (a, b):
                got = await peer.expect("signal", **{"from": c.peer_id})
                assert got["data"] == {"to": "all"}
            await a.signal("only b", to=b.peer_id)
            assert (await b.expect("signal", **{"from": a.peer_id}))["data"] == "only b"
            await c.quiet(0.5, "signal")
            await a.quiet(0.1, "signal")
    run(body())


def test_socketio_refused_join_gets_error_event_and_disconnect(sig):
    async def body():
        async with Peers(sig.api_port, "socket.io") as peers:
            peer = await peers.open("refused")
            await peer.authenticate(token(unique("eve"), "room-x", key="not-the-jwt-secret-" * 3), "room-x", ok=False)
            await peer.expect_error("bad_signature")
            await peer.expect_closed(4401)
        await assert_serving(sig.api_port, "socket.io")
    run(body())


def test_polling_transport_is_refused(sig):
    status, _, text, body = http(sig.api_port, "GET", "/socket.io/?EIO=4&transport=polling")
    assert status == 400 and isinstance(body, dict) and body.get("error") == "websocket_only", f"{status} {text!r}"


def test_origin_not_allowed_is_refused_on_upgrade(sig):
    async def body():
        for path, prefix in (("/v1/signal", ""), (SIO_PATH, '42["error",')):
            first, code, reason = await refused_after_upgrade(sig.api_port, path, origin="http://evil.signal.test")
            assert code == 4403 and reason == "origin_not_allowed", f"{path} with a foreign Origin: {code} {reason!r}"
            assert first and first.startswith(prefix) and '"code":"origin_not_allowed"' in first, f"{path}: {first!r}"
        room = unique("room")
        peer = await WsPeer.open(sig.api_port, "allowed", origin=APP_ORIGIN)
        try:
            await peer.authenticate(token(unique("app"), room), room)
        finally:
            await peer.close()
    run(body())


def test_no_signaling_answers_404(turngate, tmp_path):
    server = start_signal_server(turngate, tmp_path, ["no-signaling"])

    async def body():
        for path in ("/v1/signal", SIO_PATH):
            status, reply = await upgrade_status(server.api_port, path)
            assert status == 404 and (reply or {}).get("error") == "not_found", f"{path}: {status} {reply}"
    run(body())
    status, _, text, _ = http(server.api_port, "GET", "/socket.io/?EIO=4&transport=polling")
    assert status == 404, f"polling with no-signaling: {status} {text!r}"
    assert http(server.api_port, "GET", "/healthz")[0] == 200


def test_room_full_is_refused_and_counted(turngate, tmp_path):
    server = start_signal_server(turngate, tmp_path, ["signal-room-max-peers=2"])
    port = server.metrics_port

    async def body():
        room = unique("room")
        async with Peers(server.api_port) as peers:
            a = await peers.join("a", room)
            b = await peers.join("b", room)
            await a.expect("peer-joined", peerId=b.peer_id)
            samples = scrape(port)
            assert metric(samples, "turngate_signal_connections") == 2, "two sockets open"
            assert metric(samples, "turngate_signal_rooms") == 1, "one room"
            assert metric(samples, "turngate_signal_rejections_total", reason="room_full") == 0
            c = await peers.open("c")
            await c.authenticate(token(unique("c"), room), room, ok=False)
            await c.expect_error("room_full")
            await c.expect_closed(4403)
            await a.quiet(0.3, "peer-joined")
            samples = scrape(port)
            assert metric(samples, "turngate_signal_rejections_total", reason="room_full") == 1
            assert metric(samples, "turngate_signal_messages_total", type="authenticate") >= 3
            wait_metric(port, "turngate_signal_connections", 2)
            await b.close()
            await a.expect("peer-left", peerId=b.peer_id)
            d = await peers.join("d", room)   # b's slot is free again
            assert [p["peerId"] for p in d.authenticated["peers"]] == [a.peer_id]
        wait_metric(port, "turngate_signal_connections", 0)
        wait_metric(port, "turngate_signal_rooms", 0)
        await assert_serving(server.api_port)
    run(body())
    for name in scrape(port):
        if name.startswith("turngate_signal"):
            assert "room-" not in name and "127.0.0.1" not in name, f"a room or address as a label: {name}"


def test_security_log_file_holds_refused_joins_only(turngate, tmp_path):
    log_path = tmp_path / "security.log"
    server = start_signal_server(turngate, tmp_path, [f"security-log-file={log_path}"])

    def lines() -> list:
        return log_path.read_text().splitlines() if log_path.exists() else []

    def wait_lines(count: int) -> list:
        deadline = time.monotonic() + 3
        while len(lines()) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return lines()

    async def body():
        room, other = unique("room"), unique("other-room")
        async with Peers(server.api_port) as peers:
            a = await peers.join("a", room)
            b = await peers.join("b", room)
            await a.signal(OFFER, to=b.peer_id)
            await b.expect("signal")
            mallory = await peers.open("mallory")
            await mallory.authenticate(token("mallory", other), room, ok=False)
            await mallory.expect_error("room_not_allowed")
            await mallory.expect_closed(4403)
            got = wait_lines(1)
            time.sleep(0.5)   # anything else would have been written by now
            assert lines() == got and len(got) == 1, f"security log after one refused join:\n{lines()}"
            event = json.loads(got[0])
            assert {k: event.get(k) for k in ("level", "event", "user", "room", "client", "detail")} == {
                "level": "warning", "event": "room_denied", "user": "mallory", "room": room,
                "client": "127.0.0.1", "detail": "room_not_allowed"}, f"security log line: {event}"
            assert datetime.fromisoformat(event["timestamp"].replace("Z", "+00:00")).tzinfo is not None
            forger = await peers.open("forger")
            await forger.authenticate(token("forger", room, key="forged-" * 8), room, ok=False)
            await forger.expect_error("bad_signature")
            got = wait_lines(2)
            assert len(got) == 2, f"security log after a refused token too:\n{got}"
            event = json.loads(got[1])
            assert (event.get("event"), event.get("detail"), event.get("client")) == \
                ("token_rejected", "bad_signature", "127.0.0.1"), f"second line: {event}"
    run(body())
    assert all(isinstance(json.loads(line), dict) for line in lines())
